/**
 * envoy.config.listener.v3.Listener, FilterChain, FilterChainMatch and listener filters.
 */
import type { Address, SocketAddress, TrafficDirection } from './common.ts';
import type { ListenerName } from './ids.ts';
import type { NetworkFilter } from './network-filters.ts';
import type { SourceRef } from './source-ref.ts';
import type { DownstreamTlsContext } from './tls.ts';

/** envoy.config.core.v3.CidrRange. */
export interface CidrRange {
  readonly addressPrefix: string;
  readonly prefixLen: number;
}

export type ConnectionSourceType = 'ANY' | 'SAME_IP_OR_LOOPBACK' | 'EXTERNAL';

/**
 * envoy.config.listener.v3.FilterChainMatch. Envoy picks the chain whose match is most specific,
 * criterion by criterion in this order: destination port, destination IP, server name (exact,
 * then longest wildcard `*.foo.com`), transport protocol, application protocols, source type,
 * source IP, source port. Empty lists / absent fields match anything.
 */
export interface FilterChainMatch {
  readonly destinationPort?: number;
  readonly prefixRanges: readonly CidrRange[];
  readonly directSourcePrefixRanges: readonly CidrRange[];
  /** Default ANY. */
  readonly sourceType?: ConnectionSourceType;
  readonly sourcePrefixRanges: readonly CidrRange[];
  readonly sourcePorts: readonly number[];
  /** SNI names; `*.foo.com` wildcards allowed. Needs the tls_inspector listener filter. */
  readonly serverNames: readonly string[];
  /** `tls` or `raw_buffer` (set by tls_inspector). */
  readonly transportProtocol?: string;
  /** ALPN values, e.g. `h2`, `http/1.1`. */
  readonly applicationProtocols: readonly string[];
}

/** envoy.config.listener.v3.FilterChain. */
export interface FilterChain {
  readonly name?: string;
  /** Absent = matches everything. */
  readonly filterChainMatch?: FilterChainMatch;
  /** Ordered; the last is terminal. */
  readonly filters: readonly NetworkFilter[];
  /** Absent = cleartext (`raw_buffer`); otherwise TLS is terminated with this context. */
  readonly transportSocket?: DownstreamTlsContext;
  readonly transportSocketConnectTimeoutMs?: number;
}

/** envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector. */
export interface TlsInspector {
  /** Bytes to peek for the ClientHello. Default 64 KiB. */
  readonly initialReadBufferSize?: number;
}

/** A listener filter; `name` as the user wrote it (e.g. `envoy.filters.listener.tls_inspector`). */
export type ListenerFilter = { readonly kind: 'tlsInspector'; readonly typedConfig: TlsInspector } & {
  readonly name: string;
};

/** envoy.config.listener.v3.Listener. */
export interface Listener {
  readonly name: ListenerName;
  /** Absent = an internal listener (no socket; reached only from inside weft). */
  readonly address?: Address;
  /** Further addresses served by the same filter chains (e.g. `::1` next to `127.0.0.1`). */
  readonly additionalAddresses: readonly SocketAddress[];
  readonly filterChains: readonly FilterChain[];
  /** Used when no filter chain matches; absent = the connection is closed. */
  readonly defaultFilterChain?: FilterChain;
  readonly listenerFilters: readonly ListenerFilter[];
  /** Time for listener filters to finish (e.g. ClientHello to arrive). Default 15000; 0 = none. */
  readonly listenerFiltersTimeoutMs?: number;
  /** On listener filter timeout, go on with what is known. Default false (close). */
  readonly continueOnListenerFiltersTimeout?: boolean;
  /** Soft limit on buffered bytes per connection. Default 1 MiB. */
  readonly perConnectionBufferLimitBytes?: number;
  readonly trafficDirection?: TrafficDirection;
  readonly sources: readonly SourceRef[];
}
