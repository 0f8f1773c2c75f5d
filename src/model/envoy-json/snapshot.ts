/**
 * A Snapshot's five resource lists in Envoy v3 JSON, for `/config_dump` and xDS. Each entry keeps
 * its `sources` beside the config too: listeners, route configurations and clusters also carry
 * them in `metadata`, but Envoy's ClusterLoadAssignment and Secret have no field that could.
 */
import type { Snapshot } from '../snapshot.ts';
import type { SourceRef } from '../source-ref.ts';
import { encodeCluster } from './cluster.ts';
import { encodeClusterLoadAssignment } from './endpoint.ts';
import type { JsonObject } from './json.ts';
import { encodeListener } from './listener.ts';
import { encodeRouteConfiguration } from './route-configuration.ts';
import { encodeSecret } from './tls.ts';

/** One resource: its name (the xDS resource name), its Envoy JSON without `@type`, and its sources. */
export interface EncodedResource {
  readonly name: string;
  readonly config: JsonObject;
  readonly sources: readonly SourceRef[];
}

/** Named as `ConfigDumpView`'s lists (observe/admin/config-dump.ts). */
export interface EncodedSnapshot {
  readonly listeners: readonly EncodedResource[];
  readonly routeConfigs: readonly EncodedResource[];
  readonly clusters: readonly EncodedResource[];
  readonly endpoints: readonly EncodedResource[];
  readonly secrets: readonly EncodedResource[];
}

/** Encodes every resource of the snapshot, in the snapshot's order (sorted by name). */
export function encodeSnapshot(s: Snapshot): EncodedSnapshot {
  return {
    listeners: s.listeners.map((l) => ({ name: l.name, config: encodeListener(l), sources: l.sources })),
    routeConfigs: s.routeConfigurations.map((r) => ({ name: r.name, config: encodeRouteConfiguration(r), sources: r.sources })),
    clusters: s.clusters.map((c) => ({ name: c.name, config: encodeCluster(c), sources: c.sources })),
    endpoints: s.endpoints.map((e) => ({ name: e.clusterName, config: encodeClusterLoadAssignment(e), sources: e.sources })),
    secrets: s.secrets.map((x) => ({ name: x.name, config: encodeSecret(x), sources: x.sources })),
  };
}
