/**
 * Admission: what the API server does to an object between receiving it and storing it —
 * defaulting, allocation (a Service's ClusterIP and node ports), and refusal with 422 Invalid.
 * The store calls each hook, in order, on every create, update and apply (dry runs included),
 * after carrying over server-set fields (server-set-fields.ts) and before comparing with the stored
 * object, so a write that admission turns into the stored content is `unchanged`.
 *
 * Hooks are plain functions: no I/O, no awaiting. They see the store as it will be once the earlier
 * objects of the same batch are written (`view`), so two Services applied together never get the
 * same address. Nothing is reserved outside the store: an allocation is the stored object itself,
 * which keeps it across restarts and makes a dry run or a refused batch leave no trace.
 */
import type { KubeObject } from '../api/object.ts';
import { makeKey, namespacedNameId } from './object-key.ts';
import type { ObjectKey } from './object-key.ts';
import type { ObjectIndex } from './object-index.ts';

export type AdmissionOperation = 'create' | 'update';

/** Read access to the store as the write will leave it, for the objects before this one. */
export interface AdmissionView {
  get(group: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Every object of the kind, in every namespace. */
  list(group: string, kind: string): readonly KubeObject[];
}

export interface AdmissionRequest {
  readonly operation: AdmissionOperation;
  /** The incoming object: a private plain-JSON copy the hook may change and return. */
  readonly object: KubeObject;
  /** For update: the stored object it replaces (deep-frozen). */
  readonly stored?: KubeObject;
  readonly view: AdmissionView;
}

/**
 * Resolves the object to store (usually `req.object`, changed). Refuses the write by throwing
 * StoreError('Invalid', message) with the API server's wording
 * (`Service "web" is invalid: spec.clusterIP: Invalid value: ...`); the whole batch is refused.
 * It must not change the object's apiVersion, kind, namespace or name.
 */
export type AdmissionHook = (req: AdmissionRequest) => KubeObject;

/** The index overlaid with a batch's planned writes (undefined = deleted). */
export class BatchView implements AdmissionView {
  readonly #index: ObjectIndex;
  readonly #pending = new Map<string, { key: ObjectKey; object: KubeObject | undefined }>();

  constructor(index: ObjectIndex) {
    this.#index = index;
  }

  /** Records a planned write so that later objects of the batch see it. */
  plan(key: ObjectKey, object: KubeObject | undefined): void {
    this.#pending.set(BatchView.#id(key), { key, object });
  }

  get(group: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = makeKey(group, kind, namespace, name);
    const p = this.#pending.get(BatchView.#id(key));
    return p ? p.object : this.#index.get(key);
  }

  list(group: string, kind: string): readonly KubeObject[] {
    const stored = this.#index.listKind(group, kind);
    const overlay = [...this.#pending.values()].filter((p) => p.key.group === group && p.key.kind === kind);
    if (overlay.length === 0) return stored;
    const byId = new Map<string, KubeObject>();
    for (const o of stored) byId.set(namespacedNameId(o.metadata.namespace, o.metadata.name), o);
    for (const p of overlay) {
      const id = namespacedNameId(p.key.namespace, p.key.name);
      if (p.object === undefined) byId.delete(id);
      else byId.set(id, p.object);
    }
    return [...byId.values()];
  }

  static #id(key: ObjectKey): string {
    return `${key.group}/${key.kind}/${namespacedNameId(key.namespace, key.name)}`;
  }
}
