/**
 * Request path normalisation before routing (Envoy's `ConnectionManagerUtility::maybeNormalizePath`
 * with the edge-safe settings of Envoy's edge best-practice guide), so that the router, the policy
 * and the upstream all see one and the same path. Only the part before `?` is touched; the query is
 * kept byte for byte. In order:
 *
 * 1. a fragment (`#`), a backslash, a NUL (`%00`) or a non-printable byte → reject (400);
 * 2. `%2F` / `%5C` per `path_with_escaped_slashes_action` (weft's implementation-specific default
 *    is REJECT_REQUEST): reject, keep, unescape and forward, or unescape and redirect;
 * 3. `normalize_path`: percent-encoded unreserved characters decoded (so `%2e%2e` is `..`), other
 *    escapes upper-cased, then RFC 3986 §5.2.4 dot-segment removal;
 * 4. `merge_slashes`: `//` → `/`.
 *
 * Most paths need none of it: one scan over the characters finds that out and returns the input
 * string itself, so the common request allocates nothing here.
 */
import type { PathWithEscapedSlashesAction } from '../../model/index.ts';

export interface PathNormalization {
  readonly normalizePath: boolean;
  readonly mergeSlashes: boolean;
  /** IMPLEMENTATION_SPECIFIC_DEFAULT already resolved. */
  readonly escapedSlashesAction: Exclude<PathWithEscapedSlashesAction, 'IMPLEMENTATION_SPECIFIC_DEFAULT'>;
}

export interface PathRejection {
  readonly kind: 'reject';
  /** Envoy's response code details, e.g. `path_normalization_failed`. */
  readonly details: string;
}

export interface PathRedirect {
  readonly kind: 'redirect';
  /** The unescaped path (with the query) to redirect to. */
  readonly location: string;
}

export type PathResult = string | PathRejection | PathRedirect;

const REJECT_INVALID: PathRejection = Object.freeze({ kind: 'reject', details: 'path_normalization_failed' });
const REJECT_FRAGMENT: PathRejection = Object.freeze({ kind: 'reject', details: 'fragment_in_url_path' });
const REJECT_ESCAPED_SLASH: PathRejection = Object.freeze({ kind: 'reject', details: 'escaped_slashes_in_url_path' });

const ESCAPED_SLASH_RE = /%(2f|5c)/i;
const C_PERCENT = 37;
const C_SLASH = 47;
const C_DOT = 46;
const C_BACKSLASH = 92;
const C_HASH = 35;
const C_QUESTION = 63;

/**
 * Normalises `path` (origin-form, starting with `/`). Returns the (possibly identical) path, or a
 * rejection, or a redirect for UNESCAPE_AND_REDIRECT.
 */
export function normalizeRequestPath(path: string, cfg: PathNormalization): PathResult {
  let end = path.length;
  let attention = false;
  let prev = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === C_QUESTION) {
      end = i;
      break;
    }
    if (c <= 32 || c >= 127 || c === C_BACKSLASH) return REJECT_INVALID;
    if (c === C_HASH) return REJECT_FRAGMENT;
    if (c === C_PERCENT || (prev === C_SLASH && (c === C_SLASH || c === C_DOT))) attention = true;
    prev = c;
  }
  if (!attention) return path;
  // A `#` after the `?` is a fragment too (it never belongs in a request target).
  if (path.indexOf('#', end) >= 0) return REJECT_FRAGMENT;
  const query = path.slice(end);
  let p = path.slice(0, end);

  const redirect = cfg.escapedSlashesAction === 'UNESCAPE_AND_REDIRECT' && ESCAPED_SLASH_RE.test(p);
  const decoded = decodeEscapes(p, cfg);
  if (typeof decoded !== 'string') return decoded;
  p = decoded;
  if (cfg.normalizePath) p = removeDotSegments(p);
  if (cfg.mergeSlashes) p = mergeSlashes(p);
  if (redirect) return { kind: 'redirect', location: p + query };
  return p + query;
}

/**
 * One pass over `%XX` escapes: rejects `%00`, applies the escaped-slashes action, and (with
 * normalize_path) decodes unreserved characters and upper-cases the rest. Malformed escapes are
 * kept as written, as Chromium's canonicaliser (Envoy's) does.
 */
function decodeEscapes(p: string, cfg: PathNormalization): string | PathRejection {
  if (p.indexOf('%') < 0) return p;
  let out = '';
  let last = 0;
  for (let i = p.indexOf('%'); i >= 0 && i < p.length; i = p.indexOf('%', i + 1)) {
    const h = hexValue(p.charCodeAt(i + 1));
    const l = hexValue(p.charCodeAt(i + 2));
    if (h < 0 || l < 0) continue;
    const byte = h * 16 + l;
    let replacement: string | undefined;
    if (byte === 0) return REJECT_INVALID;
    if (byte === 0x2f || byte === 0x5c) {
      switch (cfg.escapedSlashesAction) {
        case 'REJECT_REQUEST':
          return REJECT_ESCAPED_SLASH;
        case 'KEEP_UNCHANGED':
          replacement = cfg.normalizePath ? (byte === 0x2f ? '%2F' : '%5C') : undefined;
          break;
        case 'UNESCAPE_AND_FORWARD':
        case 'UNESCAPE_AND_REDIRECT':
          // A decoded backslash becomes a slash, as the canonicaliser treats `\` in a path.
          replacement = '/';
          break;
      }
    } else if (cfg.normalizePath) {
      replacement = isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[h]}${HEX[l]}`;
    }
    if (replacement === undefined) continue;
    out += p.slice(last, i) + replacement;
    last = i + 3;
    i += 2;
  }
  return last === 0 ? p : out + p.slice(last);
}

const HEX = '0123456789ABCDEF';

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
function isUnreserved(b: number): boolean {
  return (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b === 45 || b === 46 || b === 95 || b === 126;
}

/** RFC 3986 §5.2.4 remove_dot_segments, for an absolute path. */
export function removeDotSegments(path: string): string {
  if (path.indexOf('.') < 0) return path;
  const segments = path.split('/');
  const out: string[] = [];
  // segments[0] is '' (the path starts with '/').
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i];
    const isLast = i === segments.length - 1;
    if (s === '.') {
      if (isLast) out.push('');
    } else if (s === '..') {
      out.pop();
      if (isLast) out.push('');
    } else {
      out.push(s);
    }
  }
  return `/${out.join('/')}`;
}

export function mergeSlashes(path: string): string {
  return path.indexOf('//') < 0 ? path : path.replace(/\/{2,}/g, '/');
}
