/**
 * What Cilium's agent fills into every Cluster of a config (cec_resource_parser.go,
 * cilium-semantics.md §1.1.5):
 * - no `circuit_breakers` → one DEFAULT-priority threshold with the agent's defaults
 *   (`proxy-cluster-max-connections` 1024, `proxy-cluster-max-requests` 1024,
 *   `proxy-max-concurrent-retries` 128); given ones are kept verbatim;
 * - an EDS cluster without `eds_cluster_config.service_name` reads the assignment of its own
 *   (qualified) name. weft writes that name into the model, so the data plane asks for it.
 */
import type { CircuitBreakers, Cluster } from '../../model/index.ts';

export const CILIUM_DEFAULT_CIRCUIT_BREAKERS: CircuitBreakers = {
  thresholds: [{ priority: 'DEFAULT', maxConnections: 1024, maxRequests: 1024, maxRetries: 128 }],
};

/** `cluster` with its name already qualified. */
export function withCiliumClusterDefaults(cluster: Cluster): Cluster {
  const eds = cluster.type === 'EDS' && !cluster.edsClusterConfig?.serviceName;
  return {
    ...cluster,
    ...(cluster.circuitBreakers ? {} : { circuitBreakers: CILIUM_DEFAULT_CIRCUIT_BREAKERS }),
    ...(eds ? { edsClusterConfig: { ...cluster.edsClusterConfig, serviceName: cluster.name } } : {}),
  };
}
