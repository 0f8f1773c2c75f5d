/**
 * How `buildSnapshot` words a Diagnostic: it names the manifest object the resource came from (its
 * first source), the field inside it (the source's field prefix, then the path in the resource),
 * and, in the message, the resource itself.
 */
import { DIAGNOSTIC_CODES, formatFieldPath, type Diagnostic, type DiagnosticCode } from '../lib/diagnostic.ts';
import type { SourceRef } from './source-ref.ts';

export type ResourceKind = 'Listener' | 'RouteConfiguration' | 'Cluster' | 'ClusterLoadAssignment' | 'Secret';

/** The resource a check is looking at. */
export interface ResourceContext {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly sources: readonly SourceRef[];
}

export type FieldPath = readonly (string | number)[];

export class SnapshotDiagnostics {
  readonly list: Diagnostic[] = [];

  error(ctx: ResourceContext, path: FieldPath, message: string, code: DiagnosticCode = DIAGNOSTIC_CODES.INVALID_VALUE, hint?: string): void {
    this.list.push(snapshotDiagnostic(ctx, path, message, code, hint));
  }
}

export function snapshotDiagnostic(
  ctx: ResourceContext,
  path: FieldPath,
  message: string,
  code: DiagnosticCode,
  hint?: string,
): Diagnostic {
  const source = ctx.sources[0];
  const inner = formatFieldPath(path);
  let field = inner;
  if (source?.field) field = inner === '' ? source.field : inner.startsWith('[') ? source.field + inner : `${source.field}.${inner}`;
  const d: Diagnostic = {
    code,
    severity: 'error',
    message: `${ctx.kind} ${JSON.stringify(ctx.name)}: ${message}`,
    object: source ? { kind: source.kind, ...(source.namespace ? { namespace: source.namespace } : {}), name: source.name } : { kind: ctx.kind, name: ctx.name },
    ...(source?.position ? { position: source.position } : {}),
    ...(field !== '' ? { field } : {}),
    ...(hint ? { hint } : {}),
  };
  return d;
}
