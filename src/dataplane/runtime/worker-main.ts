/**
 * The entry of a workers-mode process (node:cluster worker): one DataPlane that shares its
 * listening sockets with the other workers, driven by the primary's messages.
 */
import cluster from 'node:cluster';
import { DataPlane } from './data-plane.ts';
import { WORKER_OPTIONS_ENV, type FromWorker, type ToWorker, type WorkerDataPlaneOptions } from './worker-protocol.ts';

function send(m: FromWorker): void {
  process.send?.(m);
}

export function runWorker(): void {
  if (!cluster.isWorker) throw new Error('worker-main runs inside a node:cluster worker');
  const options = JSON.parse(process.env[WORKER_OPTIONS_ENV] ?? '{}') as WorkerDataPlaneOptions;
  const dp = new DataPlane({ ...options, shareListenSockets: true });
  process.on('message', (raw: unknown) => {
    const m = raw as ToWorker;
    switch (m.kind) {
      case 'apply':
        void dp.apply(m.snapshot).then((r) => send({ kind: 'applied', id: m.id, diagnostics: r.ok ? null : r.error, bound: [...dp.boundAddresses()] }));
        return;
      case 'stats': {
        const counters: Record<string, number> = {};
        const gauges: Record<string, number> = {};
        for (const c of dp.stats.counters()) counters[c.name] = c.value;
        for (const g of dp.stats.gauges()) gauges[g.name] = g.value;
        send({ kind: 'stats', id: m.id, stats: { counters, gauges } });
        return;
      }
      case 'views':
        send({ kind: 'views', id: m.id, views: { clusters: dp.clustersView(), listeners: dp.listenersView() } });
        return;
      case 'stop':
        void dp.stop({ drainTimeoutMs: m.drainTimeoutMs }).then(() => {
          send({ kind: 'stopped', id: m.id });
          process.disconnect();
        });
        return;
      default: {
        const never: never = m;
        throw new Error(`unexpected message ${JSON.stringify(never)}`);
      }
    }
  });
  send({ kind: 'ready' });
}

runWorker();
