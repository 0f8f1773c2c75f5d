/** envoy.config.cluster.v3.CircuitBreakers. Overflow → 503 with `x-envoy-overloaded`, flag UO. */
import type { Fraction, RoutingPriority } from './common.ts';

/** CircuitBreakers.Thresholds.RetryBudget. */
export interface RetryBudget {
  /** Share of active requests that may be retries. Default 0.2. */
  readonly budgetPercent?: Fraction;
  /** Default 3. */
  readonly minRetryConcurrency?: number;
}

/** CircuitBreakers.Thresholds, one per routing priority. Absent limits = Envoy's defaults. */
export interface CircuitBreakerThresholds {
  /** Default DEFAULT. */
  readonly priority?: RoutingPriority;
  /** Default 1024. */
  readonly maxConnections?: number;
  /** Default 1024. */
  readonly maxPendingRequests?: number;
  /** Default 1024. */
  readonly maxRequests?: number;
  /** Default 3. */
  readonly maxRetries?: number;
  /** When set, replaces `maxRetries`. */
  readonly retryBudget?: RetryBudget;
  /** Publish `remaining_*` gauges. Default false. */
  readonly trackRemaining?: boolean;
}

export interface CircuitBreakers {
  readonly thresholds: readonly CircuitBreakerThresholds[];
}
