/**
 * buildSnapshot: the one way to make a Snapshot. It sorts every resource list by name, checks that
 * names are unique per type, resolves every reference (HCM rds → RouteConfiguration; routes,
 * weighted clusters, mirrors and tcp_proxy → Cluster or the built-in admin cluster; SDS names →
 * Secret), checks what Envoy would refuse (regexes, filter order, weights...), hashes the content
 * and deep-freezes the result. An EDS cluster whose ClusterLoadAssignment is missing is not an
 * error: as in Envoy, it simply has no endpoints yet.
 */
import { DIAGNOSTIC_CODES, type Diagnostic } from '../lib/diagnostic.ts';
import { err, ok, type Result } from '../lib/result.ts';
import { stableHash } from '../lib/stable-hash.ts';
import { checkCluster, checkLoadAssignment } from './check-cluster.ts';
import { checkListener } from './check-listener.ts';
import { checkRegexes } from './check-regexes.ts';
import { checkRouteConfiguration, type ReferenceIndex } from './check-route-configuration.ts';
import { deepFreeze } from './deep-freeze.ts';
import { isEnvoyAdminCluster } from './ids.ts';
import type { Address } from './common.ts';
import type { Listener } from './listener.ts';
import type { Snapshot, SnapshotResources } from './snapshot.ts';
import { SnapshotDiagnostics, type ResourceContext, type ResourceKind } from './snapshot-diagnostics.ts';
import type { SourceRef } from './source-ref.ts';

interface Named {
  readonly sources: readonly SourceRef[];
}

function byKey<T>(items: readonly T[] | undefined, key: (t: T) => string): T[] {
  return [...(items ?? [])].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** Reports each name defined twice (sorted input: duplicates are neighbours). */
function checkUnique<T extends Named>(kind: ResourceKind, sorted: readonly T[], key: (t: T) => string, out: SnapshotDiagnostics): void {
  for (let i = 1; i < sorted.length; i++) {
    const name = key(sorted[i]);
    if (name !== key(sorted[i - 1])) continue;
    const first = sorted[i - 1].sources[0];
    const also = first ? ` (also defined by ${first.kind} ${first.namespace ? `${first.namespace}/` : ''}${first.name})` : '';
    out.error({ kind, name, sources: sorted[i].sources }, ['name'], `${kind} name ${JSON.stringify(name)} is defined more than once${also}`, DIAGNOSTIC_CODES.CONFLICT);
  }
  for (const item of sorted) {
    if (key(item) === '') out.error({ kind, name: '', sources: item.sources }, ['name'], `a ${kind} needs a name`, DIAGNOSTIC_CODES.REQUIRED);
  }
}

function addressKey(a: Address): string {
  return a.kind === 'pipe' ? `pipe:${a.path}` : `tcp:${a.address.toLowerCase()}:${a.portValue}`;
}

/** Two listeners cannot bind the same socket. */
function checkListenerAddresses(listeners: readonly Listener[], out: SnapshotDiagnostics): void {
  const bound = new Map<string, string>();
  for (const l of listeners) {
    const addresses: [Address, (string | number)[]][] = [];
    if (l.address) addresses.push([l.address, ['address']]);
    l.additionalAddresses.forEach((a, i) => addresses.push([a, ['additionalAddresses', i]]));
    for (const [a, path] of addresses) {
      const key = addressKey(a);
      const other = bound.get(key);
      if (other !== undefined && other !== l.name) {
        const shown = a.kind === 'pipe' ? a.path : `${a.address}:${a.portValue}`;
        out.error({ kind: 'Listener', name: l.name, sources: l.sources }, path, `address ${shown} is already used by listener ${JSON.stringify(other)}`, DIAGNOSTIC_CODES.CONFLICT);
      } else {
        bound.set(key, l.name);
      }
    }
  }
}

export function buildSnapshot(resources: SnapshotResources, version: string): Result<Snapshot, Diagnostic[]> {
  const out = new SnapshotDiagnostics();
  const listeners = byKey(resources.listeners, (r) => r.name);
  const routeConfigurations = byKey(resources.routeConfigurations, (r) => r.name);
  const clusters = byKey(resources.clusters, (r) => r.name);
  const endpoints = byKey(resources.endpoints, (r) => r.clusterName);
  const secrets = byKey(resources.secrets, (r) => r.name);

  checkUnique('Listener', listeners, (r) => r.name, out);
  checkUnique('RouteConfiguration', routeConfigurations, (r) => r.name, out);
  checkUnique('Cluster', clusters, (r) => r.name, out);
  checkUnique('ClusterLoadAssignment', endpoints, (r) => r.clusterName, out);
  checkUnique('Secret', secrets, (r) => r.name, out);

  const index: ReferenceIndex = {
    routeConfigurations: new Set(routeConfigurations.map((r) => r.name)),
    clusters: new Set(clusters.map((r) => r.name)),
    secrets: new Set(secrets.map((r) => r.name)),
  };

  for (const l of listeners) {
    const ctx: ResourceContext = { kind: 'Listener', name: l.name, sources: l.sources };
    checkListener(l, ctx, index, out);
    checkRegexes(l, ctx, [], out);
  }
  checkListenerAddresses(listeners, out);
  for (const rc of routeConfigurations) {
    const ctx: ResourceContext = { kind: 'RouteConfiguration', name: rc.name, sources: rc.sources };
    checkRouteConfiguration(rc, ctx, [], index, out);
    checkRegexes(rc, ctx, [], out);
  }
  for (const c of clusters) {
    const ctx: ResourceContext = { kind: 'Cluster', name: c.name, sources: c.sources };
    if (isEnvoyAdminCluster(c.name)) {
      out.error(ctx, ['name'], `${JSON.stringify(c.name)} is the built-in admin cluster and cannot be redefined`, DIAGNOSTIC_CODES.CONFLICT, 'give the cluster another name');
    }
    checkCluster(c, ctx, index, out);
    checkRegexes(c, ctx, [], out);
  }
  for (const e of endpoints) {
    checkLoadAssignment(e, { kind: 'ClusterLoadAssignment', name: e.clusterName, sources: e.sources }, [], false, out);
  }
  for (const s of secrets) checkRegexes(s, { kind: 'Secret', name: s.name, sources: s.sources }, [], out);

  if (out.list.length > 0) return err(out.list);
  const content = { listeners, routeConfigurations, clusters, endpoints, secrets };
  return ok(deepFreeze<Snapshot>({ version, hash: stableHash(content), ...content }));
}

