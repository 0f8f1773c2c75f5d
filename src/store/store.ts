/**
 * The resource store of standalone mode: every applied object, kept in memory and in a state
 * directory (one JSON file per object, object-files.ts), with the API server's rules for system
 * fields (object-content.ts), a global resourceVersion, and a change feed (watch-hub.ts).
 *
 * Objects handed out — by get/list/listAll, by the write methods and in watch events — are
 * deep-frozen, shared with the store, and never change afterwards: a write stores a new object.
 * Callers that want to edit one make a copy (`structuredClone`).
 *
 * Writes run one at a time, in call order; each sees the effect of the previous ones. A write is
 * durable (files fsynced) before memory changes, its events are delivered and its promise
 * resolves. Reads are synchronous and see every write whose promise has resolved.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { KubeObject } from '../api/object.ts';
import { ensureDir } from '../lib/atomic-file.ts';
import { matchesLabels, parseLabelSelector } from '../lib/label-selector.ts';
import type { LabelSelector } from '../lib/label-selector.ts';
import { BatchView } from './admission.ts';
import type { AdmissionHook, AdmissionOperation } from './admission.ts';
import { deepFreeze, jsonEqual, toPlainJson } from './json-value.ts';
import {
  rfc3339Seconds,
  sameUserContent,
  specChanged,
  withResourceVersion,
  withStatus,
  withSystemFields,
} from './object-content.ts';
import { ObjectFiles } from './object-files.ts';
import { ObjectIndex } from './object-index.ts';
import type { FileChange } from './object-files.ts';
import { carryOverServerSetFields } from './server-set-fields.ts';
import { groupKindId, keyOf, makeKey, namespacedNameId, resourceName } from './object-key.ts';
import type { ObjectKey } from './object-key.ts';
import { StateLock } from './state-lock.ts';
import { StoreError } from './store-error.ts';
import { WatchHub } from './watch-hub.ts';
import type { RecordedEvent, WatchEvent, WatchEventType } from './watch-hub.ts';

export interface StoreOptions {
  /** The state directory; created (mode 0700) if missing. */
  dir: string;
  /** Clock for creationTimestamp (and the lock's start time). */
  now?: () => Date;
  /** uid generator; crypto.randomUUID by default. */
  newUid?: () => string;
  /** Defaulting, allocation and refusal applied to every create/update/apply (admission.ts). */
  admission?: readonly AdmissionHook[];
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
}

export interface WatchOptions {
  group?: string;
  kind?: string;
  namespace?: string;
  labelSelector?: string;
  /**
   * Replay the events after this resourceVersion that are still in the history, then go live;
   * older ones are gone (StoreError Conflict, "too old", the API server's 410). "0" means "from
   * any point", as in Kubernetes: every current object as ADDED, then live.
   */
  sinceResourceVersion?: string;
}

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ApplyOutcome {
  action: ApplyAction;
  object: KubeObject;
}

interface WriteOptions {
  dryRun?: boolean;
}

/** One planned change of a write. */
interface Change {
  readonly type: WatchEventType;
  readonly key: ObjectKey;
  /** The new object, or for DELETED the removed one with the delete's resourceVersion. */
  readonly object: KubeObject;
  readonly previous?: KubeObject;
}

function parseSelector(text: string | undefined): LabelSelector | undefined {
  if (text === undefined || text === '') return undefined;
  const r = parseLabelSelector(text);
  if (!r.ok) throw new StoreError('Invalid', r.error);
  return r.value;
}

function notFound(key: ObjectKey): StoreError {
  return new StoreError('NotFound', `${resourceName(key.group, key.kind)} "${key.name}" not found`);
}

export class Store {
  readonly dir: string;
  readonly #files: ObjectFiles;
  readonly #lock: StateLock;
  readonly #hub: WatchHub;
  readonly #now: () => Date;
  readonly #newUid: () => string;
  readonly #admission: readonly AdmissionHook[];
  readonly #index = new ObjectIndex();
  #rv: number;
  #queue: Promise<unknown> = Promise.resolve();
  #closing: Promise<void> | undefined;

  private constructor(dir: string, files: ObjectFiles, lock: StateLock, rv: number, opts: StoreOptions) {
    this.dir = dir;
    this.#files = files;
    this.#lock = lock;
    this.#rv = rv;
    this.#hub = new WatchHub(rv);
    this.#now = opts.now ?? (() => new Date());
    this.#newUid = opts.newUid ?? randomUUID;
    this.#admission = opts.admission ?? [];
  }

