/**
 * One user-facing configuration problem. Every stage that judges configuration (manifest parsing,
 * schema and semantic validation, ingest, translate, apply) reports through this one type, so a
 * user always sees the same shape: where (file:line:column), what (kind namespace/name), which field
 * (a JSON-path-like `spec.rules[0].backendRefs[1].weight`), why, and what to do.
 */
export type Severity = 'error' | 'warning';

export interface SourcePosition {
  /** File path as the user gave it (relative paths stay relative), or `<stdin>` / `<api>`. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface Diagnostic {
  /** Stable machine-readable code, e.g. `WEFT_UNKNOWN_FIELD`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly position?: SourcePosition;
  readonly object?: ObjectRef;
  /** Field path inside the object, e.g. `spec.rules[0].backendRefs[1].weight`. */
  readonly field?: string;
  readonly hint?: string;
}

export const DIAGNOSTIC_CODES = {
  YAML_SYNTAX: 'WEFT_YAML_SYNTAX',
  JSON_SYNTAX: 'WEFT_JSON_SYNTAX',
  NOT_AN_OBJECT: 'WEFT_NOT_AN_OBJECT',
  MISSING_TYPE_META: 'WEFT_MISSING_TYPE_META',
  UNKNOWN_KIND: 'WEFT_UNKNOWN_KIND',
  UNKNOWN_FIELD: 'WEFT_UNKNOWN_FIELD',
  WRONG_TYPE: 'WEFT_WRONG_TYPE',
  REQUIRED: 'WEFT_REQUIRED_FIELD',
  INVALID_VALUE: 'WEFT_INVALID_VALUE',
  INVALID_NAME: 'WEFT_INVALID_NAME',
  DUPLICATE_OBJECT: 'WEFT_DUPLICATE_OBJECT',
  IO: 'WEFT_IO',
  CONFLICT: 'WEFT_CONFLICT',
  NOT_FOUND: 'WEFT_NOT_FOUND',
  UNRESOLVED_REF: 'WEFT_UNRESOLVED_REF',
  UNSUPPORTED: 'WEFT_UNSUPPORTED',
} as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[keyof typeof DIAGNOSTIC_CODES];

export function formatObjectRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/**
 * Formats a diagnostic the way compilers do, so editors and terminals can jump to it:
 * `examples/bad.yaml:12:7: error: HTTPRoute default/r: spec.rules[0].bogus: unknown field "bogus"`
 * followed by an indented `hint:` line when there is one.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const parts: string[] = [];
  if (d.position) parts.push(`${d.position.file}:${d.position.line}:${d.position.column}:`);
  parts.push(`${d.severity}:`);
  if (d.object) parts.push(`${formatObjectRef(d.object)}:`);
  if (d.field) parts.push(`${d.field}:`);
  parts.push(d.message);
  let out = parts.join(' ');
  if (d.hint) out += `\n    hint: ${d.hint}`;
  return out;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, line, column, then message, so output is deterministic. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => {
    const fa = a.position?.file ?? '';
    const fb = b.position?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.position?.line ?? 0;
    const lb = b.position?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.position?.column ?? 0;
    const cb = b.position?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

/** Renders a path of keys and indexes as `spec.rules[0].backendRefs[1].weight`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_@$][\w$@-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
