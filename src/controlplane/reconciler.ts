/**
 * The control plane of standalone mode (DESIGN.md "The pipeline", STYLE.md §8): store change →
 * one input bundle → pure ingest functions → merge with the bootstrap's resources → buildSnapshot
 * → publish, only when the content hash changed.
 *
 * Store events are debounced (a burst of writes, such as a Deployment's Pods becoming ready, makes
 * one snapshot), and reconciles never overlap: a change during one schedules exactly one more.
 * The `--bootstrap` file is read and decoded here too; a bootstrap that fails to read or decode
 * keeps its previous resources and is reported. Diagnostics are printed when they change (not on
 * every reconcile); a snapshot that does not build or that the data plane refuses leaves the
 * previous one serving.
 */
import { readFile } from 'node:fs/promises';
import { formatDiagnostic, hasErrors, sortDiagnostics } from '../lib/diagnostic.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import type { Result } from '../lib/result.ts';
import { decodeBootstrap } from '../ingest/envoy/index.ts';
import { buildSnapshot } from '../model/index.ts';
import type { Snapshot, SnapshotResources } from '../model/index.ts';
import type { Store, WatchEvent } from '../store/index.ts';
import type { CiliumEnvoyConfigReport } from '../ingest/cilium/index.ts';
import { ENVOY_CONFIG_KINDS, gatherInputBundle, INPUT_KINDS } from './input-bundle.ts';
import type { InputBundle } from './input-bundle.ts';
import { objectKey } from './ingesters.ts';
import type { Ingest } from './ingesters.ts';
import { mergeFragments } from './merge-fragments.ts';

/** What one reconcile made of the bundle's CiliumEnvoyConfigs (the status writer's input). */
export interface ReconcileOutcome {
  readonly bundle: InputBundle;
  readonly envoyConfigs: readonly CiliumEnvoyConfigReport[];
  /** Configs left out because their resources broke the snapshot (key `kind/ns/name` → why). */
  readonly excluded: ReadonlyMap<string, string>;
  /** The snapshot serving after this reconcile. */
  readonly snapshot: Snapshot | undefined;
  /** True when the snapshot holding the reports' resources is the one serving. */
  readonly serving: boolean;
  readonly message: string;
}

export interface ReconcilerOptions {
  readonly store: Store;
  readonly publish: (snapshot: Snapshot) => Promise<Result<void, Diagnostic[]>>;
  readonly ingest: Ingest;
  /** Called after every reconcile (status writers). */
  readonly onReconciled?: (outcome: ReconcileOutcome) => Promise<void> | void;
  /** An Envoy v3 bootstrap file whose static resources are served next to the store's. */
  readonly bootstrapPath?: string;
  /** Default 25 ms. */
  readonly debounceMs?: number;
  /**
   * When a reconcile had to leave configs out (a listener that cannot bind its port, say), how soon
   * to try them again without any change in the store: the port may have been freed. Default 5 s.
   */
  readonly retryExcludedMs?: number;
  readonly log?: (line: string) => void;
}

export interface ReconcilerState {
  readonly ok: boolean;
  readonly message: string;
  /** The diagnostics of the last reconcile (ingest, bootstrap and snapshot), sorted. */
  readonly diagnostics: readonly Diagnostic[];
  /** Snapshots published so far. */
  readonly published: number;
}

export class Reconciler {
  readonly #opts: ReconcilerOptions;
  readonly #log: (line: string) => void;
  #bootstrap: SnapshotResources = {};
  #bootstrapProblem: string | undefined;
  #lastHash: string | undefined;
  #serving: Snapshot | undefined;
  #version = 0;
  #published = 0;
  #printed = '';
  #state: ReconcilerState = { ok: true, message: 'serving nothing yet (no listeners configured)', diagnostics: [], published: 0 };
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #settledWaiters: (() => void)[] = [];

  constructor(opts: ReconcilerOptions) {
    this.#opts = opts;
    this.#log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  get state(): ReconcilerState {
    return this.#state;
  }

  /** The names of the clusters the bootstrap file defines. */
  get bootstrapClusters(): readonly string[] {
    return (this.#bootstrap.clusters ?? []).map((c) => c.name);
  }

  /** The snapshot the data plane serves (undefined before the first publish). */
  get serving(): Snapshot | undefined {
    return this.#serving;
  }

  /** Reads the bootstrap (if any), reconciles once, then follows the store. */
  async start(): Promise<void> {
    if (this.#opts.bootstrapPath !== undefined) await this.#readBootstrap();
    this.#unsubscribe = this.#opts.store.watch((ev) => this.#onEvent(ev));
    await this.reconcileNow();
  }

  /** Re-reads the bootstrap file and reconciles; resolves true when it was valid. */
  async reloadBootstrap(): Promise<boolean> {
    const ok = await this.#readBootstrap();
    await this.reconcileNow();
    return ok && this.#state.ok;
  }

  /** Reconciles now (after any reconcile in flight) and resolves when done. */
  async reconcileNow(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#fire();
    await this.whenSettled();
  }

  /** Resolves once no reconcile is pending or running. */
  whenSettled(): Promise<void> {
    if (this.#running === undefined && this.#timer === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
    this.#notifySettled();
  }

  #onEvent(ev: WatchEvent): void {
    if (this.#stopped || !INPUT_KINDS.has(ev.object.kind)) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#fire();
    }, this.#opts.debounceMs ?? 25);
  }

  #fire(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#reconcile()
      .catch((e: unknown) => {
        this.#log(`weft: control plane: ${(e as Error).message}`);
        this.#state = { ...this.#state, ok: false, message: `reconcile failed: ${(e as Error).message}` };
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.#fire();
        } else {
          this.#notifySettled();
        }
      });
  }

