/**
 * The backstop: a config's own resources must build as a snapshot (buildSnapshot's checks: filter
 * order, terminal filters, regexes, lb_config, unique domains...), with stand-ins for the names it
 * takes from elsewhere, so that a config that passes here can never make the merged snapshot
 * fail: one bad config must not take the others down (Cilium issue 34982).
 */
import { buildSnapshot, isEnvoyAdminCluster, newCluster, newRouteConfiguration, secretName } from '../../model/index.ts';
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret } from '../../model/index.ts';
import { toSnapshotResources } from '../envoy/index.ts';
import type { PreparedConfig } from './prepare-config.ts';
import { resourceName } from './qualify-resource.ts';

export function checkConfigSnapshot(config: PreparedConfig): void {
  if (config.resources.length === 0) return;
  const own = toSnapshotResources(config.resources.map((p) => p.resource));
  const defined = new Set(config.resources.map((p) => `${p.resource.kind}/${resourceName(p.resource)}`));
  const clusters: Cluster[] = [...own.clusters];
  const routeConfigurations: RouteConfiguration[] = [...own.routeConfigurations];
  const secrets: Secret[] = [...own.secrets];
  const stubbed = new Set<string>();
  for (const ref of config.refs) {
    const key = `${ref.kind}/${ref.name}`;
    if (defined.has(key) || stubbed.has(key) || (ref.kind === 'cluster' && isEnvoyAdminCluster(ref.name))) continue;
    stubbed.add(key);
    if (ref.kind === 'cluster') clusters.push(newCluster({ name: ref.name, type: 'EDS' }));
    else if (ref.kind === 'routeConfiguration') routeConfigurations.push(newRouteConfiguration({ name: ref.name, virtualHosts: [] }));
    else secrets.push({ name: secretName(ref.name), type: { kind: 'genericSecret', genericSecret: { secret: { kind: 'inlineString', inlineString: '' } } }, sources: [] });
  }
  const listeners: Listener[] = [...own.listeners];
  const endpoints: ClusterLoadAssignment[] = [...own.endpoints];
  const built = buildSnapshot({ listeners, routeConfigurations, clusters, endpoints, secrets }, 'check');
  if (!built.ok) config.diagnostics.push(built.error);
}
