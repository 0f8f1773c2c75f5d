/**
 * Matchers shared by routes, retry policies, faults, TLS validation and health checks
 * (envoy.type.matcher.v3.StringMatcher / RegexMatcher / RegexMatchAndSubstitute,
 * envoy.config.route.v3.HeaderMatcher / QueryParameterMatcher).
 *
 * Regexes are RE2 (Envoy's `google_re2`; the only engine Envoy v3 accepts); the runtime compiles
 * them once per snapshot, and `buildSnapshot` rejects ones that do not compile.
 */
import type { Int64Range } from './common.ts';

/**
 * envoy.type.matcher.v3.StringMatcher (oneof `match_pattern`). `ignoreCase` does not apply to
 * `safeRegex` in Envoy (use `(?i)` in the pattern). `safeRegex` is a full-string match.
 */
export type StringMatcher =
  | { readonly kind: 'exact'; readonly exact: string; readonly ignoreCase?: boolean }
  | { readonly kind: 'prefix'; readonly prefix: string; readonly ignoreCase?: boolean }
  | { readonly kind: 'suffix'; readonly suffix: string; readonly ignoreCase?: boolean }
  | { readonly kind: 'contains'; readonly contains: string; readonly ignoreCase?: boolean }
  | { readonly kind: 'safeRegex'; readonly regex: string };

/** envoy.type.matcher.v3.RegexMatchAndSubstitute: every match of `pattern` replaced; `\1` = group 1. */
export interface RegexMatchAndSubstitute {
  readonly pattern: string;
  readonly substitution: string;
}

/**
 * envoy.config.route.v3.HeaderMatcher.header_match_specifier. The deprecated direct forms
 * (`exact_match`, `prefix_match`, `suffix_match`, `contains_match`, `safe_regex_match`) are
 * mapped to `stringMatch` at decode time, so the runtime sees one form.
 */
export type HeaderMatchSpecifier =
  | { readonly kind: 'stringMatch'; readonly stringMatch: StringMatcher }
  /** `present: true` matches when the header exists; `false` when it is absent. */
  | { readonly kind: 'present'; readonly present: boolean }
  /** The header value parsed as a base-10 int64 lies in [start, end). */
  | { readonly kind: 'range'; readonly range: Int64Range };

/**
 * envoy.config.route.v3.HeaderMatcher. A header with several values is matched against the values
 * joined with `,`. Pseudo-headers (`:path`, `:method`, `:authority`, `:scheme`) can be named.
 * A missing header matches only `present: false` (or, inverted, `present: true`), unless
 * `treatMissingHeaderAsEmpty`. A matcher with no specifier is `present: true`, and so is the
 * deprecated `exact_match: ""` (Envoy's empty exact value matches any value).
 */
export interface HeaderMatcher {
  /** Header name; compared case-insensitively (the runtime lower-cases it once). */
  readonly name: string;
  readonly headerMatchSpecifier: HeaderMatchSpecifier;
  /** Invert the result. Default false. */
  readonly invertMatch?: boolean;
  /** Match a missing header as if it were present with an empty value. Default false. */
  readonly treatMissingHeaderAsEmpty?: boolean;
}

/** envoy.config.route.v3.QueryParameterMatcher.query_parameter_match_specifier. */
export type QueryParameterMatchSpecifier =
  | { readonly kind: 'stringMatch'; readonly stringMatch: StringMatcher }
  | { readonly kind: 'presentMatch'; readonly presentMatch: boolean };

/**
 * envoy.config.route.v3.QueryParameterMatcher. Matched against the first value of the named
 * parameter as it appears in the URL (Envoy does not percent-decode it; `?a` has value ``); a
 * missing parameter never matches. `presentMatch` matches any value.
 */
export interface QueryParameterMatcher {
  readonly name: string;
  readonly queryParameterMatchSpecifier: QueryParameterMatchSpecifier;
}
