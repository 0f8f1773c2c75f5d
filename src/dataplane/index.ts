// The data plane: compiles a Snapshot into listeners, HTTP connection managers, filter chains,
// route tables and clusters, and serves it; `apply` swaps snapshots, `stop` drains.
export { DataPlane } from './runtime/data-plane.ts';
export type { DataPlaneOptions } from './runtime/data-plane.ts';
export type { AdminAddress } from './runtime/build-clusters.ts';
export type { BoundAddress } from './listener/listener-socket.ts';
export type { LookupAll } from './upstream/dns-resolver.ts';
export { systemLookup } from './upstream/dns-resolver.ts';
export type { UpstreamCluster, HostMonitor } from './upstream/upstream-cluster.ts';
export type { UpstreamHost } from './upstream/upstream-host.ts';
export { HEALTH_FLAGS } from './upstream/upstream-host.ts';
export { WEFT_EDGE_DEFAULTS } from './http/connection-manager-settings.ts';
export { createRandom, SeededRandom } from './lb/index.ts';
export type { Random } from './lb/index.ts';
export { DataPlaneWorkers } from './runtime/data-plane-workers.ts';
export type { DataPlaneWorkersOptions } from './runtime/data-plane-workers.ts';
