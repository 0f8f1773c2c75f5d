/**
 * envoy.config.endpoint.v3.{ClusterLoadAssignment, LocalityLbEndpoints, LbEndpoint, Endpoint}.
 *
 * Ignored, with the reason: `metadata` (data for filters and subset load balancing, which weft
 * does not run).
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import type { ClusterLoadAssignment, Endpoint, HealthStatus, LbEndpoint, LocalityLbEndpoints, SourceRef } from '../../model/index.ts';
import { compact, convertAddress, convertLocality, enumIn } from './convert-common.ts';
import type { ProtoObject } from './proto-object.ts';

const HEALTH: readonly HealthStatus[] = ['UNKNOWN', 'HEALTHY', 'UNHEALTHY', 'DRAINING', 'TIMEOUT', 'DEGRADED'];

function convertEndpoint(o: ProtoObject): Endpoint | undefined {
  const a = o.msg('address');
  const address = a ? convertAddress(a) : undefined;
  if (!a) o.error('address', DIAGNOSTIC_CODES.REQUIRED, 'an endpoint needs an address');
  const hc = o.msg('health_check_config');
  const healthCheckConfig = hc ? compact({ portValue: hc.num('port_value') || undefined, hostname: hc.str('hostname') || undefined }) : undefined;
  if (!address) return undefined;
  return compact({ address, healthCheckConfig, hostname: o.str('hostname') || undefined });
}

function convertLbEndpoint(o: ProtoObject): LbEndpoint | undefined {
  o.ignore('metadata');
  const e = o.msg('endpoint');
  const endpoint = e ? convertEndpoint(e) : undefined;
  const lb = compact({
    healthStatus: enumIn(o, 'health_status', HEALTH, 'health_status'),
    loadBalancingWeight: o.num('load_balancing_weight'),
  });
  // endpoint_name (a named endpoint of the assignment) stays unread and is reported.
  return endpoint ? { ...lb, endpoint } : undefined;
}

function convertLocalityLbEndpoints(o: ProtoObject): LocalityLbEndpoints | undefined {
  o.ignore('metadata');
  const l = o.msg('locality');
  let list = o.msgs('lb_endpoints');
  // load_balancer_endpoints is the same list, wrapped (for LEDS-era configs).
  const wrapped = o.msg('load_balancer_endpoints');
  if (wrapped) list = [...list, ...wrapped.msgs('lb_endpoints')];
  const endpoints = list.map(convertLbEndpoint);
  const out = compact({
    locality: l ? convertLocality(l) : undefined,
    loadBalancingWeight: o.num('load_balancing_weight'),
    priority: o.num('priority') || undefined,
  });
  if (endpoints.some((e) => e === undefined)) return undefined;
  return { ...out, lbEndpoints: endpoints as LbEndpoint[] };
}

/** A ClusterLoadAssignment; `sources` is empty when it sits inline in a cluster. */
export function convertClusterLoadAssignment(o: ProtoObject, sources: readonly SourceRef[]): ClusterLoadAssignment | undefined {
  const policy = o.msg('policy');
  const groups = o.msgs('endpoints').map(convertLocalityLbEndpoints);
  const cla = compact({
    clusterName: o.str('cluster_name') ?? '',
    policy: policy ? compact({ overprovisioningFactor: policy.num('overprovisioning_factor') }) : undefined,
    sources,
  });
  if (groups.some((g) => g === undefined)) return undefined;
  return { ...cla, endpoints: groups as LocalityLbEndpoints[] };
}
