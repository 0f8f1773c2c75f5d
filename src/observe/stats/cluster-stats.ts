/**
 * A cluster's stats under `cluster.<name>.`, with Envoy's names (config/upstream/cluster_manager
 * stats docs): traffic and connection counters, circuit breaker gauges per priority, outlier
 * detection and health check stats, and the per-response-code counters and `upstream_rq_time`
 * that Envoy creates on first use.
 */
import type { Histogram } from './metric.ts';
import { ResponseCodeStats } from './response-code-stats.ts';
import { counter, createStatSet, gauge, histogram, type StatSet } from './stat-set.ts';
import type { StatScope, StatStore } from './stat-store.ts';

export const ALL_CLUSTER_STATS = {
  upstreamCxTotal: counter('upstream_cx_total'),
  upstreamCxHttp1Total: counter('upstream_cx_http1_total'),
  upstreamCxHttp2Total: counter('upstream_cx_http2_total'),
  upstreamCxConnectFail: counter('upstream_cx_connect_fail'),
  upstreamCxConnectTimeout: counter('upstream_cx_connect_timeout'),
  upstreamCxIdleTimeout: counter('upstream_cx_idle_timeout'),
  upstreamCxMaxRequests: counter('upstream_cx_max_requests'),
  upstreamCxOverflow: counter('upstream_cx_overflow'),
  upstreamCxNoneHealthy: counter('upstream_cx_none_healthy'),
  upstreamCxProtocolError: counter('upstream_cx_protocol_error'),
  upstreamCxDestroy: counter('upstream_cx_destroy'),
  upstreamCxDestroyLocal: counter('upstream_cx_destroy_local'),
  upstreamCxDestroyRemote: counter('upstream_cx_destroy_remote'),
  upstreamCxDestroyWithActiveRq: counter('upstream_cx_destroy_with_active_rq'),
  upstreamCxDestroyLocalWithActiveRq: counter('upstream_cx_destroy_local_with_active_rq'),
  upstreamCxDestroyRemoteWithActiveRq: counter('upstream_cx_destroy_remote_with_active_rq'),
  upstreamCxRxBytesTotal: counter('upstream_cx_rx_bytes_total'),
  upstreamCxTxBytesTotal: counter('upstream_cx_tx_bytes_total'),
  upstreamCxActive: gauge('upstream_cx_active'),
  upstreamCxRxBytesBuffered: gauge('upstream_cx_rx_bytes_buffered'),
  upstreamCxTxBytesBuffered: gauge('upstream_cx_tx_bytes_buffered'),
  upstreamCxConnectMs: histogram('upstream_cx_connect_ms', 'milliseconds'),
  upstreamCxLengthMs: histogram('upstream_cx_length_ms', 'milliseconds'),
  upstreamRqTotal: counter('upstream_rq_total'),
  upstreamRqCancelled: counter('upstream_rq_cancelled'),
  upstreamRqMaintenanceMode: counter('upstream_rq_maintenance_mode'),
  upstreamRqTimeout: counter('upstream_rq_timeout'),
  upstreamRqPerTryTimeout: counter('upstream_rq_per_try_timeout'),
  upstreamRqPerTryIdleTimeout: counter('upstream_rq_per_try_idle_timeout'),
  upstreamRqRxReset: counter('upstream_rq_rx_reset'),
  upstreamRqTxReset: counter('upstream_rq_tx_reset'),
  upstreamRqRetry: counter('upstream_rq_retry'),
  upstreamRqRetrySuccess: counter('upstream_rq_retry_success'),
  upstreamRqRetryOverflow: counter('upstream_rq_retry_overflow'),
  upstreamRqRetryLimitExceeded: counter('upstream_rq_retry_limit_exceeded'),
  upstreamRqRetryBackoffExponential: counter('upstream_rq_retry_backoff_exponential'),
  upstreamRqRetryBackoffRatelimited: counter('upstream_rq_retry_backoff_ratelimited'),
  upstreamRqPendingTotal: counter('upstream_rq_pending_total'),
  upstreamRqPendingOverflow: counter('upstream_rq_pending_overflow'),
  upstreamRqPendingFailureEject: counter('upstream_rq_pending_failure_eject'),
  upstreamRqMaxDurationReached: counter('upstream_rq_max_duration_reached'),
  upstreamRqActive: gauge('upstream_rq_active'),
  upstreamRqPendingActive: gauge('upstream_rq_pending_active'),
  retryOrShadowAbandoned: counter('retry_or_shadow_abandoned'),
  lbHealthyPanic: counter('lb_healthy_panic'),
  membershipChange: counter('membership_change'),
  membershipHealthy: gauge('membership_healthy'),
  membershipDegraded: gauge('membership_degraded'),
  membershipExcluded: gauge('membership_excluded'),
  membershipTotal: gauge('membership_total'),
  maxHostWeight: gauge('max_host_weight'),
  updateAttempt: counter('update_attempt'),
  updateSuccess: counter('update_success'),
  updateFailure: counter('update_failure'),
  updateEmpty: counter('update_empty'),
  updateNoRebuild: counter('update_no_rebuild'),
  version: gauge('version'),
} as const;

