/**
 * A route's retry policy compiled once (Envoy's RetryPolicyImpl): retry_on as a bitmask, the
 * back-off bounds, the retriable status codes as a set, and the retriable response headers and
 * retriable request headers as predicates.
 * `parseRetryOn` reads an `x-envoy-retry-on` request header value into the same bitmask.
 */
import { ENVOY_DEFAULTS, type HeaderMatcher, type RetryOn, type RetryPolicy } from '../../model/index.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { compileHeaderMatcher, type RequestPredicate } from './header-matcher.ts';
import type { RouteRequest } from './request.ts';

export const RETRY_ON = {
  FIVE_XX: 1 << 0,
  GATEWAY_ERROR: 1 << 1,
  RESET: 1 << 2,
  CONNECT_FAILURE: 1 << 3,
  RETRIABLE_4XX: 1 << 4,
  REFUSED_STREAM: 1 << 5,
  RETRIABLE_STATUS_CODES: 1 << 6,
  RETRIABLE_HEADERS: 1 << 7,
  RESET_BEFORE_REQUEST: 1 << 8,
  ENVOY_RATELIMITED: 1 << 9,
} as const;

const BITS: Readonly<Record<string, number>> = {
  '5xx': RETRY_ON.FIVE_XX,
  'gateway-error': RETRY_ON.GATEWAY_ERROR,
  reset: RETRY_ON.RESET,
  'reset-before-request': RETRY_ON.RESET_BEFORE_REQUEST,
  'connect-failure': RETRY_ON.CONNECT_FAILURE,
  'retriable-4xx': RETRY_ON.RETRIABLE_4XX,
  'refused-stream': RETRY_ON.REFUSED_STREAM,
  'retriable-status-codes': RETRY_ON.RETRIABLE_STATUS_CODES,
  'retriable-headers': RETRY_ON.RETRIABLE_HEADERS,
  'envoy-ratelimited': RETRY_ON.ENVOY_RATELIMITED,
};

export interface CompiledRetryPolicy {
  /** RETRY_ON bits. */
  readonly on: number;
  readonly numRetries: number;
  /** 0 = none. */
  readonly perTryTimeoutMs: number;
  readonly baseIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly retriableStatusCodes: ReadonlySet<number>;
  /** Predicates over the response headers (retriable-headers). */
  readonly retriableHeaders: readonly RequestPredicate[];
  /**
   * retriable_request_headers: when not empty, a request is retried only if it matches one of
   * them (Envoy clears retry_on otherwise, x-envoy-retry-on included).
   */
  readonly retriableRequestHeaders: readonly RequestPredicate[];
  /** retry_host_predicate previous_hosts. */
  readonly previousHosts: boolean;
  readonly hostSelectionRetryMaxAttempts: number;
}

/** Unknown names are ignored (Envoy ignores them in the header; the model rejects them in config). */
export function parseRetryOn(values: readonly RetryOn[] | string): number {
  let bits = 0;
  const list = typeof values === 'string' ? values.split(',') : values;
  for (const v of list) bits |= BITS[typeof values === 'string' ? v.trim() : v] ?? 0;
  return bits;
}

export function compileRetryPolicy(p: RetryPolicy): Result<CompiledRetryPolicy, string> {
  const headers = compileMatchers(p.retriableHeaders, 'retriable_headers');
  if (!headers.ok) return headers;
  const requestHeaders = compileMatchers(p.retriableRequestHeaders, 'retriable_request_headers');
  if (!requestHeaders.ok) return requestHeaders;
  const d = ENVOY_DEFAULTS.retryPolicy;
  const base = p.retryBackOff?.baseIntervalMs ?? d.baseIntervalMs;
  return ok({
    on: parseRetryOn(p.retryOn),
    numRetries: p.numRetries ?? d.numRetries,
    perTryTimeoutMs: p.perTryTimeoutMs ?? 0,
    baseIntervalMs: base,
    maxIntervalMs: p.retryBackOff?.maxIntervalMs ?? base * d.maxIntervalFactor,
    retriableStatusCodes: new Set(p.retriableStatusCodes),
    retriableHeaders: headers.value,
    retriableRequestHeaders: requestHeaders.value,
    previousHosts: p.retryHostPredicate.some((h) => h.kind === 'previousHosts'),
    hostSelectionRetryMaxAttempts: p.hostSelectionRetryMaxAttempts ?? d.hostSelectionRetryMaxAttempts,
  });
}

function compileMatchers(list: readonly HeaderMatcher[], field: string): Result<RequestPredicate[], string> {
  const out: RequestPredicate[] = [];
  for (const h of list) {
    const m = compileHeaderMatcher(h);
    if (!m.ok) return err(`retry policy ${field}: ${m.error}`);
    out.push(m.value);
  }
  return ok(out);
}

/** retriable_request_headers allow retries for `req` (always, when there are none). */
export function retriesAllowedFor(policy: CompiledRetryPolicy, req: RouteRequest): boolean {
  const list = policy.retriableRequestHeaders;
  if (list.length === 0) return true;
  for (let i = 0; i < list.length; i++) if (list[i](req)) return true;
  return false;
}
