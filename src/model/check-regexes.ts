/**
 * Every RE2 regex in a resource must compile, and every rewrite's substitution must fit its
 * pattern, or Envoy refuses the resource. The walk is structural (any `{kind: 'safeRegex', regex}`
 * StringMatcher or path specifier, any `{pattern, substitution}`), so a regex added to the model
 * later is checked without touching this file.
 *
 * Field paths are reported as Envoy's JSON has them: a model key that only names a oneof (e.g.
 * `pathSpecifier`, `action`) is not a JSON field, so it is dropped, and the chosen member's name
 * takes its place when the member has no field of its own (`match.safeRegex.regex`).
 */
import type { FieldPath, ResourceContext, SnapshotDiagnostics } from './snapshot-diagnostics.ts';
import { compileRe2, parseRe2Substitution } from './regex.ts';

/** Model keys that hold a oneof (a `kind`-tagged union) rather than an Envoy JSON field. */
const ONEOF_KEYS: ReadonlySet<string> = new Set([
  'pathSpecifier',
  'action',
  'clusterSpecifier',
  'routeSpecifier',
  'headerMatchSpecifier',
  'queryParameterMatchSpecifier',
  'hostRewriteSpecifier',
  'schemeRewriteSpecifier',
  'pathRewriteSpecifier',
  'policySpecifier',
  'errorType',
  'faultDelaySpecifier',
  'limitType',
  'validationContextType',
  'healthChecker',
  'upstreamProtocolOptions',
  'lbConfig',
  'type',
]);

function childPath(path: FieldPath, key: string, value: unknown): FieldPath {
  if (!ONEOF_KEYS.has(key) || value === null || typeof value !== 'object') return [...path, key];
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string') return [...path, key];
  return Object.hasOwn(value, kind) ? path : [...path, kind];
}

export function checkRegexes(value: unknown, ctx: ResourceContext, path: FieldPath, out: SnapshotDiagnostics): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkRegexes(v, ctx, [...path, i], out));
    return;
  }
  const o = value as Record<string, unknown>;
  if (o.kind === 'safeRegex' && typeof o.regex === 'string') {
    const r = compileRe2(o.regex);
    const at = path[path.length - 1] === 'safeRegex' ? path : [...path, 'safeRegex'];
    if (!r.ok) out.error(ctx, [...at, 'regex'], r.error);
  }
  if (typeof o.pattern === 'string' && typeof o.substitution === 'string') {
    const r = compileRe2(o.pattern);
    if (!r.ok) {
      out.error(ctx, [...path, 'pattern', 'regex'], r.error);
    } else {
      const s = parseRe2Substitution(o.substitution, r.value.groupCount());
      if (!s.ok) out.error(ctx, [...path, 'substitution'], s.error);
    }
  }
  for (const key of Object.keys(o)) {
    if (key === 'sources' || key === 'kind') continue;
    checkRegexes(o[key], ctx, childPath(path, key, o[key]), out);
  }
}
