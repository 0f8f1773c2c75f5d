/**
 * The data plane as `weft up` drives it: one in-process DataPlane, or N worker processes sharing
 * the listening sockets (`--workers N`). The admin endpoints read stats and views through this
 * one interface, asynchronously, since workers answer over IPC.
 */
import type { Diagnostic } from '../lib/diagnostic.ts';
import type { Result } from '../lib/result.ts';
import { DataPlane, DataPlaneWorkers } from '../dataplane/index.ts';
import type { Snapshot } from '../model/index.ts';
import type { ClusterStatusView, ListenerStatusView } from '../observe/admin/index.ts';
import { StatStore, TagProducer } from '../observe/index.ts';

export interface ServingDataPlane {
  readonly workers: number;
  readonly snapshot: Snapshot | undefined;
  readonly appliedAtMs: number | undefined;
  apply(snapshot: Snapshot): Promise<Result<void, Diagnostic[]>>;
  stats(): Promise<StatStore>;
  views(): Promise<{ clusters: ClusterStatusView[]; listeners: ListenerStatusView[] }>;
  stop(options: { drainTimeoutMs: number }): Promise<void>;
}

export interface ServingOptions {
  readonly workers: number;
  readonly adminAddress: { host: string; port: number };
  readonly defaultAccessLog: boolean;
}

/**
 * Stat names keep the cluster name in the metric name, as Cilium's Envoy prints them
 * (`envoy_cluster_default_helloworld_v1_upstream_rq_total{}` in the tutorials).
 */
function newStatStore(): StatStore {
  const tags = TagProducer.create({ useAllDefaultTags: false });
  return new StatStore(tags.ok ? { tagProducer: tags.value } : {});
}

export async function startServingDataPlane(opts: ServingOptions): Promise<ServingDataPlane> {
  if (opts.workers <= 1) {
    const dp = new DataPlane({ stats: newStatStore(), adminAddress: opts.adminAddress, defaultAccessLog: opts.defaultAccessLog });
    return {
      workers: 1,
      get snapshot() {
        return dp.snapshot;
      },
      get appliedAtMs() {
        return dp.appliedAtMs;
      },
      apply: (s) => dp.apply(s),
      stats: async () => dp.stats,
      views: async () => ({ clusters: dp.clustersView(), listeners: dp.listenersView() }),
      stop: (o) => dp.stop(o),
    };
  }
  const w = await DataPlaneWorkers.start({ workers: opts.workers, adminAddress: opts.adminAddress, defaultAccessLog: opts.defaultAccessLog });
  let appliedAtMs: number | undefined;
  return {
    workers: w.workerCount,
    get snapshot() {
      return w.snapshot;
    },
    get appliedAtMs() {
      return appliedAtMs;
    },
    apply: async (s) => {
      const r = await w.apply(s);
      if (r.ok) appliedAtMs = Date.now();
      return r;
    },
    stats: () => w.collectStats(newStatStore()),
    views: () => w.collectViews(),
    stop: (o) => w.stop(o),
  };
}
