/**
 * A route's retry policy compiled once (Envoy's RetryPolicyImpl): retry_on as a bitmask, the
 * back-off bounds, the retriable status codes as a set and the retriable headers as predicates.
 * `parseRetryOn` reads an `x-envoy-retry-on` request header value into the same bitmask.
 */
import { ENVOY_DEFAULTS, type RetryOn, type RetryPolicy } from '../../model/index.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { compileHeaderMatcher, type RequestPredicate } from './header-matcher.ts';

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
  const headers: RequestPredicate[] = [];
  for (const h of p.retriableHeaders) {
    const m = compileHeaderMatcher(h);
    if (!m.ok) return err(`retry policy: ${m.error}`);
    headers.push(m.value);
  }
  const d = ENVOY_DEFAULTS.retryPolicy;
  const base = p.retryBackOff?.baseIntervalMs ?? d.baseIntervalMs;
  return ok({
    on: parseRetryOn(p.retryOn),
    numRetries: p.numRetries ?? d.numRetries,
    perTryTimeoutMs: p.perTryTimeoutMs ?? 0,
    baseIntervalMs: base,
    maxIntervalMs: p.retryBackOff?.maxIntervalMs ?? base * d.maxIntervalFactor,
    retriableStatusCodes: new Set(p.retriableStatusCodes),
    retriableHeaders: headers,
    previousHosts: p.retryHostPredicate.some((h) => h.kind === 'previousHosts'),
    hostSelectionRetryMaxAttempts: p.hostSelectionRetryMaxAttempts ?? d.hostSelectionRetryMaxAttempts,
  });
}
