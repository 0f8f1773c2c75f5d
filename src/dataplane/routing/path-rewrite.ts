/**
 * Path rewrites compiled once (RouteAction.prefix_rewrite / regex_rewrite, and the same fields of
 * RedirectAction). As in Envoy's RouteEntryImplBase::currentUrlPathAfterRewriteWithMatchedPath:
 * - prefix_rewrite replaces the matched part: the route's prefix (its length; case-insensitive
 *   routes replace the request's own characters), or the whole path for `path`, `safe_regex` and
 *   CONNECT routes;
 * - regex_rewrite replaces every match of the pattern in the path (query excluded) with the
 *   substitution, `\1` inserting group 1 (RE2::GlobalReplace).
 * The query string is never touched; callers pass the path without it.
 */
import type { PathSpecifier, RegexMatchAndSubstitute, Re2, SubstitutionPart } from '../../model/index.ts';
import { compileRe2, parseRe2Substitution } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import { err, ok, type Result } from '../../lib/result.ts';

export type PathRewrite =
  | { readonly kind: 'none' }
  /** Replace the first `matchedLength` characters (-1 = the whole path). */
  | { readonly kind: 'prefix'; readonly matchedLength: number; readonly replacement: string }
  | { readonly kind: 'regex'; readonly re: Re2; readonly parts: readonly SubstitutionPart[] };

export const NO_PATH_REWRITE: PathRewrite = { kind: 'none' };

export function compilePrefixRewrite(replacement: string, matched: PathSpecifier): PathRewrite {
  const matchedLength = matched.kind === 'prefix' || matched.kind === 'pathSeparatedPrefix' ? matched.prefix.length : -1;
  return { kind: 'prefix', matchedLength, replacement };
}

export function compileRegexRewrite(rw: RegexMatchAndSubstitute): Result<PathRewrite, string> {
  const re = compileRe2(rw.pattern);
  if (!re.ok) return err(re.error);
  const parts = parseRe2Substitution(rw.substitution, re.value.groupCount());
  if (!parts.ok) return err(parts.error);
  return ok({ kind: 'regex', re: re.value, parts: parts.value });
}

function substitute(parts: readonly SubstitutionPart[], args: readonly unknown[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else {
      const g = args[p];
      if (typeof g === 'string') out += g;
    }
  }
  return out;
}

/** Replaces every match of `re` in `input` by the parsed substitution. */
export function replaceAllRe2(re: Re2, parts: readonly SubstitutionPart[], input: string): string {
  return re.matcher(input).replaceAll((...args: unknown[]) => substitute(parts, args));
}

/** The path after the rewrite; the same string when there is none. */
export function applyPathRewrite(rw: PathRewrite, path: string): string {
  switch (rw.kind) {
    case 'none':
      return path;
    case 'prefix':
      return rw.matchedLength < 0 ? rw.replacement : rw.replacement + path.slice(rw.matchedLength);
    case 'regex':
      return replaceAllRe2(rw.re, rw.parts, path);
    default:
      return assertNever(rw, 'path rewrite');
  }
}
