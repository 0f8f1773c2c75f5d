/**
 * Runs controllers against the store (standalone mode's kube-controller-manager and kubelet in
 * one): each controller gets a work queue fed by its triggers' watches and `workers` loops that
 * reconcile keys, retrying failures with per-key exponential backoff. On start every existing
 * object is replayed to the triggers as ADDED (watch from resourceVersion "0"), so whatever exists
 * is reconciled: nothing depends on having seen an event.
 */
import type { Store } from '../store/index.ts';
import { SYSTEM_CLOCK } from './clock.ts';
import type { Clock } from './clock.ts';
import type { Controller } from './controller.ts';
import { DEFAULT_BACKOFF, WorkQueue } from './work-queue.ts';
import type { BackoffOptions } from './work-queue.ts';

export interface ControllerManagerOptions {
  readonly store: Store;
  readonly controllers: readonly Controller[];
  readonly clock?: Clock;
  readonly backoff?: BackoffOptions;
  /** Warnings (failed reconciles); stderr by default. */
  readonly log?: (line: string) => void;
}

export interface ControllerStats {
  readonly name: string;
  readonly reconcilesTotal: number;
  readonly failuresTotal: number;
  readonly queued: number;
  readonly processing: number;
  readonly delayed: number;
}

interface Running {
  readonly controller: Controller;
  readonly queue: WorkQueue;
  readonly workers: Promise<void>[];
  readonly unsubscribe: (() => void)[];
  reconciles: number;
  failures: number;
}

export class ControllerManager {
  readonly #opts: ControllerManagerOptions;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;
  #running: Running[] = [];
  #state: 'new' | 'started' | 'stopped' = 'new';
  #stopping: Promise<void> | undefined;
  #idleWaiters: (() => void)[] = [];

  constructor(opts: ControllerManagerOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? SYSTEM_CLOCK;
    this.#log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Subscribes every controller and starts its workers; existing objects are reconciled. */
  start(): void {
    if (this.#state !== 'new') throw new Error('ControllerManager.start: already started');
    this.#state = 'started';
    const { store } = this.#opts;
    for (const controller of this.#opts.controllers) {
      controller.prepare?.(store);
      const queue = new WorkQueue(this.#clock, this.#opts.backoff ?? DEFAULT_BACKOFF);
      const run: Running = { controller, queue, workers: [], unsubscribe: [], reconciles: 0, failures: 0 };
      this.#running.push(run);
      for (const t of controller.triggers) {
        const unsubscribe = store.watch(
          (ev) => {
            for (const key of t.keysFor(ev)) queue.add(key);
          },
          { group: t.group, kind: t.kind, sinceResourceVersion: '0' },
        );
        run.unsubscribe.push(unsubscribe);
      }
    }
    for (const run of this.#running) {
      for (let i = 0; i < Math.max(1, run.controller.workers); i++) run.workers.push(this.#work(run));
    }
  }

  /**
   * Stops watching, lets in-flight reconciles finish (queued keys are dropped), then calls each
   * controller's shutdown. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#state = 'stopped';
      for (const run of this.#running) {
        for (const u of run.unsubscribe) u();
        run.queue.shutDown();
      }
      await Promise.all(this.#running.flatMap((r) => r.workers));
      for (const run of this.#running) {
        try {
          await run.controller.shutdown?.();
        } catch (e) {
          this.#log(`weft: controller ${run.controller.name}: shutdown: ${(e as Error).message}`);
        }
      }
      this.#notifyIdle();
    })();
    return this.#stopping;
  }

  /**
   * Resolves once no key is queued or being reconciled in any controller (keys waiting for a
   * retry or deadline timer do not count). For tests and for "ready" reporting.
   */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stats(): ControllerStats[] {
    return this.#running.map((r) => ({
      name: r.controller.name,
      reconcilesTotal: r.reconciles,
      failuresTotal: r.failures,
      queued: r.queue.length,
      processing: r.queue.processing,
      delayed: r.queue.delayed,
    }));
  }

  #isIdle(): boolean {
    return this.#state !== 'started' || this.#running.every((r) => r.queue.length === 0 && r.queue.processing === 0);
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  async #work(run: Running): Promise<void> {
    for (;;) {
      const key = await run.queue.get();
      if (key === undefined) return;
      try {
        const result = await run.controller.reconcile(key);
        run.queue.forget(key);
        if (result?.requeueAfterMs !== undefined) run.queue.addAfter(key, result.requeueAfterMs);
      } catch (e) {
        run.failures++;
        if (!run.queue.isShutDown) {
          const n = run.queue.failures(key);
          const delay = run.queue.addRateLimited(key);
          // Log the first failures of a key and then every tenth, so a stuck key stays visible
          // without flooding the log.
          if (n < 3 || n % 10 === 0) {
            this.#log(`weft: controller ${run.controller.name}: ${key}: ${(e as Error).message} (retry ${n + 1} in ${delay} ms)`);
          }
        }
      } finally {
        run.reconciles++;
        run.queue.done(key);
        // Let the queue refill from events the reconcile caused before judging idleness.
        queueMicrotask(() => this.#notifyIdle());
      }
    }
  }
}
