/**
 * The workers mode (behind a flag): N node:cluster worker processes, each running a DataPlane
 * with the same snapshot, sharing the listening sockets (the kernel spreads connections:
 * SCHED_NONE), so a proxy uses N cores. The primary holds no data plane; it fans snapshots out
 * (an apply succeeds only when every worker took it; workers that took a snapshot another
 * refused are put back on the previous one), and gathers stats and views for the admin
 * endpoints: counters and gauges summed across workers into a StatStore the observe/ renderers
 * take, per-host stats summed in the /clusters view. Histograms stay per worker (not merged).
 * Each worker writes its own access log lines.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../lib/diagnostic.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import type { Snapshot } from '../../model/index.ts';
import type { ClusterStatusView, HostStatusView, ListenerStatusView } from '../../observe/admin/index.ts';
import { StatStore } from '../../observe/stats/index.ts';
import type { BoundAddress } from '../listener/listener-socket.ts';
import { WORKER_OPTIONS_ENV, type FromWorker, type ToWorker, type WorkerDataPlaneOptions, type WorkerStats, type WorkerViews } from './worker-protocol.ts';

export interface DataPlaneWorkersOptions extends WorkerDataPlaneOptions {
  /** Number of worker processes (≥ 1). */
  readonly workers: number;
  /** How long a worker may take to start. Default 20 s. */
  readonly startTimeoutMs?: number;
}

type Pending = (m: FromWorker) => void;

function workerEntry(): string {
  const self = import.meta.url;
  return fileURLToPath(new URL(self.endsWith('.ts') ? './worker-main.ts' : './worker-main.js', self));
}

export class DataPlaneWorkers {
  readonly #workers: Worker[];
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #current: Snapshot | undefined = undefined;
  #bound = new Map<string, readonly BoundAddress[]>();
  #stopped = false;

  private constructor(workers: Worker[]) {
    this.#workers = workers;
    for (const w of workers) {
      w.on('message', (m: FromWorker) => {
        if (m.kind === 'ready') return;
        const p = this.#pending.get(this.#key(w, m.id));
        if (p === undefined) return;
        this.#pending.delete(this.#key(w, m.id));
        p(m);
      });
    }
  }

  /** Forks the workers and waits until each is ready. Call from the primary process. */
  static async start(options: DataPlaneWorkersOptions): Promise<DataPlaneWorkers> {
    if (!cluster.isPrimary) throw new Error('DataPlaneWorkers.start runs in the primary process');
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error('workers must be a positive integer');
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    cluster.setupPrimary({ exec: workerEntry(), execArgv: process.execArgv, silent: false });
    const { workers: _n, startTimeoutMs, ...dp } = options;
    const env = { [WORKER_OPTIONS_ENV]: JSON.stringify(dp) };
    const workers: Worker[] = [];
    await Promise.all(
      Array.from({ length: options.workers }, () => {
        const w = cluster.fork(env);
        workers.push(w);
        return new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('a data plane worker did not start')), startTimeoutMs ?? 20_000);
          w.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`a data plane worker exited while starting (code ${code})`));
          });
          w.on('message', (m: FromWorker) => {
            if (m.kind !== 'ready') return;
            clearTimeout(timer);
            resolve();
          });
        });
      }),
    ).catch(async (e: unknown) => {
      for (const w of workers) w.kill();
      throw e;
    });
    return new DataPlaneWorkers(workers);
  }

  get workerCount(): number {
    return this.#workers.length;
  }

  get snapshot(): Snapshot | undefined {
    return this.#current;
  }

  #key(w: Worker, id: number): number {
    return w.id * 1_000_000_000 + id;
  }

  #ask(w: Worker, make: (id: number) => ToWorker): Promise<FromWorker> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (!w.isConnected()) {
        reject(new Error(`data plane worker ${w.id} is gone`));
        return;
      }
      this.#pending.set(this.#key(w, id), resolve);
      w.send(make(id));
    });
  }

  /** Applies `snapshot` on every worker; refused if any worker refuses it. */
  async apply(snapshot: Snapshot): Promise<Result<void, Diagnostic[]>> {
    if (this.#stopped) return err([{ code: DIAGNOSTIC_CODES.INVALID_VALUE, severity: 'error', message: 'the data plane workers are stopped' }]);
    const replies = await Promise.all(this.#workers.map((w) => this.#ask(w, (id) => ({ kind: 'apply', id, snapshot }))));
    const failed = replies.find((r) => r.kind === 'applied' && r.diagnostics !== null);
    if (failed !== undefined && failed.kind === 'applied' && failed.diagnostics !== null) {
      const previous = this.#current;
      if (previous !== undefined) {
        await Promise.all(
          this.#workers.map((w, i) => {
            const r = replies[i];
            return r.kind === 'applied' && r.diagnostics === null ? this.#ask(w, (id) => ({ kind: 'apply', id, snapshot: previous })) : undefined;
          }),
        );
      }
      return err([...failed.diagnostics]);
    }
    this.#current = snapshot;
    const first = replies[0];
    if (first.kind === 'applied') this.#bound = new Map(first.bound);
    return ok(undefined);
  }

  boundAddress(listenerName: string): BoundAddress | undefined {
    return this.#bound.get(listenerName)?.[0];
  }

  boundAddresses(): ReadonlyMap<string, readonly BoundAddress[]> {
    return this.#bound;
  }

  /** Counters and gauges of all workers, summed, into `store` (a fresh one, e.g. with the primary's tag producer) for the admin renderers. */
  async collectStats(store: StatStore = new StatStore()): Promise<StatStore> {
    const replies = await Promise.all(this.#workers.map((w) => this.#ask(w, (id) => ({ kind: 'stats', id }))));
    const root = store.scope('');
    for (const r of replies) {
      if (r.kind !== 'stats') continue;
      const s: WorkerStats = r.stats;
      for (const [name, v] of Object.entries(s.counters)) root.counter(name).add(v);
      for (const [name, v] of Object.entries(s.gauges)) root.gauge(name).add(v);
    }
    return store;
  }

  /** /clusters and /listeners, with per-host stats summed across workers. */
  async collectViews(): Promise<{ clusters: ClusterStatusView[]; listeners: ListenerStatusView[] }> {
    const replies = await Promise.all(this.#workers.map((w) => this.#ask(w, (id) => ({ kind: 'views', id }))));
    const views = replies.filter((r): r is Extract<FromWorker, { kind: 'views' }> => r.kind === 'views').map((r): WorkerViews => r.views);
    if (views.length === 0) return { clusters: [], listeners: [] };
    const clusters = views[0].clusters.map((c) => ({
      ...c,
      hosts: c.hosts.map((h): HostStatusView => {
        const stats = { cxConnectFail: 0, cxTotal: 0, rqError: 0, rqSuccess: 0, rqTimeout: 0, rqTotal: 0, cxActive: 0, rqActive: 0 };
        for (const v of views) {
          const same = v.clusters.find((x) => x.name === c.name)?.hosts.find((x) => x.address === h.address && x.port === h.port);
          if (same === undefined) continue;
          for (const k of Object.keys(stats) as (keyof typeof stats)[]) stats[k] += same.stats[k];
        }
        return { ...h, stats };
      }),
    }));
    return { clusters, listeners: [...views[0].listeners] };
  }

  /** Drains and stops every worker. */
  async stop(options: { readonly drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.all(
      this.#workers.map(async (w) => {
        if (!w.isConnected()) return;
        const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        await this.#ask(w, (id) => ({ kind: 'stop', id, drainTimeoutMs: options.drainTimeoutMs ?? 5000 })).catch(() => undefined);
        await exited;
      }),
    );
  }
}