  #notifySettled(): void {
    if (this.#running !== undefined || this.#timer !== undefined) return;
    const waiters = this.#settledWaiters;
    this.#settledWaiters = [];
    for (const w of waiters) w();
  }

  async #readBootstrap(): Promise<boolean> {
    const path = this.#opts.bootstrapPath;
    if (path === undefined) return true;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      this.#log(`weft: bootstrap: ${(e as Error).message}`);
      this.#bootstrapProblem = `cannot read ${path}; the previous configuration keeps serving`;
      return false;
    }
    const decoded = decodeBootstrap(text, path);
    for (const d of sortDiagnostics(decoded.diagnostics)) this.#log(formatDiagnostic(d));
    if (hasErrors(decoded.diagnostics)) {
      this.#bootstrapProblem = `${path} rejected; the previous configuration keeps serving`;
      return false;
    }
    this.#bootstrap = decoded.resources;
    this.#bootstrapProblem = undefined;
    return true;
  }

  async #reconcile(): Promise<void> {
    const bundle = gatherInputBundle(this.#opts.store);
    const externalClusters = new Set<string>((this.#bootstrap.clusters ?? []).map((c) => c.name));
    const excluded = new Map<string, string>();
    const setAside: Diagnostic[] = [];
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    // A config whose resources break the snapshot (a listener that cannot bind, a check only the
    // whole snapshot can make) is left out and the rest tried again, so one bad object never keeps
    // the others from serving. Each round leaves out at least one more config; two are plenty.
    for (let round = 0; ; round++) {
      const out = this.#opts.ingest(bundle, { externalClusters, excluded });
      const merged = mergeFragments([{ resources: this.#bootstrap, diagnostics: [] }, ...out.fragments]);
      const built = buildSnapshot(merged.resources, String(this.#version + 1));
      let problems: readonly Diagnostic[] = built.ok ? [] : built.error;
      let published = false;
      if (built.ok && built.value.hash !== this.#lastHash) {
        const applied = await this.#opts.publish(built.value);
        if (applied.ok) published = true;
        else problems = applied.error;
      }
      if (problems.length > 0 && round < 3 && this.#exclude(problems, bundle, excluded)) {
        setAside.push(...problems);
        continue;
      }
      const diagnostics = sortDiagnostics([...merged.diagnostics, ...setAside, ...problems]);
      this.#printDiagnostics(diagnostics);
      if (problems.length > 0 || !built.ok) {
        const message = `snapshot ${this.#version + 1} rejected; the previous one keeps serving`;
        this.#state = { ok: false, message, diagnostics, published: this.#published };
        await this.#opts.onReconciled?.({ bundle, envoyConfigs: out.envoyConfigs, excluded, snapshot: this.#serving, serving: false, message });
        this.#retryLater(excluded);
        return;
      }
      if (published) {
        this.#version++;
        this.#published++;
        this.#lastHash = built.value.hash;
        this.#serving = built.value;
      }
      const s = built.value;
      const problem = this.#bootstrapProblem;
      this.#state = {
        ok: problem === undefined,
        message:
          `${problem === undefined ? '' : `${problem}; `}` +
          `${s.listeners.length === 0 ? 'serving nothing yet (no listeners configured)' : `${s.listeners.length} listeners, ${s.clusters.length} clusters`}` +
          `; snapshot ${this.#version} (${s.hash.slice(0, 12)})`,
        diagnostics,
        published: this.#published,
      };
      await this.#opts.onReconciled?.({ bundle, envoyConfigs: out.envoyConfigs, excluded, snapshot: this.#serving, serving: true, message: this.#state.message });
      this.#retryLater(excluded);
      return;
    }
  }

  #retryLater(excluded: ReadonlyMap<string, string>): void {
    if (excluded.size === 0 || this.#stopped) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#fire();
    }, this.#opts.retryExcludedMs ?? 5_000);
    this.#retryTimer.unref();
  }

  /** Adds the configs the errors name to `excluded`; false when they name none not already out. */
  #exclude(problems: readonly Diagnostic[], bundle: InputBundle, excluded: Map<string, string>): boolean {
    let added = false;
    for (const d of problems) {
      const o = d.object;
      if (d.severity !== 'error' || o === undefined || !ENVOY_CONFIG_KINDS.has(o.kind)) continue;
      const key = objectKey(o.kind, o.namespace, o.name);
      if (excluded.has(key) || !bundle.envoyConfigs.some((c) => objectKey(c.kind, c.metadata.namespace, c.metadata.name) === key)) continue;
      excluded.set(key, `${d.field ? `${d.field}: ` : ''}${d.message}`);
      added = true;
    }
    return added;
  }

  #printDiagnostics(diagnostics: readonly Diagnostic[]): void {
    const text = diagnostics.map(formatDiagnostic).join('\n');
    if (text === this.#printed) return;
    this.#printed = text;
    if (text !== '') this.#log(text);
  }
}
