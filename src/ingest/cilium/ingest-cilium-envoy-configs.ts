/**
 * CiliumEnvoyConfig / CiliumClusterwideEnvoyConfig → weft's model (issue 6). PURE: objects in,
 * resources, Diagnostics and one report per config out; no I/O, no clock, deterministic.
 *
 * Cilium's semantics (cilium-semantics.md §1.1): name qualification, `services` redirects,
 * `backendServices`, listeners with and without an address, the admin cluster, cluster defaults,
 * `nodeSelector`. Where Cilium is silent or worse, weft does better: every config gets status
 * conditions; each config stands alone (one bad config never blocks another, Cilium issue 34982);
 * a dangling reference is a Diagnostic at its field, not a 503 at request time; two configs that
 * clash are both told, and the older one keeps serving.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { Diagnostic } from '../../lib/diagnostic.ts';
import { configHash } from '../../model/index.ts';
import type { SnapshotResources, SourceRef } from '../../model/index.ts';
import { toSnapshotResources, type ModelResource } from '../envoy/index.ts';
import { admitConfigs, compareAge } from './admission.ts';
import { checkConfigSnapshot } from './check-config-snapshot.ts';
import { checkEdsNames } from './check-eds-names.ts';
import { configReport } from './config-report.ts';
import { prepareConfig, resourceKindName, type PreparedConfig } from './prepare-config.ts';
import { resourceIdentity, resourceName } from './qualify-resource.ts';
import { indexServices } from './service-view.ts';
import type { CiliumEnvoyConfigIngest, CiliumEnvoyConfigInput } from './types.ts';

function sameSource(a: SourceRef, b: SourceRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && a.field === b.field;
}

function withSources(r: ModelResource, extra: readonly SourceRef[]): ModelResource {
  const add = (sources: readonly SourceRef[]): SourceRef[] => [...sources, ...extra.filter((s) => !sources.some((t) => sameSource(s, t)))];
  switch (r.kind) {
    case 'listener':
      return { kind: 'listener', listener: { ...r.listener, sources: add(r.listener.sources) } };
    case 'routeConfiguration':
      return { kind: 'routeConfiguration', routeConfiguration: { ...r.routeConfiguration, sources: add(r.routeConfiguration.sources) } };
    case 'cluster':
      return { kind: 'cluster', cluster: { ...r.cluster, sources: add(r.cluster.sources) } };
    case 'clusterLoadAssignment':
      return { kind: 'clusterLoadAssignment', clusterLoadAssignment: { ...r.clusterLoadAssignment, sources: add(r.clusterLoadAssignment.sources) } };
    case 'secret':
      return { kind: 'secret', secret: { ...r.secret, sources: add(r.secret.sources) } };
    default:
      return assertNever(r, 'resource kind');
  }
}


/**
 * The serving configs' resources, oldest config first; a resource several configs define alike
 * appears once and lists every config among its sources. Sorted by name, as a snapshot is.
 */
function mergeServing(serving: readonly PreparedConfig[]): SnapshotResources {
  const byKey = new Map<string, ModelResource>();
  for (const c of serving) {
    for (const { resource } of c.resources) {
      const key = `${resourceKindName(resource)}/${resourceName(resource)}`;
      const first = byKey.get(key);
      // Conflict resolution left only identical duplicates among serving configs.
      if (first === undefined) byKey.set(key, resource);
      else if (configHash(first) === configHash(resource)) byKey.set(key, withSources(first, resourceIdentity(resource).sources));
    }
  }
  const sorted = [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
  return toSnapshotResources(sorted);
}

export function ingestCiliumEnvoyConfigs(input: CiliumEnvoyConfigInput): CiliumEnvoyConfigIngest {
  const external = input.externalClusters ?? new Set<string>();
  const services = indexServices(input.services);
  const prepared = input.configs.map((object, i) =>
    prepareConfig(object, i, { services, nodeAddress: input.nodeAddress, externalClusters: external, ...(input.positionOf ? { positionOf: input.positionOf } : {}) }),
  );
  for (const c of prepared) if (c.diagnostics.errorCount === 0) checkConfigSnapshot(c);
  const admissions = admitConfigs(prepared, input.nodeLabels, external);
  checkEdsNames(prepared.filter((c) => admissions.get(c)!.accepted.ok), services);
  const serving = prepared.filter((c) => admissions.get(c)!.programmed.ok).sort(compareAge);
  const redirectedServicePorts = new Set(serving.flatMap((c) => c.redirects.map((r) => `${r.namespace}/${r.service}:${r.port}`)));
  const diagnostics: Diagnostic[] = prepared.flatMap((c) => c.diagnostics.list);
  return {
    resources: mergeServing(serving),
    diagnostics,
    reports: prepared.map((c) => configReport(c, admissions.get(c)!)),
    redirectedServicePorts,
  };
}
