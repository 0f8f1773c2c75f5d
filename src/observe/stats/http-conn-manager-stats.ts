/**
 * HTTP connection manager stats under `http.<stat_prefix>.` (Envoy's ALL_HTTP_CONN_MAN_STATS), and
 * the per-listener ones under `listener.<address>.http.<stat_prefix>.`. Unlike a cluster's
 * per-code counters, the `downstream_rq_<N>xx` classes are declared stats, so they exist (at 0)
 * from the start.
 */
import type { Counter } from './metric.ts';
import { counter, createStatSet, gauge, histogram, type StatSet } from './stat-set.ts';
import type { StatStore } from './stat-store.ts';

export const ALL_HTTP_CONN_MAN_STATS = {
  downstreamCxTotal: counter('downstream_cx_total'),
  downstreamCxSslTotal: counter('downstream_cx_ssl_total'),
  downstreamCxHttp1Total: counter('downstream_cx_http1_total'),
  downstreamCxHttp2Total: counter('downstream_cx_http2_total'),
  downstreamCxUpgradesTotal: counter('downstream_cx_upgrades_total'),
  downstreamCxDestroy: counter('downstream_cx_destroy'),
  downstreamCxDestroyRemote: counter('downstream_cx_destroy_remote'),
  downstreamCxDestroyLocal: counter('downstream_cx_destroy_local'),
  downstreamCxDestroyActiveRq: counter('downstream_cx_destroy_active_rq'),
  downstreamCxDestroyLocalActiveRq: counter('downstream_cx_destroy_local_active_rq'),
  downstreamCxDestroyRemoteActiveRq: counter('downstream_cx_destroy_remote_active_rq'),
  downstreamCxProtocolError: counter('downstream_cx_protocol_error'),
  downstreamCxRxBytesTotal: counter('downstream_cx_rx_bytes_total'),
  downstreamCxTxBytesTotal: counter('downstream_cx_tx_bytes_total'),
  downstreamCxDrainClose: counter('downstream_cx_drain_close'),
  downstreamCxIdleTimeout: counter('downstream_cx_idle_timeout'),
  downstreamCxMaxDurationReached: counter('downstream_cx_max_duration_reached'),
  downstreamCxMaxRequestsReached: counter('downstream_cx_max_requests_reached'),
  downstreamCxOverloadDisableKeepalive: counter('downstream_cx_overload_disable_keepalive'),
  downstreamCxActive: gauge('downstream_cx_active'),
  downstreamCxSslActive: gauge('downstream_cx_ssl_active'),
  downstreamCxHttp1Active: gauge('downstream_cx_http1_active'),
  downstreamCxHttp2Active: gauge('downstream_cx_http2_active'),
  downstreamCxUpgradesActive: gauge('downstream_cx_upgrades_active'),
  downstreamCxRxBytesBuffered: gauge('downstream_cx_rx_bytes_buffered'),
  downstreamCxTxBytesBuffered: gauge('downstream_cx_tx_bytes_buffered'),
  downstreamCxLengthMs: histogram('downstream_cx_length_ms', 'milliseconds'),
  downstreamFlowControlPausedReadingTotal: counter('downstream_flow_control_paused_reading_total'),
  downstreamFlowControlResumedReadingTotal: counter('downstream_flow_control_resumed_reading_total'),
  downstreamRqTotal: counter('downstream_rq_total'),
  downstreamRqHttp1Total: counter('downstream_rq_http1_total'),
  downstreamRqHttp2Total: counter('downstream_rq_http2_total'),
  downstreamRqActive: gauge('downstream_rq_active'),
  downstreamRqCompleted: counter('downstream_rq_completed'),
  downstreamRq1xx: counter('downstream_rq_1xx'),
  downstreamRq2xx: counter('downstream_rq_2xx'),
  downstreamRq3xx: counter('downstream_rq_3xx'),
  downstreamRq4xx: counter('downstream_rq_4xx'),
  downstreamRq5xx: counter('downstream_rq_5xx'),
  downstreamRqTime: histogram('downstream_rq_time', 'milliseconds'),
  downstreamRqRxReset: counter('downstream_rq_rx_reset'),
  downstreamRqTxReset: counter('downstream_rq_tx_reset'),
  downstreamRqNonRelativePath: counter('downstream_rq_non_relative_path'),
  downstreamRqTooLarge: counter('downstream_rq_too_large'),
  downstreamRqResponseBeforeRqComplete: counter('downstream_rq_response_before_rq_complete'),
  downstreamRqWsOnNonWsRoute: counter('downstream_rq_ws_on_non_ws_route'),
  downstreamRqIdleTimeout: counter('downstream_rq_idle_timeout'),
  downstreamRqTimeout: counter('downstream_rq_timeout'),
  downstreamRqHeaderTimeout: counter('downstream_rq_header_timeout'),
  downstreamRqMaxDurationReached: counter('downstream_rq_max_duration_reached'),
  downstreamRqOverloadClose: counter('downstream_rq_overload_close'),
  downstreamRqRedirectedWithNormalizedPath: counter('downstream_rq_redirected_with_normalized_path'),
  downstreamRqTooManyPrematureResets: counter('downstream_rq_too_many_premature_resets'),
  rsTooLarge: counter('rs_too_large'),
} as const;

