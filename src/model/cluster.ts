/** envoy.config.cluster.v3.Cluster. */
import type { CircuitBreakers } from './circuit-breakers.ts';
import type { Fraction } from './common.ts';
import type { ClusterLoadAssignment } from './endpoint.ts';
import type { HealthCheck } from './health-check.ts';
import type { ClusterName } from './ids.ts';
import type { OutlierDetection } from './outlier-detection.ts';
import type { UpstreamHttpProtocolOptions } from './protocol-options.ts';
import type { SourceRef } from './source-ref.ts';
import type { UpstreamTlsContext } from './tls.ts';

/** Cluster.DiscoveryType. */
export type DiscoveryType = 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'EDS';

/** Cluster.LbPolicy. */
export type LbPolicy = 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'RING_HASH' | 'MAGLEV';

/** Cluster.DnsLookupFamily. */
export type DnsLookupFamily = 'AUTO' | 'V4_ONLY' | 'V6_ONLY' | 'V4_PREFERRED' | 'ALL';

/** Cluster.RingHashLbConfig. */
export interface RingHashLbConfig {
  /** Default 1024. */
  readonly minimumRingSize?: number;
  /** Default 8388608. */
  readonly maximumRingSize?: number;
  /** Default XX_HASH. */
  readonly hashFunction?: 'XX_HASH' | 'MURMUR_HASH_2';
}

/** Cluster.MaglevLbConfig. */
export interface MaglevLbConfig {
  /** A prime. Default 65537. */
  readonly tableSize?: number;
}

/** Cluster.LeastRequestLbConfig. */
export interface LeastRequestLbConfig {
  /** Hosts sampled per pick. Default 2. */
  readonly choiceCount?: number;
  /** Weight / (active + 1)^bias when weights differ. Default 1. */
  readonly activeRequestBias?: number;
}

/** Cluster.SlowStartConfig. */
export interface SlowStartConfig {
  readonly slowStartWindowMs?: number;
  /** Default 1. */
  readonly aggression?: number;
  /** Default 0.1. */
  readonly minWeightPercent?: Fraction;
}

/** Cluster.RoundRobinLbConfig. */
export interface RoundRobinLbConfig {
  readonly slowStartConfig?: SlowStartConfig;
}

/** Cluster.lb_config: must fit `lbPolicy` (`buildSnapshot` checks). */
export type LbConfig =
  | { readonly kind: 'ringHashLbConfig'; readonly ringHashLbConfig: RingHashLbConfig }
  | { readonly kind: 'maglevLbConfig'; readonly maglevLbConfig: MaglevLbConfig }
  | { readonly kind: 'leastRequestLbConfig'; readonly leastRequestLbConfig: LeastRequestLbConfig }
  | { readonly kind: 'roundRobinLbConfig'; readonly roundRobinLbConfig: RoundRobinLbConfig };

/** Cluster.CommonLbConfig. */
export interface CommonLbConfig {
  /** Below this share of healthy hosts, balance across all hosts (panic). Default 0.5; 0 = never. */
  readonly healthyPanicThreshold?: Fraction;
}

export interface Cluster {
  readonly name: ClusterName;
  /** Stats under `cluster.<altStatName ?? name>.`. */
  readonly altStatName?: string;
  readonly type: DiscoveryType;
  /** EDS only: the ClusterLoadAssignment name to use (absent = the cluster's own name). */
  readonly edsClusterConfig?: { readonly serviceName?: string };
  /** STATIC / STRICT_DNS / LOGICAL_DNS: the hosts. */
  readonly loadAssignment?: ClusterLoadAssignment;
  /** Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Default ROUND_ROBIN. */
  readonly lbPolicy?: LbPolicy;
  readonly lbConfig?: LbConfig;
  readonly commonLbConfig?: CommonLbConfig;
  /** DNS clusters. Default AUTO. */
  readonly dnsLookupFamily?: DnsLookupFamily;
  /** DNS clusters. Default 5000. */
  readonly dnsRefreshRateMs?: number;
  readonly respectDnsTtl?: boolean;
  /** Absent = Envoy's default thresholds (1024 / 1024 / 1024 / 3 retries). */
  readonly circuitBreakers?: CircuitBreakers;
  /** Absent = no outlier detection. */
  readonly outlierDetection?: OutlierDetection;
  readonly healthChecks: readonly HealthCheck[];
  /** Absent = HTTP/1.1 upstream with default options. */
  readonly httpProtocolOptions?: UpstreamHttpProtocolOptions;
  /** Absent = cleartext upstream. */
  readonly transportSocket?: UpstreamTlsContext;
  /** Default 1 MiB. */
  readonly perConnectionBufferLimitBytes?: number;
  /** Drain connections to a host that failed health checks. Default false. */
  readonly closeConnectionsOnHostHealthFailure?: boolean;
  readonly sources: readonly SourceRef[];
}
