/**
 * Clusters of a snapshot: each one reused from the previous runtime when its config hash (the
 * cluster without its endpoints, plus the TLS secrets it uses) is unchanged, else built new with
 * its upstream TLS compiled. Endpoints (inline load assignment or the EDS ClusterLoadAssignment)
 * are set on new clusters now and on reused ones when the runtime is committed, so a rejected
 * snapshot changes nothing that serves. The built-in admin cluster points at the local API.
 */
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../lib/diagnostic.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { stableHash } from '../../lib/stable-hash.ts';
import type { Cluster, ClusterLoadAssignment, Secret, Snapshot } from '../../model/index.ts';
import { clusterName, edsServiceName, ENVOY_ADMIN_CLUSTER_NAMES } from '../../model/index.ts';
import { ClusterManager } from '../upstream/cluster-manager.ts';
import { UpstreamCluster, type ClusterDeps } from '../upstream/upstream-cluster.ts';
import { runtimeDiagnostic } from './runtime-diagnostic.ts';
import { buildUpstreamTlsOptions } from './tls-contexts.ts';
import { resolveTlsMaterial, type DataSourceReader } from './tls-material.ts';

export interface AdminAddress {
  readonly host: string;
  readonly port: number;
}

export interface PendingAssignment {
  readonly cluster: UpstreamCluster;
  readonly assignment: ClusterLoadAssignment | undefined;
  readonly hash: string;
}

export interface ClusterBuild {
  readonly manager: ClusterManager;
  /** Clusters made for this snapshot (destroyed if it is rejected). */
  readonly created: readonly UpstreamCluster[];
  /** Endpoint updates of reused clusters, applied at commit. */
  readonly pending: readonly PendingAssignment[];
}

const NO_SOURCES = new Set(['sources', 'loadAssignment']);

function referencedSecrets(c: Cluster, secrets: ReadonlyMap<string, Secret>): Secret[] {
  const ctx = c.transportSocket?.commonTlsContext;
  if (!ctx) return [];
  const names = ctx.tlsCertificateSdsSecretConfigs.map((s) => s.name as string);
  const v = ctx.validationContextType;
  if (v?.kind === 'validationContextSdsSecretConfig') names.push(v.validationContextSdsSecretConfig.name);
  if (v?.kind === 'combinedValidationContext') names.push(v.combinedValidationContext.validationContextSdsSecretConfig.name);
  return names.map((n) => secrets.get(n)).filter((s): s is Secret => s !== undefined);
}

export function clusterHash(c: Cluster, secrets: ReadonlyMap<string, Secret>): string {
  return stableHash({ cluster: c, secrets: referencedSecrets(c, secrets) }, { omitKeys: NO_SOURCES });
}

function adminCluster(a: AdminAddress): Cluster {
  return {
    name: clusterName('envoy-admin'),
    type: 'STATIC',
    loadAssignment: {
      clusterName: 'envoy-admin',
      endpoints: [{ lbEndpoints: [{ endpoint: { address: { kind: 'socketAddress', address: a.host, portValue: a.port } } }] }],
      sources: [],
    },
    healthChecks: [],
    sources: [],
  };
}

export function buildClusters(
  snapshot: Snapshot,
  previous: ClusterManager | undefined,
  secrets: ReadonlyMap<string, Secret>,
  deps: ClusterDeps,
  admin: AdminAddress | undefined,
  read?: DataSourceReader,
): Result<ClusterBuild, Diagnostic[]> {
  const byName = new Map<string, UpstreamCluster>();
  const created: UpstreamCluster[] = [];
  const pending: PendingAssignment[] = [];
  const problems: Diagnostic[] = [];
  const eds = new Map<string, ClusterLoadAssignment>(snapshot.endpoints.map((e) => [e.clusterName, e]));
  const place = (config: Cluster, hash: string, assignment: ClusterLoadAssignment | undefined, names: readonly string[]): void => {
    const aHash = assignment === undefined ? 'none' : stableHash(assignment, { omitKeys: new Set(['sources']) });
    const prev = previous?.cluster(names[0]);
    if (prev !== undefined && prev.hash === hash) {
      for (const n of names) byName.set(n, prev);
      pending.push({ cluster: prev, assignment, hash: aHash });
      return;
    }
    let tls;
    if (config.transportSocket !== undefined) {
      const material = resolveTlsMaterial(config.transportSocket.commonTlsContext, secrets, read);
      const built = material.ok ? buildUpstreamTlsOptions(config.transportSocket, material.value) : material;
      if (!built.ok) {
        problems.push(runtimeDiagnostic({ kind: 'Cluster', name: config.name, sources: config.sources }, `upstream TLS: ${built.error}`));
        return;
      }
      tls = built.value;
    }
    const cluster = new UpstreamCluster(config, hash, tls, deps);
    cluster.setLoadAssignment(assignment, aHash);
    created.push(cluster);
    for (const n of names) byName.set(n, cluster);
  };
  for (const c of snapshot.clusters) {
    const assignment = c.type === 'EDS' ? eds.get(edsServiceName(c)) : c.loadAssignment;
    place(c, clusterHash(c, secrets), assignment, [c.name]);
  }
  if (admin !== undefined) {
    const config = adminCluster(admin);
    place(config, `admin:${admin.host}:${admin.port}`, config.loadAssignment, ENVOY_ADMIN_CLUSTER_NAMES);
  }
  if (problems.length > 0) {
    for (const c of created) void c.destroy();
    return err(problems);
  }
  return ok({ manager: new ClusterManager(byName), created, pending });
}

/** A cluster name a route or tcp_proxy uses that this runtime cannot resolve. */
export function unresolvedCluster(where: { kind: 'Listener' | 'RouteConfiguration'; name: string; sources: Snapshot['listeners'][number]['sources'] }, cluster: string): Diagnostic {
  return runtimeDiagnostic(
    where,
    `cluster ${JSON.stringify(cluster)} does not exist${ENVOY_ADMIN_CLUSTER_NAMES.includes(cluster as never) ? ' (the admin cluster needs the local API address)' : ''}`,
    DIAGNOSTIC_CODES.UNRESOLVED_REF,
  );
}