  /**
   * Creates the directory if needed (mode 0700), takes the lock, loads every object. Throws
   * StoreError Locked naming the holder's pid when another live process holds the directory; a
   * stale lock (dead pid) is taken over and said so in `warnings`, as are skipped files.
   */
  static async open(opts: StoreOptions): Promise<{ store: Store; warnings: string[] }> {
    const dir = resolve(opts.dir);
    await ensureDir(dir, 0o700);
    const { lock, warnings } = await StateLock.acquire(dir, (opts.now ?? (() => new Date()))());
    try {
      const files = new ObjectFiles(dir);
      const loaded = await files.load();
      const store = new Store(dir, files, lock, loaded.resourceVersion, opts);
      for (const obj of loaded.objects) store.#index.set(keyOf(obj), deepFreeze(obj));
      return { store, warnings: [...warnings, ...loaded.warnings] };
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /** The current global resourceVersion (of the last write). */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  get(group: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#index.get(makeKey(group, kind, namespace, name));
  }

  /** One kind's objects, sorted by namespace then name; `namespace` undefined or "" means all. */
  list(group: string, kind: string, opts: ListOptions = {}): KubeObject[] {
    const selector = parseSelector(opts.labelSelector);
    const ns = opts.namespace === '' ? undefined : opts.namespace;
    return this.#index.listKind(group, kind).filter(
      (o) =>
        (ns === undefined || o.metadata.namespace === ns) &&
        (selector === undefined || matchesLabels(selector, o.metadata.labels)),
    );
  }

  /** Every object, sorted by group, kind, namespace, name. */
  listAll(): KubeObject[] {
    return this.#index.listAll();
  }

  /**
   * Creates or updates each object, all or nothing. An object already stored first gets the
   * server-set fields it omits carried over (server-set-fields.ts); every object then passes the
   * admission hooks (admission.ts) before it is compared with the stored one.
   */
  apply(objects: readonly KubeObject[], opts: WriteOptions = {}): Promise<ApplyOutcome[]> {
    return this.#write(async () => {
      const seen = new Set<string>();
      const outcomes: ApplyOutcome[] = [];
      const changes: Change[] = [];
      const view = new BatchView(this.#index);
      for (const input of objects) {
        let obj = toPlainJson(input, 'object');
        const key = keyOf(obj);
        const id = `${groupKindId(key.group, key.kind)}/${namespacedNameId(key.namespace, key.name)}`;
        if (seen.has(id)) {
          throw new StoreError('Invalid', `${resourceName(key.group, key.kind)} "${key.name}": given twice in one batch`);
        }
        seen.add(id);
        const stored = this.#index.get(key);
        if (stored === undefined) {
          obj = this.#admit('create', key, obj, undefined, view);
          changes.push(this.#planCreate(key, obj, changes.length));
          outcomes.push({ action: 'created', object: changes[changes.length - 1].object });
          view.plan(key, changes[changes.length - 1].object);
          continue;
        }
        this.#checkPrecondition(key, obj, stored);
        obj = this.#admit('update', key, carryOverServerSetFields(obj, stored), stored, view);
        if (sameUserContent(obj, stored)) {
          outcomes.push({ action: 'unchanged', object: stored });
          continue;
        }
        changes.push(this.#planUpdate(key, obj, stored, changes.length));
        outcomes.push({ action: 'configured', object: changes[changes.length - 1].object });
        view.plan(key, changes[changes.length - 1].object);
      }
      if (!opts.dryRun) await this.#commit(changes);
      return outcomes;
    });
  }

  /** Creates an object; AlreadyExists if it exists. */
  create(input: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return this.#write(async () => {
      const obj = toPlainJson(input, 'object');
      const key = keyOf(obj);
      if (this.#index.get(key) !== undefined) {
        throw new StoreError('AlreadyExists', `${resourceName(key.group, key.kind)} "${key.name}" already exists`);
      }
      if (obj.metadata.resourceVersion) {
        throw new StoreError('Invalid', 'resourceVersion should not be set on objects to be created');
      }
      const admitted = this.#admit('create', key, obj, undefined, new BatchView(this.#index));
      const change = this.#planCreate(key, admitted, 0);
      if (!opts.dryRun) await this.#commit([change]);
      return change.object;
    });
  }

