/**
 * envoy.type.matcher.v3.{StringMatcher, RegexMatcher, RegexMatchAndSubstitute} and
 * envoy.config.route.v3.{HeaderMatcher, QueryParameterMatcher}. A RegexMatcher is written with
 * its `regex` only: `google_re2` is deprecated and RE2 is Envoy's only engine.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { HeaderMatcher, QueryParameterMatcher, RegexMatchAndSubstitute, StringMatcher } from '../matchers.ts';
import { encodeInt64Range } from './common.ts';
import { flag, list, noOtherFields, obj, str, type JsonObject } from './json.ts';

export function encodeRegexMatcher(regex: string): JsonObject {
  return obj({ regex: str(regex) });
}

export function encodeRegexMatchAndSubstitute(r: RegexMatchAndSubstitute): JsonObject {
  const { pattern, substitution, ...rest } = r;
  noOtherFields(rest);
  return obj({ pattern: encodeRegexMatcher(pattern), substitution: str(substitution) });
}

/** StringMatcher: the oneof member is printed even when empty; `ignore_case` when set. */
export function encodeStringMatcher(m: StringMatcher): JsonObject {
  switch (m.kind) {
    case 'exact':
      return obj({ exact: m.exact, ignore_case: flag(m.ignoreCase) });
    case 'prefix':
      return obj({ prefix: m.prefix, ignore_case: flag(m.ignoreCase) });
    case 'suffix':
      return obj({ suffix: m.suffix, ignore_case: flag(m.ignoreCase) });
    case 'contains':
      return obj({ contains: m.contains, ignore_case: flag(m.ignoreCase) });
    case 'safeRegex':
      return { safe_regex: encodeRegexMatcher(m.regex) };
    default:
      return assertNever(m, 'string matcher kind');
  }
}

/** HeaderMatcher, with the non-deprecated specifiers only (`string_match`, `present_match`, `range_match`). */
export function encodeHeaderMatcher(m: HeaderMatcher): JsonObject {
  const { name, headerMatchSpecifier: spec, invertMatch, treatMissingHeaderAsEmpty, ...rest } = m;
  noOtherFields(rest);
  let specifier: JsonObject;
  switch (spec.kind) {
    case 'stringMatch':
      specifier = { string_match: encodeStringMatcher(spec.stringMatch) };
      break;
    case 'present':
      specifier = { present_match: spec.present };
      break;
    case 'range':
      specifier = { range_match: encodeInt64Range(spec.range) };
      break;
    default:
      return assertNever(spec, 'header match specifier kind');
  }
  return obj({ name: str(name), ...specifier, invert_match: flag(invertMatch), treat_missing_header_as_empty: flag(treatMissingHeaderAsEmpty) });
}

export function encodeHeaderMatchers(matchers: readonly HeaderMatcher[]): readonly JsonObject[] | undefined {
  return list(matchers, encodeHeaderMatcher);
}

export function encodeQueryParameterMatcher(m: QueryParameterMatcher): JsonObject {
  const { name, queryParameterMatchSpecifier: spec, ...rest } = m;
  noOtherFields(rest);
  switch (spec.kind) {
    case 'stringMatch':
      return obj({ name: str(name), string_match: encodeStringMatcher(spec.stringMatch) });
    case 'presentMatch':
      return obj({ name: str(name), present_match: spec.presentMatch });
    default:
      return assertNever(spec, 'query parameter match specifier kind');
  }
}
