/**
 * The Snapshot: every resource the data plane serves, with a version and a content hash. Built
 * only by `buildSnapshot` (build-snapshot.ts), which sorts, checks and deep-freezes it.
 */
import type { Cluster } from './cluster.ts';
import type { ClusterLoadAssignment } from './endpoint.ts';
import type { Listener } from './listener.ts';
import type { RouteConfiguration } from './route-configuration.ts';
import type { Secret } from './tls.ts';

/** The resources a snapshot is built from, in any order. */
export interface SnapshotResources {
  readonly listeners?: readonly Listener[];
  readonly routeConfigurations?: readonly RouteConfiguration[];
  readonly clusters?: readonly Cluster[];
  /** EDS ClusterLoadAssignments, by their `clusterName`. */
  readonly endpoints?: readonly ClusterLoadAssignment[];
  readonly secrets?: readonly Secret[];
}

export interface Snapshot {
  /** Given by the caller (e.g. a counter or resourceVersion); not part of the hash. */
  readonly version: string;
  /** sha256 (hex) of the stable JSON of every resource, sources included. */
  readonly hash: string;
  /** Each list sorted by name; names unique per list. */
  readonly listeners: readonly Listener[];
  readonly routeConfigurations: readonly RouteConfiguration[];
  readonly clusters: readonly Cluster[];
  readonly endpoints: readonly ClusterLoadAssignment[];
  readonly secrets: readonly Secret[];
}
