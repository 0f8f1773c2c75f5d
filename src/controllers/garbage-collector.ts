/**
 * Kubernetes' garbage collector, background propagation: an object whose owners are all gone is
 * deleted. This is how deleting a Deployment deletes its Pods and deleting a Service its
 * EndpointSlices. An owner is gone when no object of its kind, name and namespace (none for a
 * cluster-scoped kind) has its uid.
 *
 * Only references to kinds weft serves count: an object copied from a cluster may name a
 * ReplicaSet or a Node, which can never exist here, and deleting it for that would surprise more
 * than it helps. An object with no reference to a served kind is never collected.
 */
import { kindInfo } from '../api/kinds.ts';
import { splitApiVersion } from '../api/object.ts';
import type { KubeObject, OwnerReference } from '../api/object.ts';
import type { Store, WatchEvent } from '../store/index.ts';
import { StoreError } from '../store/index.ts';
import type { Controller, Trigger } from './controller.ts';

interface Ref {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

function gcKey(obj: KubeObject): string {
  return JSON.stringify([splitApiVersion(obj.apiVersion).group, obj.kind, obj.metadata.namespace ?? '', obj.metadata.name]);
}

function parseGcKey(key: string): Ref {
  const [group, kind, namespace, name] = JSON.parse(key) as [string, string, string, string];
  return { group, kind, namespace: namespace === '' ? undefined : namespace, name };
}

function servedOwnerRefs(obj: KubeObject): OwnerReference[] {
  const refs = obj.metadata.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter((r) => typeof r?.kind === 'string' && typeof r.apiVersion === 'string' && kindInfo(splitApiVersion(r.apiVersion).group, r.kind) !== undefined);
}

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  readonly workers = 2;
  readonly triggers: readonly Trigger[] = [{ keysFor: (ev) => this.#keysFor(ev) }];
  readonly #store: Store;
  /** owner uid → keys of the objects that name it, and back. */
  readonly #dependents = new Map<string, Set<string>>();
  readonly #ownersOf = new Map<string, string[]>();

  constructor(store: Store) {
    this.#store = store;
  }

  async reconcile(key: string): Promise<void> {
    const ref = parseGcKey(key);
    const obj = this.#store.get(ref.group, ref.kind, ref.namespace, ref.name);
    if (obj === undefined) return;
    const owners = servedOwnerRefs(obj);
    if (owners.length === 0 || owners.some((o) => this.#ownerExists(obj, o))) return;
    try {
      await this.#store.delete(ref.group, ref.kind, ref.namespace, ref.name);
    } catch (e) {
      if (!(e instanceof StoreError && e.reason === 'NotFound')) throw e;
    }
  }

  #ownerExists(dependent: KubeObject, ref: OwnerReference): boolean {
    const group = splitApiVersion(ref.apiVersion).group;
    const namespaced = kindInfo(group, ref.kind)?.namespaced ?? true;
    const owner = this.#store.get(group, ref.kind, namespaced ? dependent.metadata.namespace : undefined, ref.name);
    return owner !== undefined && owner.metadata.uid === ref.uid;
  }

  #keysFor(ev: WatchEvent): string[] {
    const key = gcKey(ev.object);
    const out: string[] = [];
    const before = this.#ownersOf.get(key) ?? [];
    for (const uid of before) {
      const deps = this.#dependents.get(uid);
      deps?.delete(key);
      if (deps?.size === 0) this.#dependents.delete(uid);
    }
    this.#ownersOf.delete(key);
    if (ev.type === 'DELETED') {
      const uid = ev.object.metadata.uid;
      if (uid !== undefined) out.push(...(this.#dependents.get(uid) ?? []));
      return out;
    }
    const owners = servedOwnerRefs(ev.object).map((o) => o.uid);
    if (owners.length === 0) return out;
    this.#ownersOf.set(key, owners);
    for (const uid of owners) {
      let deps = this.#dependents.get(uid);
      if (deps === undefined) this.#dependents.set(uid, (deps = new Set()));
      deps.add(key);
    }
    if (ev.type === 'ADDED' || owners.join() !== before.join()) out.push(key);
    return out;
  }
}