/** `cluster.<name>.circuit_breakers.<priority>.`; the `remaining_*` gauges need track_remaining. */
export const ALL_CLUSTER_CIRCUIT_BREAKER_STATS = {
  cxOpen: gauge('cx_open'),
  cxPoolOpen: gauge('cx_pool_open'),
  rqPendingOpen: gauge('rq_pending_open'),
  rqOpen: gauge('rq_open'),
  rqRetryOpen: gauge('rq_retry_open'),
} as const;

export const ALL_CLUSTER_CIRCUIT_BREAKER_REMAINING_STATS = {
  remainingCx: gauge('remaining_cx'),
  remainingCxPools: gauge('remaining_cx_pools'),
  remainingPending: gauge('remaining_pending'),
  remainingRq: gauge('remaining_rq'),
  remainingRetries: gauge('remaining_retries'),
} as const;

/** `cluster.<name>.outlier_detection.` (config/upstream/cluster_manager/cluster_stats). */
export const ALL_OUTLIER_DETECTION_STATS = {
  ejectionsActive: gauge('ejections_active'),
  ejectionsOverflow: counter('ejections_overflow'),
  ejectionsEnforcedTotal: counter('ejections_enforced_total'),
  ejectionsEnforcedConsecutive5xx: counter('ejections_enforced_consecutive_5xx'),
  ejectionsDetectedConsecutive5xx: counter('ejections_detected_consecutive_5xx'),
  ejectionsEnforcedSuccessRate: counter('ejections_enforced_success_rate'),
  ejectionsDetectedSuccessRate: counter('ejections_detected_success_rate'),
  ejectionsEnforcedConsecutiveGatewayFailure: counter('ejections_enforced_consecutive_gateway_failure'),
  ejectionsDetectedConsecutiveGatewayFailure: counter('ejections_detected_consecutive_gateway_failure'),
  ejectionsEnforcedConsecutiveLocalOriginFailure: counter('ejections_enforced_consecutive_local_origin_failure'),
  ejectionsDetectedConsecutiveLocalOriginFailure: counter('ejections_detected_consecutive_local_origin_failure'),
  ejectionsEnforcedLocalOriginSuccessRate: counter('ejections_enforced_local_origin_success_rate'),
  ejectionsDetectedLocalOriginSuccessRate: counter('ejections_detected_local_origin_success_rate'),
  ejectionsEnforcedFailurePercentage: counter('ejections_enforced_failure_percentage'),
  ejectionsDetectedFailurePercentage: counter('ejections_detected_failure_percentage'),
  ejectionsEnforcedFailurePercentageLocalOrigin: counter('ejections_enforced_failure_percentage_local_origin'),
  ejectionsDetectedFailurePercentageLocalOrigin: counter('ejections_detected_failure_percentage_local_origin'),
} as const;

