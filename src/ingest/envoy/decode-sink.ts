/**
 * Where decoding diagnostics go. Paths inside a resource are the user's own keys (`filter_chains`
 * or `filterChains`, as written), so the same path finds the YAML position and reads back to the
 * user as they wrote it; `basePath` places the resource in its manifest object
 * (`['spec', 'resources', 2]`).
 */
import {
  formatFieldPath,
  type Diagnostic,
  type DiagnosticCode,
  type ObjectRef,
  type Severity,
  type SourcePosition,
} from '../../lib/diagnostic.ts';

export type FieldPath = readonly (string | number)[];

/**
 * Position of the field at `path` (keys and indexes from the manifest object's root); a path that
 * does not exist should answer for its nearest existing ancestor, as `ObjectSource.positionOf` does.
 */
export type PositionOf = (path: FieldPath) => SourcePosition | undefined;

export class DecodeSink {
  readonly diagnostics: Diagnostic[] = [];
  #errors = 0;

  constructor(
    readonly basePath: FieldPath,
    readonly positionOf: PositionOf | undefined,
    readonly object: ObjectRef | undefined,
  ) {}

  get errorCount(): number {
    return this.#errors;
  }

  error(path: FieldPath, code: DiagnosticCode, message: string, hint?: string): void {
    this.add('error', path, code, message, hint);
  }

  warning(path: FieldPath, code: DiagnosticCode, message: string, hint?: string): void {
    this.add('warning', path, code, message, hint);
  }

  /** The full path from the manifest object's root. */
  fullPath(path: FieldPath): FieldPath {
    return [...this.basePath, ...path];
  }

  private add(severity: Severity, path: FieldPath, code: DiagnosticCode, message: string, hint: string | undefined): void {
    if (severity === 'error') this.#errors++;
    const full = this.fullPath(path);
    const position = this.positionOf?.(full);
    const field = formatFieldPath(full);
    this.diagnostics.push({
      code,
      severity,
      message,
      ...(position ? { position } : {}),
      ...(this.object ? { object: this.object } : {}),
      ...(field !== '' ? { field } : {}),
      ...(hint ? { hint } : {}),
    });
  }
}
