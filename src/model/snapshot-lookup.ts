/**
 * Lookups over a built Snapshot, for the runtime's build step (never per request): its lists are
 * sorted by name, so a lookup is a binary search.
 */
import { stableHash } from '../lib/stable-hash.ts';
import type { Cluster } from './cluster.ts';
import type { ClusterLoadAssignment } from './endpoint.ts';
import type { Snapshot } from './snapshot.ts';

function bisect<T>(sorted: readonly T[], key: (t: T) => string, name: string): T | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(sorted[mid]) < name) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && key(sorted[lo]) === name ? sorted[lo] : undefined;
}

/** The ClusterLoadAssignment name an EDS cluster reads: its service name, else its own name. */
export function edsServiceName(cluster: Pick<Cluster, 'name' | 'edsClusterConfig'>): string {
  return cluster.edsClusterConfig?.serviceName || cluster.name;
}

/**
 * A cluster's endpoints: its inline `loadAssignment` (STATIC, STRICT_DNS, LOGICAL_DNS), or for EDS
 * the snapshot's ClusterLoadAssignment of its service name. Undefined = no endpoints (yet).
 */
export function loadAssignmentFor(snapshot: Snapshot, cluster: Cluster): ClusterLoadAssignment | undefined {
  if (cluster.type !== 'EDS') return cluster.loadAssignment;
  return bisect(snapshot.endpoints, (e) => e.clusterName, edsServiceName(cluster));
}

export function findCluster(snapshot: Snapshot, name: string): Cluster | undefined {
  return bisect(snapshot.clusters, (c) => c.name, name);
}

const PROVENANCE: ReadonlySet<string> = new Set(['sources']);

/**
 * A resource's configuration hash, provenance left out: equal when only the manifest it came
 * from (or its line) changed. The runtime compares it to keep an unchanged listener's sockets or
 * a cluster's pools across snapshots.
 */
export function configHash(resource: unknown): string {
  return stableHash(resource, { omitKeys: PROVENANCE });
}