/** `cluster.<name>.health_check.`. */
export const ALL_HEALTH_CHECK_STATS = {
  attempt: counter('attempt'),
  success: counter('success'),
  failure: counter('failure'),
  passiveFailure: counter('passive_failure'),
  networkFailure: counter('network_failure'),
  verifyCluster: counter('verify_cluster'),
  healthy: gauge('healthy'),
  degraded: gauge('degraded'),
} as const;

export type CircuitBreakerStats = StatSet<typeof ALL_CLUSTER_CIRCUIT_BREAKER_STATS> &
  Partial<StatSet<typeof ALL_CLUSTER_CIRCUIT_BREAKER_REMAINING_STATS>>;

export interface ClusterStatsOptions {
  /** Create `circuit_breakers.*.remaining_*` gauges (Envoy's `track_remaining`). Default true. */
  readonly trackRemaining?: boolean;
  /** Create `outlier_detection.*` (the cluster has outlier_detection). Default false. */
  readonly outlierDetection?: boolean;
  /** Create `health_check.*` (the cluster has health checks). Default false. */
  readonly healthCheck?: boolean;
  /** Envoy's `alt_stat_name`: the name used in stats instead of the cluster name. */
  readonly altStatName?: string;
}

export interface ClusterStats extends StatSet<typeof ALL_CLUSTER_STATS> {
  readonly circuitBreakers: { readonly default: CircuitBreakerStats; readonly high: CircuitBreakerStats };
  readonly outlierDetection: StatSet<typeof ALL_OUTLIER_DETECTION_STATS> | undefined;
  readonly healthCheck: StatSet<typeof ALL_HEALTH_CHECK_STATS> | undefined;
  /** `upstream_rq_completed`, `upstream_rq_<N>xx`, `upstream_rq_<code>`. */
  readonly upstreamRqCodes: ResponseCodeStats;
  /** Records `upstream_rq_time` (ms), created on first use as in Envoy. */
  recordUpstreamRqTime(ms: number): void;
  /** Drops this holder's claim on the stats (cluster removed, or its runtime disposed). */
  release(): void;
}

function createCircuitBreakerStats(scope: StatScope, trackRemaining: boolean): CircuitBreakerStats {
  const open = createStatSet(scope, ALL_CLUSTER_CIRCUIT_BREAKER_STATS);
  return trackRemaining ? { ...open, ...createStatSet(scope, ALL_CLUSTER_CIRCUIT_BREAKER_REMAINING_STATS) } : open;
}

export function createClusterStats(store: StatStore, clusterName: string, options: ClusterStatsOptions = {}): ClusterStats {
  const scope = store.scope(`cluster.${options.altStatName ?? clusterName}`);
  const trackRemaining = options.trackRemaining ?? true;
  const cb = scope.scope('circuit_breakers');
  // Created on first use; taken over if an earlier holder of this scope already created it.
  let rqTime: Histogram | undefined = scope.existingNames().includes('upstream_rq_time')
    ? scope.histogram('upstream_rq_time', 'milliseconds')
    : undefined;
  return {
    ...createStatSet(scope, ALL_CLUSTER_STATS),
    circuitBreakers: {
      default: createCircuitBreakerStats(cb.scope('default'), trackRemaining),
      high: createCircuitBreakerStats(cb.scope('high'), trackRemaining),
    },
    outlierDetection: options.outlierDetection
      ? createStatSet(scope.scope('outlier_detection'), ALL_OUTLIER_DETECTION_STATS)
      : undefined,
    healthCheck: options.healthCheck ? createStatSet(scope.scope('health_check'), ALL_HEALTH_CHECK_STATS) : undefined,
    upstreamRqCodes: new ResponseCodeStats(scope, 'upstream_rq'),
    recordUpstreamRqTime(ms: number): void {
      (rqTime ??= scope.histogram('upstream_rq_time', 'milliseconds')).record(ms);
    },
    release(): void {
      scope.release();
    },
  };
}
