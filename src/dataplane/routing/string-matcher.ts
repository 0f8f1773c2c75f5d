/**
 * envoy.type.matcher.v3.StringMatcher compiled once: a predicate over a request value. RE2
 * `safe_regex` is a full match (Envoy's CompiledGoogleReMatcher::match uses RE2::FullMatch);
 * `ignore_case` folds ASCII letters (Envoy's StringMatcherImpl) and does not apply to regexes.
 */
import type { Re2, StringMatcher } from '../../model/index.ts';
import { compileRe2 } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { asciiLower, endsWithFold, equalsFold, includesFold, startsWithFold } from './ascii.ts';

export type ValuePredicate = (value: string) => boolean;

export function compileStringMatcher(m: StringMatcher): Result<ValuePredicate, string> {
  switch (m.kind) {
    case 'exact': {
      if (!m.ignoreCase) {
        const v = m.exact;
        return ok((s) => s === v);
      }
      const v = asciiLower(m.exact);
      return ok((s) => equalsFold(s, v));
    }
    case 'prefix': {
      const v = m.ignoreCase ? asciiLower(m.prefix) : m.prefix;
      return ok(m.ignoreCase ? (s) => startsWithFold(s, v) : (s) => s.startsWith(v));
    }
    case 'suffix': {
      const v = m.ignoreCase ? asciiLower(m.suffix) : m.suffix;
      return ok(m.ignoreCase ? (s) => endsWithFold(s, v) : (s) => s.endsWith(v));
    }
    case 'contains': {
      const v = m.ignoreCase ? asciiLower(m.contains) : m.contains;
      return ok(m.ignoreCase ? (s) => includesFold(s, v) : (s) => s.includes(v));
    }
    case 'safeRegex': {
      const re = compileRe2(m.regex);
      if (!re.ok) return err(re.error);
      const r: Re2 = re.value;
      return ok((s) => r.testExact(s));
    }
    default:
      return assertNever(m, 'string matcher');
  }
}
