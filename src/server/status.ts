/**
 * Kubernetes `Status` bodies for API errors, so Kubernetes clients (and `weft`) read failures the way
 * they read the API server's: `{kind: "Status", status: "Failure", reason, code, message, details}`.
 */
import type { Diagnostic } from '../lib/diagnostic.ts';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'InternalError';

export const STATUS_CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  AlreadyExists: 409,
  Gone: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  InternalError: 500,
};

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message: string;
  reason: StatusReason;
  code: number;
  details?: { name?: string; kind?: string; group?: string; causes?: StatusCause[]; diagnostics?: Diagnostic[] };
}

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export function failure(reason: StatusReason, message: string, details?: StatusBody['details']): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code: STATUS_CODES[reason], details };
}

/** A 422 Invalid whose causes are the diagnostics, as the API server reports field errors. */
export function invalid(kind: string, name: string, diagnostics: readonly Diagnostic[]): StatusBody {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const causes = errors.map((d) => ({ reason: d.code, message: d.message, field: d.field }));
  const summary = errors.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
  return failure('Invalid', `${kind} "${name}" is invalid: ${summary}`, { name, kind, causes, diagnostics: [...diagnostics] });
}
