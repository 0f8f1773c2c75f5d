/**
 * `weft explain cec NAME`: what a CiliumEnvoyConfig turned into — its conditions, the qualified
 * names of its resources, the Service ports it intercepts and the addresses its listeners bind,
 * and, for each cluster, the EDS assignment it reads with the endpoints in it right now.
 */
import type { KubeObject } from '../api/object.ts';
import type { CiliumEnvoyConfigReport, ServicePortRedirect } from '../ingest/cilium/index.ts';
import type { ClusterLoadAssignment, Snapshot } from '../model/index.ts';
import type { SourcedObject } from '../manifest/index.ts';
import { ingestCiliumEnvoyConfigs } from '../ingest/cilium/index.ts';
import { DEFAULT_NODE } from './ingesters.ts';
import { ENVOY_CONFIG_KINDS } from './input-bundle.ts';

export interface ExplainedCluster {
  readonly name: string;
  readonly type: string;
  /** The assignment the cluster's endpoints come from (EDS service name, or `inline`). */
  readonly endpointsFrom: string;
  /** `ip:port` (with `weight N` where not 1), as served now; absent when not served. */
  readonly endpoints?: readonly string[];
}

/** A config's report (names, intercepts, diagnostics) joined with its status and the live endpoints. */
export interface EnvoyConfigExplanation extends Pick<CiliumEnvoyConfigReport, 'routeConfigurations' | 'secrets' | 'backendServices' | 'diagnostics'> {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly generation?: number;
  readonly conditions: readonly { type: string; status: string; reason: string; message: string }[];
  readonly listeners: readonly (CiliumEnvoyConfigReport['listeners'][number] & { serving: boolean })[];
  readonly intercepts: readonly ServicePortRedirect[];
  readonly clusters: readonly ExplainedCluster[];
}

function endpointList(cla: ClusterLoadAssignment | undefined): string[] | undefined {
  if (cla === undefined) return undefined;
  return cla.endpoints.flatMap((locality) =>
    locality.lbEndpoints.map((e) => {
      const a = e.endpoint.address;
      const where = a.kind === 'socketAddress' ? `${a.address}:${a.portValue}` : a.kind;
      return e.loadBalancingWeight !== undefined && e.loadBalancingWeight !== 1 ? `${where} weight ${e.loadBalancingWeight}` : where;
    }),
  );
}

export function explainEnvoyConfig(object: KubeObject, report: CiliumEnvoyConfigReport | undefined, snapshot: Snapshot | undefined): EnvoyConfigExplanation {
  const stored = (object as { status?: { conditions?: EnvoyConfigExplanation['conditions'] } }).status?.conditions;
  // Offline (nothing stored) the ingest's own verdict stands in for the status.
  const conditions = (stored ?? report?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
  }));
  const served = new Set<string>((snapshot?.listeners ?? []).map((l) => l.name));
  const assignments = new Map((snapshot?.endpoints ?? []).map((e) => [e.clusterName, e]));
  const clusters = new Map((snapshot?.clusters ?? []).map((c) => [c.name as string, c]));
  return {
    kind: object.kind,
    ...(object.metadata.namespace !== undefined ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    ...(object.metadata.generation !== undefined ? { generation: object.metadata.generation } : {}),
    conditions,
    listeners: (report?.listeners ?? []).map((l) => ({ ...l, serving: served.has(l.name) })),
    intercepts: report?.redirects ?? [],
    routeConfigurations: report?.routeConfigurations ?? [],
    clusters: (report?.clusters ?? []).map((c): ExplainedCluster => {
      const live = clusters.get(c.name);
      if (c.type === 'EDS') {
        const from = c.edsServiceName ?? c.name;
        const endpoints = live === undefined ? undefined : endpointList(assignments.get(from));
        return { name: c.name, type: c.type, endpointsFrom: from, ...(endpoints !== undefined ? { endpoints } : {}) };
      }
      const endpoints = endpointList(live?.loadAssignment);
      return { name: c.name, type: c.type, endpointsFrom: 'inline', ...(endpoints !== undefined ? { endpoints } : {}) };
    }),
    secrets: report?.secrets ?? [],
    backendServices: report?.backendServices ?? [],
    diagnostics: report?.diagnostics ?? [],
  };
}

/** Offline explain over manifest files: the configs and Services given, no live endpoints. */
export function explainOffline(objects: readonly SourcedObject[], kind: string, namespace: string | undefined, name: string): EnvoyConfigExplanation | undefined {
  const target = objects.find((o) => o.object.kind === kind && o.object.metadata.name === name && (o.object.metadata.namespace ?? undefined) === namespace);
  if (target === undefined) return undefined;
  const sources = new Map(objects.map((o) => [o.object, o.source]));
  const result = ingestCiliumEnvoyConfigs({
    configs: objects.filter((o) => ENVOY_CONFIG_KINDS.has(o.object.kind)).map((o) => o.object),
    services: objects.filter((o) => o.object.kind === 'Service').map((o) => o.object),
    nodeLabels: DEFAULT_NODE.labels,
    nodeAddress: DEFAULT_NODE.address,
    positionOf: (o) => {
      const source = sources.get(o);
      return source === undefined ? undefined : (path) => source.positionOf(path);
    },
  });
  const report = result.reports.find((r) => r.object.kind === kind && r.object.name === name && r.object.namespace === namespace);
  return explainEnvoyConfig(target.object, report, undefined);
}
