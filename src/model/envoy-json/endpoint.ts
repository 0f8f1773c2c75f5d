/** envoy.config.endpoint.v3.{ClusterLoadAssignment, LocalityLbEndpoints, LbEndpoint, Endpoint}. */
import type { ClusterLoadAssignment, ClusterLoadAssignmentPolicy, Endpoint, LbEndpoint, LocalityLbEndpoints } from '../endpoint.ts';
import { encodeAddress, encodeLocality } from './common.ts';
import { enumName, list, noOtherFields, num, obj, str, type JsonObject } from './json.ts';

function encodeHealthCheckConfig(h: NonNullable<Endpoint['healthCheckConfig']>): JsonObject {
  const { portValue, hostname, ...rest } = h;
  noOtherFields(rest);
  return obj({ port_value: num(portValue), hostname: str(hostname) });
}

function encodeEndpoint(e: Endpoint): JsonObject {
  const { address, healthCheckConfig, hostname, ...rest } = e;
  noOtherFields(rest);
  return obj({ address: encodeAddress(address), health_check_config: healthCheckConfig ? encodeHealthCheckConfig(healthCheckConfig) : undefined, hostname: str(hostname) });
}

function encodeLbEndpoint(e: LbEndpoint): JsonObject {
  const { endpoint, healthStatus, loadBalancingWeight, ...rest } = e;
  noOtherFields(rest);
  return obj({ endpoint: encodeEndpoint(endpoint), health_status: enumName(healthStatus, 'UNKNOWN'), load_balancing_weight: loadBalancingWeight });
}

function encodeLocalityLbEndpoints(l: LocalityLbEndpoints): JsonObject {
  const { locality, lbEndpoints, loadBalancingWeight, priority, ...rest } = l;
  noOtherFields(rest);
  return obj({
    locality: locality ? encodeLocality(locality) : undefined,
    lb_endpoints: list(lbEndpoints, encodeLbEndpoint),
    load_balancing_weight: loadBalancingWeight,
    priority: num(priority),
  });
}

function encodePolicy(p: ClusterLoadAssignmentPolicy): JsonObject {
  const { overprovisioningFactor, ...rest } = p;
  noOtherFields(rest);
  return obj({ overprovisioning_factor: overprovisioningFactor });
}

/**
 * envoy.config.endpoint.v3.ClusterLoadAssignment (EDS, or inline as a cluster's load_assignment).
 * Envoy's ClusterLoadAssignment has no `metadata`, so its `sources` cannot be written into it
 * (encodeSnapshot returns them beside the config).
 */
export function encodeClusterLoadAssignment(cla: ClusterLoadAssignment): JsonObject {
  const { clusterName, endpoints, policy, sources: _sources, ...rest } = cla;
  noOtherFields(rest);
  return obj({
    cluster_name: str(clusterName),
    endpoints: list(endpoints, encodeLocalityLbEndpoints),
    policy: policy ? encodePolicy(policy) : undefined,
  });
}