export interface HttpConnManagerStats extends StatSet<typeof ALL_HTTP_CONN_MAN_STATS> {
  /** `downstream_rq_completed` and `downstream_rq_<N>xx` for one response. */
  chargeResponse(code: number): void;
  release(): void;
}

function classCounters(set: {
  downstreamRq1xx: Counter;
  downstreamRq2xx: Counter;
  downstreamRq3xx: Counter;
  downstreamRq4xx: Counter;
  downstreamRq5xx: Counter;
}): readonly (Counter | undefined)[] {
  return [undefined, set.downstreamRq1xx, set.downstreamRq2xx, set.downstreamRq3xx, set.downstreamRq4xx, set.downstreamRq5xx];
}

export function createHttpConnManagerStats(store: StatStore, statPrefix: string): HttpConnManagerStats {
  const scope = store.scope(`http.${statPrefix}`);
  const set = createStatSet(scope, ALL_HTTP_CONN_MAN_STATS);
  const classes = classCounters(set);
  return {
    ...set,
    chargeResponse(code: number): void {
      set.downstreamRqCompleted.value++;
      const c = classes[(code / 100) | 0];
      if (c !== undefined) c.value++;
    },
    release: () => scope.release(),
  };
}

/** Envoy's ALL_HTTP_CONN_MAN_LISTENER_STATS. */
export const ALL_HTTP_CONN_MAN_LISTENER_STATS = {
  downstreamRqCompleted: counter('downstream_rq_completed'),
  downstreamRq1xx: counter('downstream_rq_1xx'),
  downstreamRq2xx: counter('downstream_rq_2xx'),
  downstreamRq3xx: counter('downstream_rq_3xx'),
  downstreamRq4xx: counter('downstream_rq_4xx'),
  downstreamRq5xx: counter('downstream_rq_5xx'),
} as const;

export interface HttpConnManagerListenerStats extends StatSet<typeof ALL_HTTP_CONN_MAN_LISTENER_STATS> {
  chargeResponse(code: number): void;
  release(): void;
}

/** `listener.<listenerStatPrefix>.http.<statPrefix>.` */
export function createHttpConnManagerListenerStats(
  store: StatStore,
  listenerStatPrefix: string,
  statPrefix: string,
): HttpConnManagerListenerStats {
  const scope = store.scope(`listener.${listenerStatPrefix}.http.${statPrefix}`);
  const set = createStatSet(scope, ALL_HTTP_CONN_MAN_LISTENER_STATS);
  const classes = classCounters(set);
  return {
    ...set,
    chargeResponse(code: number): void {
      set.downstreamRqCompleted.value++;
      const c = classes[(code / 100) | 0];
      if (c !== undefined) c.value++;
    },
    release: () => scope.release(),
  };
}
