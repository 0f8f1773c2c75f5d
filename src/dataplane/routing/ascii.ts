/**
 * ASCII case folding without allocating, as Envoy's matchers do (absl::StartsWithIgnoreCase and
 * friends fold ASCII letters only). Patterns are lower-cased once at build time; only the request
 * side is folded, one character at a time.
 */

/** Lower-cases ASCII A–Z only (what absl::AsciiStrToLower does). */
export function asciiLower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }
  return s;
}

function foldAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Does `s[offset..]` start with `lowerPattern`, ignoring ASCII case? */
function regionEqualsFold(s: string, offset: number, lowerPattern: string): boolean {
  for (let i = 0; i < lowerPattern.length; i++) {
    if (foldAt(s, offset + i) !== lowerPattern.charCodeAt(i)) return false;
  }
  return true;
}

export function equalsFold(s: string, lowerPattern: string): boolean {
  return s.length === lowerPattern.length && regionEqualsFold(s, 0, lowerPattern);
}

export function startsWithFold(s: string, lowerPattern: string): boolean {
  return s.length >= lowerPattern.length && regionEqualsFold(s, 0, lowerPattern);
}

export function endsWithFold(s: string, lowerPattern: string): boolean {
  return s.length >= lowerPattern.length && regionEqualsFold(s, s.length - lowerPattern.length, lowerPattern);
}

export function includesFold(s: string, lowerPattern: string): boolean {
  const last = s.length - lowerPattern.length;
  for (let i = 0; i <= last; i++) if (regionEqualsFold(s, i, lowerPattern)) return true;
  return false;
}
