/**
 * What an admin renderer returns; the server writes it as it is. Renderers are pure functions of
 * the data they are given, so each endpoint's output is a golden string in its test.
 */
export interface AdminResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export const TEXT_PLAIN = 'text/plain; charset=UTF-8';
export const APPLICATION_JSON = 'application/json';

export function textResponse(body: string, status = 200): AdminResponse {
  return { status, contentType: TEXT_PLAIN, body };
}

export function jsonResponse(value: unknown, status = 200): AdminResponse {
  // Envoy pretty-prints admin JSON the way protobuf's printer does: one space per level.
  return { status, contentType: APPLICATION_JSON, body: `${JSON.stringify(value, null, 1)}\n` };
}

/** `google.protobuf.Duration` in JSON: `5s`, `1.500s`. */
export function protoDuration(seconds: number): string {
  const whole = Math.trunc(seconds);
  const nanos = Math.round((seconds - whole) * 1e9);
  if (nanos === 0) return `${whole}s`;
  const frac = String(nanos).padStart(9, '0');
  const digits = frac.endsWith('000000') ? 3 : frac.endsWith('000') ? 6 : 9;
  return `${whole}.${frac.slice(0, digits)}s`;
}
