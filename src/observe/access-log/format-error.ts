/**
 * A format string that does not compile. The caller (the runtime, when it builds a snapshot, or
 * validation) turns it into a Diagnostic with `toDiagnostic`, so a bad access log format rejects
 * the snapshot with a precise message instead of failing per request.
 */
import { DIAGNOSTIC_CODES, type Diagnostic, type ObjectRef } from '../../lib/diagnostic.ts';

export interface FormatError {
  readonly message: string;
  /** 0-based offset in the format string where the bad command starts, when known. */
  readonly position?: number;
  /** For JSON formats: the key path of the bad value (`upstream.host`). */
  readonly jsonPath?: string;
}

/** The Diagnostic for a format error; `field` is where the format sits in the object. */
export function formatErrorToDiagnostic(
  error: FormatError,
  where: { readonly object?: ObjectRef; readonly field?: string } = {},
): Diagnostic {
  const field =
    where.field !== undefined && error.jsonPath !== undefined
      ? `${where.field}.${error.jsonPath}`
      : (where.field ?? error.jsonPath);
  return {
    code: DIAGNOSTIC_CODES.INVALID_VALUE,
    severity: 'error',
    message: `invalid access log format: ${error.message}`,
    ...(where.object ? { object: where.object } : {}),
    ...(field !== undefined ? { field } : {}),
    hint: 'see the command operators in Envoy\'s access log documentation (%START_TIME%, %REQ(X?Y):Z%, ...)',
  };
}
