/**
 * Network (L4) filters of a filter chain: envoy.filters.network.{http_connection_manager,
 * tcp_proxy, local_ratelimit, connection_limit}. The last one of a chain must be terminal
 * (`httpConnectionManager` or `tcpProxy`); `buildSnapshot` checks.
 */
import type { AccessLog } from './access-log.ts';
import type { TokenBucket } from './http-filters.ts';
import type { HttpConnectionManager } from './http-connection-manager.ts';
import type { ClusterName } from './ids.ts';

/** envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.WeightedCluster.ClusterWeight. */
export interface TcpProxyClusterWeight {
  readonly name: ClusterName;
  readonly weight: number;
}

/** TcpProxy.cluster_specifier. */
export type TcpProxyClusterSpecifier =
  | { readonly kind: 'cluster'; readonly cluster: ClusterName }
  | { readonly kind: 'weightedClusters'; readonly weightedClusters: { readonly clusters: readonly TcpProxyClusterWeight[] } };

/** envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy. */
export interface TcpProxy {
  /** Stats under `tcp.<statPrefix>.`. */
  readonly statPrefix: string;
  readonly clusterSpecifier: TcpProxyClusterSpecifier;
  /** Default 1 h; 0 = disabled. */
  readonly idleTimeoutMs?: number;
  /** Default 1. */
  readonly maxConnectAttempts?: number;
  /** Absent = unbounded. */
  readonly maxDownstreamConnectionDurationMs?: number;
  readonly accessLog: readonly AccessLog[];
}

/** envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit: new connections per bucket. */
export interface NetworkLocalRateLimit {
  /** Stats under `<statPrefix>.`. */
  readonly statPrefix: string;
  readonly tokenBucket: TokenBucket;
  /** runtime_enabled's default value. Default true. */
  readonly runtimeEnabled?: boolean;
}

/** envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit. */
export interface ConnectionLimit {
  readonly statPrefix: string;
  /** Active connections allowed on the filter chain. */
  readonly maxConnections: number;
  /** Wait this long before closing a refused connection. Default 0. */
  readonly delayMs?: number;
  /** runtime_enabled's default value. Default true. */
  readonly runtimeEnabled?: boolean;
}

/** A network filter with its typed config; `name` as the user wrote it. */
export type NetworkFilter = (
  | { readonly kind: 'httpConnectionManager'; readonly typedConfig: HttpConnectionManager }
  | { readonly kind: 'tcpProxy'; readonly typedConfig: TcpProxy }
  | { readonly kind: 'localRateLimit'; readonly typedConfig: NetworkLocalRateLimit }
  | { readonly kind: 'connectionLimit'; readonly typedConfig: ConnectionLimit }
) & { readonly name: string };

export type NetworkFilterKind = NetworkFilter['kind'];
