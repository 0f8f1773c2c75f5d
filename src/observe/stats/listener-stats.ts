/**
 * A listener's stats under `listener.<address>_<port>.` (Envoy's ALL_LISTENER_STATS). The prefix is
 * the socket address with `:` made `_` (`0.0.0.0_10000`, `[__1]_80`), or the listener's
 * `stat_prefix` when it has one.
 */
import { counter, createStatSet, gauge, histogram, type StatSet } from './stat-set.ts';
import { sanitizeStatName, type StatStore } from './stat-store.ts';

export const ALL_LISTENER_STATS = {
  downstreamCxTotal: counter('downstream_cx_total'),
  downstreamCxDestroy: counter('downstream_cx_destroy'),
  downstreamCxOverflow: counter('downstream_cx_overflow'),
  downstreamCxOverloadReject: counter('downstream_cx_overload_reject'),
  downstreamCxTransportSocketConnectTimeout: counter('downstream_cx_transport_socket_connect_timeout'),
  downstreamGlobalCxOverflow: counter('downstream_global_cx_overflow'),
  downstreamPreCxTimeout: counter('downstream_pre_cx_timeout'),
  downstreamListenerFilterRemoteClose: counter('downstream_listener_filter_remote_close'),
  downstreamListenerFilterError: counter('downstream_listener_filter_error'),
  noFilterChainMatch: counter('no_filter_chain_match'),
  downstreamCxActive: gauge('downstream_cx_active'),
  downstreamPreCxActive: gauge('downstream_pre_cx_active'),
  downstreamCxLengthMs: histogram('downstream_cx_length_ms', 'milliseconds'),
} as const;

export interface ListenerStats extends StatSet<typeof ALL_LISTENER_STATS> {
  release(): void;
}

/** `0.0.0.0`, 10000 → `0.0.0.0_10000`; `::1`, 80 → `[__1]_80` (Envoy's address string, sanitized). */
export function listenerStatPrefix(address: string, port: number): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return sanitizeStatName(`${host}:${port}`);
}

/** `prefix` from listenerStatPrefix() or the listener's own stat_prefix. */
export function createListenerStats(store: StatStore, prefix: string): ListenerStats {
  const scope = store.scope(`listener.${prefix}`);
  return { ...createStatSet(scope, ALL_LISTENER_STATS), release: () => scope.release() };
}
