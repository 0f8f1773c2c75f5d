/**
 * A problem with one field of an object, found by the checks in `api/` (schema, metadata,
 * semantics). It names the field by path; the manifest loader turns it into a `Diagnostic` with the
 * field's file position and the object's reference.
 */
import type { DiagnosticCode, Severity } from '../lib/diagnostic.ts';
import type { FieldPath } from './access-tracker.ts';

export type { FieldPath } from './access-tracker.ts';

export interface FieldIssue {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** The field the issue is about (`[]` for the whole object). */
  readonly path: FieldPath;
  readonly message: string;
  readonly hint?: string;
}

export function fieldError(code: DiagnosticCode, path: FieldPath, message: string, hint?: string): FieldIssue {
  return hint === undefined ? { code, severity: 'error', path, message } : { code, severity: 'error', path, message, hint };
}

/** Short description of a JSON value for messages: `string "abc"`, `number 8080`, `object`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return `string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
    case 'number':
    case 'boolean':
      return `${typeof v} ${String(v)}`;
    case 'object':
      return 'object';
    default:
      return typeof v;
  }
}

/** The value at `path` inside `data`, or undefined. */
export function valueAt(data: unknown, path: FieldPath): unknown {
  let cur = data;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}
