/**
 * The messages between the workers-mode primary (DataPlaneWorkers) and each worker process
 * (worker-main.ts), over node:cluster's IPC channel. Everything is plain JSON: the snapshot is
 * serialisable by design, views and stats are numbers and strings.
 */
import type { Diagnostic } from '../../lib/diagnostic.ts';
import type { Snapshot } from '../../model/index.ts';
import type { ClusterStatusView, ListenerStatusView } from '../../observe/admin/index.ts';
import type { BoundAddress } from '../listener/listener-socket.ts';
import type { AdminAddress } from './build-clusters.ts';

/** The DataPlane options a worker is started with (the serialisable subset). */
export interface WorkerDataPlaneOptions {
  readonly adminAddress?: AdminAddress;
  readonly defaultAccessLog?: boolean;
  readonly listenerDrainTimeoutMs?: number;
  readonly dnsTimeoutMs?: number;
}

export const WORKER_OPTIONS_ENV = 'WEFT_DATAPLANE_WORKER_OPTIONS';

export type ToWorker =
  | { readonly kind: 'apply'; readonly id: number; readonly snapshot: Snapshot }
  | { readonly kind: 'stats'; readonly id: number }
  | { readonly kind: 'views'; readonly id: number }
  | { readonly kind: 'stop'; readonly id: number; readonly drainTimeoutMs: number };

export interface WorkerStats {
  readonly counters: Readonly<Record<string, number>>;
  readonly gauges: Readonly<Record<string, number>>;
}

export interface WorkerViews {
  readonly clusters: readonly ClusterStatusView[];
  readonly listeners: readonly ListenerStatusView[];
}

export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'applied'; readonly id: number; readonly diagnostics: readonly Diagnostic[] | null; readonly bound: readonly [string, readonly BoundAddress[]][] }
  | { readonly kind: 'stats'; readonly id: number; readonly stats: WorkerStats }
  | { readonly kind: 'views'; readonly id: number; readonly views: WorkerViews }
  | { readonly kind: 'stopped'; readonly id: number };