  /**
   * Replaces an object's user content (its status is kept); NotFound if absent, Conflict when
   * metadata.resourceVersion is set and is not the stored one. Server-set fields the input omits
   * are carried over and admission runs, as for apply. Unchanged content writes nothing.
   */
  update(input: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return this.#write(async () => {
      const obj = toPlainJson(input, 'object');
      const key = keyOf(obj);
      const stored = this.#index.get(key);
      if (stored === undefined) throw notFound(key);
      this.#checkPrecondition(key, obj, stored);
      const admitted = this.#admit('update', key, carryOverServerSetFields(obj, stored), stored, new BatchView(this.#index));
      if (sameUserContent(admitted, stored)) return stored;
      const change = this.#planUpdate(key, admitted, stored, 0);
      if (!opts.dryRun) await this.#commit([change]);
      return change.object;
    });
  }

  /** Deletes an object and resolves it, carrying the delete's resourceVersion; NotFound if absent. */
  delete(
    group: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    return this.#write(async () => {
      const key = makeKey(group, kind, namespace, name);
      const stored = this.#index.get(key);
      if (stored === undefined) throw notFound(key);
      if (opts.dryRun) return stored;
      const object = deepFreeze(withResourceVersion(stored, String(this.#rv + 1)));
      await this.#commit([{ type: 'DELETED', key, object, previous: stored }]);
      return object;
    });
  }

  /**
   * The status subresource: replaces .status only (undefined removes it) and never bumps
   * generation. A status equal to the stored one writes nothing. Only controllers call it.
   */
  updateStatus(
    group: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    status: unknown,
  ): Promise<KubeObject> {
    return this.#write(async () => {
      const key = makeKey(group, kind, namespace, name);
      const stored = this.#index.get(key);
      if (stored === undefined) throw notFound(key);
      const plain = status === undefined ? undefined : toPlainJson(status, `${kind} ${name}: status`);
      if (jsonEqual(plain, stored.status)) return stored;
      const object = deepFreeze(withStatus(stored, plain, String(this.#rv + 1)));
      await this.#commit([{ type: 'MODIFIED', key, object, previous: stored }]);
      return object;
    });
  }

  /**
   * Subscribes to changes, filtered by group/kind/namespace/label selector; events arrive
   * synchronously after each write is durable, in resourceVersion order. Returns unsubscribe.
   */
  watch(fn: (ev: WatchEvent) => void, opts: WatchOptions = {}): () => void {
    const filter = {
      group: opts.group,
      kind: opts.kind,
      namespace: opts.namespace,
      selector: parseSelector(opts.labelSelector),
    };
    const since = opts.sinceResourceVersion;
    if (since === undefined || since === '') return this.#hub.subscribe(fn, filter);
    if (since === '0') return this.#hub.subscribe(fn, filter, { initial: this.#initialObjects(opts) });
    if (!/^\d+$/.test(since)) {
      throw new StoreError('Invalid', `resourceVersion "${since}" is not a valid resource version`);
    }
    const rv = Number(since);
    if (rv > this.#rv) {
      throw new StoreError('Invalid', `too large resource version: ${since}, current: ${this.#rv}`);
    }
    if (rv < this.#hub.oldestReplayable) {
      throw new StoreError('Conflict', `too old resource version: ${since} (${this.#hub.oldestReplayable})`);
    }
    return this.#hub.subscribe(fn, filter, { sinceResourceVersion: rv });
  }

  /** Waits for pending writes, drops the watchers and releases the lock. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#queue;
      this.#hub.close();
      await this.#lock.release();
    })();
    return this.#closing;
  }

  // ---- internals -----------------------------------------------------------------------------

  #write<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new Error(`store ${this.dir} is closed`));
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #initialObjects(opts: WatchOptions): KubeObject[] {
    if (opts.group !== undefined && opts.kind !== undefined) return this.list(opts.group, opts.kind);
    return this.listAll();
  }

  /** Runs the admission hooks; a hook that changes the object's identity is a bug (thrown as such). */
  #admit(operation: AdmissionOperation, key: ObjectKey, obj: KubeObject, stored: KubeObject | undefined, view: BatchView): KubeObject {
    let out = obj;
    for (const hook of this.#admission) {
      out = hook({ operation, object: out, stored, view });
      const k = keyOf(out);
      if (k.group !== key.group || k.kind !== key.kind || k.namespace !== key.namespace || k.name !== key.name) {
        throw new Error(`admission changed the identity of ${key.kind} ${key.name}`);
      }
    }
    return out;
  }

  #checkPrecondition(key: ObjectKey, obj: KubeObject, stored: KubeObject): void {
    const rv = obj.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== stored.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${resourceName(key.group, key.kind)} "${key.name}": ` +
          'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
  }

  /** `offset`: how many changes come before this one in the same write. */
  #planCreate(key: ObjectKey, obj: KubeObject, offset: number): Change {
    const sys = {
      uid: this.#newUid(),
      creationTimestamp: rfc3339Seconds(this.#now()),
      resourceVersion: String(this.#rv + offset + 1),
      generation: 1,
    };
    return { type: 'ADDED', key, object: deepFreeze(withSystemFields(obj, sys, undefined)) };
  }

  #planUpdate(key: ObjectKey, obj: KubeObject, stored: KubeObject, offset: number): Change {
    const m = stored.metadata;
    const sys = {
      uid: m.uid as string,
      creationTimestamp: m.creationTimestamp as string,
      resourceVersion: String(this.#rv + offset + 1),
      generation: (m.generation as number) + (specChanged(stored, obj) ? 1 : 0),
    };
    const object = deepFreeze(withSystemFields(obj, sys, stored.status));
    return { type: 'MODIFIED', key, object, previous: stored };
  }

  /** Persists the changes, then updates memory and the resourceVersion, then notifies watchers. */
  async #commit(changes: readonly Change[]): Promise<void> {
    if (changes.length === 0) return;
    const last = this.#rv + changes.length;
    const fileChanges = changes.map(
      (c): FileChange =>
        c.type === 'DELETED'
          ? { kind: 'remove', key: c.key, previous: c.previous as KubeObject }
          : { kind: 'put', key: c.key, object: c.object, previous: c.previous },
    );
    await this.#files.commit(fileChanges, last);
    for (const c of changes) this.#index.set(c.key, c.type === 'DELETED' ? undefined : c.object);
    this.#rv = last;
    this.#hub.publish(
      changes.map((c): RecordedEvent => ({
        type: c.type,
        object: c.object,
        resourceVersion: Number(c.object.metadata.resourceVersion),
        previous: c.previous,
      })),
    );
  }
}
