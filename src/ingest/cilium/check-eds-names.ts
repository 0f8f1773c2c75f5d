/**
 * Warns about EDS clusters that will have no endpoints: the assignment they read is neither
 * defined by a config nor published for a Service. weft publishes, for every Service, the
 * assignments `ns/svc`, `ns/svc:*` and `ns/svc:<port>` (the services ingest; Cilium's names,
 * cilium-semantics.md §1.1.4). Not an error: the Service may simply not exist yet.
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import { edsServiceName } from '../../model/index.ts';
import type { PreparedConfig } from './prepare-config.ts';
import { RawCursor } from './raw-cursor.ts';
import type { ServiceView } from './service-view.ts';

/** Why `name` has no assignment, or undefined when it has one. */
function missingAssignment(name: string, defined: ReadonlySet<string>, services: ReadonlyMap<string, ServiceView>): string | undefined {
  if (defined.has(name)) return undefined;
  const m = /^([^/]+)\/([^/:]+)(?::([^/]*))?$/.exec(name);
  if (!m) return `no ClusterLoadAssignment named "${name}" is defined, so the cluster has no endpoints`;
  const [, namespace, service, port] = m;
  const svc = services.get(`${namespace}/${service}`);
  if (!svc) return `Service ${namespace}/${service} does not exist (yet): the cluster has no endpoints until it does`;
  if (port === undefined || port === '*') return undefined;
  const tcp = svc.ports.filter((p) => p.protocol === 'TCP');
  if (/^\d+$/.test(port)) {
    return tcp.some((p) => p.port === Number(port)) ? undefined : `Service ${namespace}/${service} has no TCP port ${port}, so the cluster has no endpoints`;
  }
  const named = tcp.find((p) => p.name === port);
  return named
    ? `assignments are published by port number: "${namespace}/${service}:${named.port}", not "${name}"`
    : `Service ${namespace}/${service} has no TCP port named "${port}", so the cluster has no endpoints`;
}

export function checkEdsNames(configs: readonly PreparedConfig[], services: ReadonlyMap<string, ServiceView>): void {
  const defined = new Set(configs.flatMap((c) => c.resources.flatMap(({ resource: r }) => (r.kind === 'clusterLoadAssignment' ? [r.clusterLoadAssignment.clusterName] : []))));
  for (const c of configs) {
    for (const { resource: r, index } of c.resources) {
      if (r.kind !== 'cluster' || r.cluster.type !== 'EDS') continue;
      const why = missingAssignment(edsServiceName(r.cluster), defined, services);
      if (why === undefined) continue;
      const at = new RawCursor((c.spec.resources[index] ?? {}) as unknown, ['spec', 'resources', index]);
      const eds = at.get('eds_cluster_config').get('service_name');
      c.diagnostics.warning(eds.value === undefined ? at.get('name').path : eds.path, DIAGNOSTIC_CODES.NOT_FOUND, `EDS cluster "${r.cluster.name}" reads the assignment "${edsServiceName(r.cluster)}": ${why}`);
    }
  }
}
