/**
 * Diagnostics the runtime raises while compiling a snapshot, worded like buildSnapshot's: the
 * resource kind and name in the message, the manifest object it came from when known.
 */
import { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode } from '../../lib/diagnostic.ts';
import type { SourceRef } from '../../model/index.ts';

export interface RuntimeResource {
  readonly kind: 'Listener' | 'RouteConfiguration' | 'Cluster' | 'ClusterLoadAssignment' | 'Secret';
  readonly name: string;
  readonly sources: readonly SourceRef[];
}

export function runtimeDiagnostic(
  r: RuntimeResource,
  message: string,
  code: DiagnosticCode = DIAGNOSTIC_CODES.INVALID_VALUE,
  severity: 'error' | 'warning' = 'error',
): Diagnostic {
  const src = r.sources[0];
  return {
    code,
    severity,
    message: `${r.kind} ${JSON.stringify(r.name)}: ${message}`,
    object: src ? { kind: src.kind, ...(src.namespace ? { namespace: src.namespace } : {}), name: src.name } : { kind: r.kind, name: r.name },
    ...(src?.position ? { position: src.position } : {}),
    ...(src?.field ? { field: src.field } : {}),
  };
}
