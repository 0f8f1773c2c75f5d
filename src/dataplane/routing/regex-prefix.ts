/**
 * The literal text every match of an RE2 pattern must start with, found conservatively from the
 * pattern's source, so a full-match route can reject most paths with one `startsWith` before
 * running the regex (re2js costs ~0.2–0.4 µs a call; most routes do not match most paths).
 * Conservative means: any doubt gives a shorter prefix, down to '' (no prefilter). Alternation
 * anywhere, a group, a class, an escape or a flag ends the scan; a literal followed by `*`, `?` or
 * `{` is optional or counted, so it is not included; one followed by `+` is, and ends the scan.
 */
const META = new Set(['\\', '.', '[', ']', '{', '}', '(', ')', '*', '+', '?', '^', '$', '|']);

export function requiredLiteralPrefix(pattern: string): string {
  if (pattern.includes('|')) return '';
  let i = pattern.startsWith('^') ? 1 : 0;
  let out = '';
  for (; i < pattern.length; i++) {
    const c = pattern[i];
    const code = pattern.charCodeAt(i);
    if (META.has(c) || (code >= 0xd800 && code <= 0xdfff)) break;
    const next = pattern[i + 1];
    if (next === '*' || next === '?' || next === '{') break;
    out += c;
    if (next === '+') break;
  }
  return out;
}
