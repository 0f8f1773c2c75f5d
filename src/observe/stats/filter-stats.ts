/**
 * Stats of the filters weft runs: local rate limit (`<stat_prefix>.http_local_rate_limit.`),
 * TCP proxy (`tcp.<stat_prefix>.`) and RBAC (`http.<hcm_prefix>.rbac.[<rules_prefix>.]`), with
 * Envoy's names.
 */
import { counter, createStatSet, gauge, type StatSet } from './stat-set.ts';
import type { StatStore } from './stat-store.ts';

export const ALL_LOCAL_RATE_LIMIT_STATS = {
  enabled: counter('enabled'),
  enforced: counter('enforced'),
  rateLimited: counter('rate_limited'),
  ok: counter('ok'),
} as const;

export interface LocalRateLimitStats extends StatSet<typeof ALL_LOCAL_RATE_LIMIT_STATS> {
  release(): void;
}

/** The HTTP local rate limit filter's stats; `statPrefix` is the filter config's stat_prefix. */
export function createLocalRateLimitStats(store: StatStore, statPrefix: string): LocalRateLimitStats {
  const scope = store.scope(`${statPrefix}.http_local_rate_limit`);
  return { ...createStatSet(scope, ALL_LOCAL_RATE_LIMIT_STATS), release: () => scope.release() };
}

export const ALL_TCP_PROXY_STATS = {
  downstreamCxTotal: counter('downstream_cx_total'),
  downstreamCxNoRoute: counter('downstream_cx_no_route'),
  downstreamCxRxBytesTotal: counter('downstream_cx_rx_bytes_total'),
  downstreamCxTxBytesTotal: counter('downstream_cx_tx_bytes_total'),
  downstreamFlowControlPausedReadingTotal: counter('downstream_flow_control_paused_reading_total'),
  downstreamFlowControlResumedReadingTotal: counter('downstream_flow_control_resumed_reading_total'),
  idleTimeout: counter('idle_timeout'),
  maxDownstreamConnectionDurationReached: counter('max_downstream_connection_duration'),
  upstreamFlushTotal: counter('upstream_flush_total'),
  downstreamCxRxBytesBuffered: gauge('downstream_cx_rx_bytes_buffered'),
  downstreamCxTxBytesBuffered: gauge('downstream_cx_tx_bytes_buffered'),
  upstreamFlushActive: gauge('upstream_flush_active'),
} as const;

export interface TcpProxyStats extends StatSet<typeof ALL_TCP_PROXY_STATS> {
  release(): void;
}

export function createTcpProxyStats(store: StatStore, statPrefix: string): TcpProxyStats {
  const scope = store.scope(`tcp.${statPrefix}`);
  return { ...createStatSet(scope, ALL_TCP_PROXY_STATS), release: () => scope.release() };
}

export const ALL_RBAC_STATS = {
  allowed: counter('allowed'),
  denied: counter('denied'),
  shadowAllowed: counter('shadow_allowed'),
  shadowDenied: counter('shadow_denied'),
} as const;

export interface RbacStats extends StatSet<typeof ALL_RBAC_STATS> {
  release(): void;
}

/** The HTTP RBAC filter's stats; `rulesStatPrefix` is the filter's optional stat_prefix. */
export function createHttpRbacStats(store: StatStore, hcmStatPrefix: string, rulesStatPrefix = ''): RbacStats {
  const scope = store.scope(rulesStatPrefix === '' ? `http.${hcmStatPrefix}.rbac` : `http.${hcmStatPrefix}.rbac.${rulesStatPrefix}`);
  return { ...createStatSet(scope, ALL_RBAC_STATS), release: () => scope.release() };
}
