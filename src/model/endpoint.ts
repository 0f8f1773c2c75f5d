/** envoy.config.endpoint.v3.ClusterLoadAssignment, LocalityLbEndpoints, LbEndpoint. */
import type { Address, Locality } from './common.ts';
import type { SourceRef } from './source-ref.ts';

/** envoy.config.core.v3.HealthStatus as reported by EDS. UNKNOWN counts as healthy. */
export type HealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

/** envoy.config.endpoint.v3.Endpoint. */
export interface Endpoint {
  readonly address: Address;
  /** Port (and host) health checks use instead of the serving address. */
  readonly healthCheckConfig?: { readonly portValue?: number; readonly hostname?: string };
  /** Used by auto_host_rewrite. */
  readonly hostname?: string;
}

/** envoy.config.endpoint.v3.LbEndpoint. */
export interface LbEndpoint {
  readonly endpoint: Endpoint;
  /** Default UNKNOWN. */
  readonly healthStatus?: HealthStatus;
  /** Default 1; must be ≥ 1. */
  readonly loadBalancingWeight?: number;
}

/** envoy.config.endpoint.v3.LocalityLbEndpoints. */
export interface LocalityLbEndpoints {
  readonly locality?: Locality;
  readonly lbEndpoints: readonly LbEndpoint[];
  /** Locality weight (locality-weighted LB only). */
  readonly loadBalancingWeight?: number;
  /** 0 is the highest priority. Default 0. */
  readonly priority?: number;
}

/** ClusterLoadAssignment.Policy. */
export interface ClusterLoadAssignmentPolicy {
  /** Priority load overprovisioning, percent. Default 140. */
  readonly overprovisioningFactor?: number;
}

/**
 * envoy.config.endpoint.v3.ClusterLoadAssignment. A top-level resource (EDS) when published on
 * its own; also inline as a STATIC / DNS cluster's `loadAssignment` (then `sources` is empty).
 */
export interface ClusterLoadAssignment {
  /** The EDS service name: a cluster's `edsClusterConfig.serviceName`, else its name. */
  readonly clusterName: string;
  readonly endpoints: readonly LocalityLbEndpoints[];
  readonly policy?: ClusterLoadAssignmentPolicy;
  readonly sources: readonly SourceRef[];
}
