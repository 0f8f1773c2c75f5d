/** The Diagnostics of one config: each names the object, the field path and, for files, its position. */
import { formatFieldPath, type Diagnostic, type DiagnosticCode, type ObjectRef, type Severity } from '../../lib/diagnostic.ts';
import type { FieldPath, PositionOf } from '../envoy/index.ts';

export class ConfigDiagnostics {
  readonly list: Diagnostic[] = [];

  constructor(
    readonly object: ObjectRef,
    readonly positionOf: PositionOf | undefined,
  ) {}

  get errorCount(): number {
    return this.list.filter((d) => d.severity === 'error').length;
  }

  error(path: FieldPath, code: DiagnosticCode, message: string, hint?: string): void {
    this.add('error', path, code, message, hint);
  }

  warning(path: FieldPath, code: DiagnosticCode, message: string, hint?: string): void {
    this.add('warning', path, code, message, hint);
  }

  add(severity: Severity, path: FieldPath, code: DiagnosticCode, message: string, hint?: string): void {
    const position = this.positionOf?.(path);
    const field = formatFieldPath(path);
    this.list.push({
      code,
      severity,
      message,
      ...(position ? { position } : {}),
      object: this.object,
      ...(field !== '' ? { field } : {}),
      ...(hint ? { hint } : {}),
    });
  }

  /** Diagnostics found elsewhere (the Envoy decoder, the snapshot checks), kept as they are. */
  push(ds: readonly Diagnostic[]): void {
    this.list.push(...ds);
  }
}
