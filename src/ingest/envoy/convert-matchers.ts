/**
 * Matchers: envoy.type.matcher.v3.{StringMatcher, RegexMatcher, RegexMatchAndSubstitute} and
 * envoy.config.route.v3.{HeaderMatcher, QueryParameterMatcher}. Regexes are compiled here (RE2, as
 * Envoy's google_re2) so a bad one is reported at its own line; substitutions are checked against
 * the pattern's groups. The deprecated HeaderMatcher forms (`exact_match`, `prefix_match`, ...)
 * are mapped to `string_match`, as the model asks.
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import type { HeaderMatcher, HeaderMatchSpecifier, QueryParameterMatcher, RegexMatchAndSubstitute, StringMatcher } from '../../model/index.ts';
import { compileRe2, parseRe2Substitution } from '../../model/regex.ts';
import { compact, convertInt64Range } from './convert-common.ts';
import type { ProtoObject } from './proto-object.ts';

/**
 * envoy.type.matcher.v3.RegexMatcher → its pattern, checked. `google_re2` (deprecated, the only
 * engine) and its `max_program_size` are ignored: weft always uses RE2 with linear-time matching.
 */
export function convertRegexMatcher(o: ProtoObject): { pattern: string; groups: number } | undefined {
  o.ignore('google_re2');
  const pattern = o.str('regex') ?? '';
  const compiled = compileRe2(pattern);
  if (!compiled.ok) {
    o.error('regex', DIAGNOSTIC_CODES.INVALID_VALUE, compiled.error, 'Envoy regexes are RE2: no backreferences or lookaround');
    return undefined;
  }
  return { pattern, groups: compiled.value.groupCount() };
}

export function convertRegexMatchAndSubstitute(o: ProtoObject): RegexMatchAndSubstitute | undefined {
  const p = o.msg('pattern');
  const substitution = o.str('substitution') ?? '';
  const re = p ? convertRegexMatcher(p) : undefined;
  if (!re) return undefined;
  const sub = parseRe2Substitution(substitution, re.groups);
  if (!sub.ok) {
    o.error('substitution', DIAGNOSTIC_CODES.INVALID_VALUE, sub.error);
    return undefined;
  }
  return { pattern: re.pattern, substitution };
}

export function convertStringMatcher(o: ProtoObject): StringMatcher | undefined {
  const ignoreCase = o.bool('ignore_case') || undefined;
  switch (o.oneof('match_pattern')) {
    case 'exact':
      return compact({ kind: 'exact' as const, exact: o.str('exact') ?? '', ignoreCase });
    case 'prefix':
      return compact({ kind: 'prefix' as const, prefix: o.str('prefix') ?? '', ignoreCase });
    case 'suffix':
      return compact({ kind: 'suffix' as const, suffix: o.str('suffix') ?? '', ignoreCase });
    case 'contains':
      return compact({ kind: 'contains' as const, contains: o.str('contains') ?? '', ignoreCase });
    case 'safe_regex': {
      // Envoy ignores ignore_case for safe_regex (write (?i) in the pattern); so does weft.
      const r = o.msg('safe_regex');
      const re = r ? convertRegexMatcher(r) : undefined;
      return re ? { kind: 'safeRegex', regex: re.pattern } : undefined;
    }
    default:
      // `custom` (an extension matcher) is left unread and reported as unsupported.
      return undefined;
  }
}

function headerSpecifier(o: ProtoObject): HeaderMatchSpecifier | undefined {
  switch (o.oneof('header_match_specifier')) {
    case undefined:
      return { kind: 'present', present: true };
    case 'string_match': {
      const m = o.msg('string_match');
      const sm = m ? convertStringMatcher(m) : undefined;
      return sm ? { kind: 'stringMatch', stringMatch: sm } : undefined;
    }
    case 'present_match':
      return { kind: 'present', present: o.bool('present_match') ?? true };
    case 'range_match': {
      const r = o.msg('range_match');
      return r ? { kind: 'range', range: convertInt64Range(r) } : undefined;
    }
    case 'exact_match': {
      const exact = o.str('exact_match') ?? '';
      // Envoy: a deprecated exact_match of "" matches any value, i.e. presence.
      return exact === '' ? { kind: 'present', present: true } : { kind: 'stringMatch', stringMatch: { kind: 'exact', exact } };
    }
    case 'prefix_match':
      return { kind: 'stringMatch', stringMatch: { kind: 'prefix', prefix: o.str('prefix_match') ?? '' } };
    case 'suffix_match':
      return { kind: 'stringMatch', stringMatch: { kind: 'suffix', suffix: o.str('suffix_match') ?? '' } };
    case 'contains_match':
      return { kind: 'stringMatch', stringMatch: { kind: 'contains', contains: o.str('contains_match') ?? '' } };
    case 'safe_regex_match': {
      const r = o.msg('safe_regex_match');
      const re = r ? convertRegexMatcher(r) : undefined;
      return re ? { kind: 'stringMatch', stringMatch: { kind: 'safeRegex', regex: re.pattern } } : undefined;
    }
    default:
      return undefined;
  }
}

export function convertHeaderMatcher(o: ProtoObject): HeaderMatcher | undefined {
  const name = o.str('name') ?? '';
  const spec = headerSpecifier(o);
  if (!spec) return undefined;
  return compact({
    name,
    headerMatchSpecifier: spec,
    invertMatch: o.bool('invert_match') || undefined,
    treatMissingHeaderAsEmpty: o.bool('treat_missing_header_as_empty') || undefined,
  });
}

export function convertHeaderMatchers(list: readonly ProtoObject[]): HeaderMatcher[] {
  return list.map(convertHeaderMatcher).filter((m): m is HeaderMatcher => m !== undefined);
}

export function convertQueryParameterMatcher(o: ProtoObject): QueryParameterMatcher | undefined {
  const name = o.str('name') ?? '';
  switch (o.oneof('query_parameter_match_specifier')) {
    case 'string_match': {
      const m = o.msg('string_match');
      const sm = m ? convertStringMatcher(m) : undefined;
      return sm ? { name, queryParameterMatchSpecifier: { kind: 'stringMatch', stringMatch: sm } } : undefined;
    }
    case 'present_match':
      return { name, queryParameterMatchSpecifier: { kind: 'presentMatch', presentMatch: o.bool('present_match') ?? true } };
    default:
      // Envoy: no specifier means "present".
      return { name, queryParameterMatchSpecifier: { kind: 'presentMatch', presentMatch: true } };
  }
}
