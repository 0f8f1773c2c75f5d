/** envoy.config.cluster.v3.CircuitBreakers. Overflow → 503 with `x-envoy-overloaded`, flag UO. */
import type { Fraction, RoutingPriority } from './common.ts';
import { ENVOY_DEFAULTS } from './defaults.ts';

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

/** The four limits of one priority, Envoy's defaults filled in. */
export interface EffectiveThresholds {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
}

/** The thresholds a cluster gives for `priority` (absent: that priority takes Envoy's defaults). */
export function thresholdsFor(cb: CircuitBreakers | undefined, priority: RoutingPriority): CircuitBreakerThresholds | undefined {
  return cb?.thresholds.find((t) => (t.priority ?? 'DEFAULT') === priority);
}

/** `t`'s limits with Envoy's defaults (1024 / 1024 / 1024 / 3) where it sets none. */
export function effectiveThresholds(t: CircuitBreakerThresholds | undefined): EffectiveThresholds {
  const d = ENVOY_DEFAULTS.circuitBreakers;
  return {
    maxConnections: t?.maxConnections ?? d.maxConnections,
    maxPendingRequests: t?.maxPendingRequests ?? d.maxPendingRequests,
    maxRequests: t?.maxRequests ?? d.maxRequests,
    maxRetries: t?.maxRetries ?? d.maxRetries,
  };
}
