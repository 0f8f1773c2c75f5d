/**
 * The store's objects in memory, by kind then namespace/name, with each kind's sorted listing
 * cached until that kind changes (controllers list far more often than anything writes).
 */
import type { KubeObject } from '../api/object.ts';
import { groupKindId, namespacedNameId } from './object-key.ts';
import type { ObjectKey } from './object-key.ts';

function compareObjects(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export class ObjectIndex {
  /** groupKindId → namespacedNameId → object. */
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  /** groupKindId → that kind's objects sorted by namespace, name. */
  readonly #sorted = new Map<string, readonly KubeObject[]>();

  get(key: ObjectKey): KubeObject | undefined {
    return this.#objects.get(groupKindId(key.group, key.kind))?.get(namespacedNameId(key.namespace, key.name));
  }

  /** Stores `obj` under `key`, or removes the key when `obj` is undefined. */
  set(key: ObjectKey, obj: KubeObject | undefined): void {
    const gk = groupKindId(key.group, key.kind);
    this.#sorted.delete(gk);
    let byName = this.#objects.get(gk);
    if (byName === undefined) {
      if (obj === undefined) return;
      byName = new Map();
      this.#objects.set(gk, byName);
    }
    const id = namespacedNameId(key.namespace, key.name);
    if (obj !== undefined) byName.set(id, obj);
    else if (byName.delete(id) && byName.size === 0) this.#objects.delete(gk);
  }

  /** One kind's objects sorted by namespace, name (a shared, frozen array). */
  listKind(group: string, kind: string): readonly KubeObject[] {
    return this.#sortedKind(groupKindId(group, kind));
  }

  /** Every object, sorted by group, kind, namespace, name. */
  listAll(): KubeObject[] {
    return [...this.#objects.keys()].sort().flatMap((gk) => this.#sortedKind(gk));
  }

  #sortedKind(gk: string): readonly KubeObject[] {
    let sorted = this.#sorted.get(gk);
    if (sorted === undefined) {
      sorted = Object.freeze([...(this.#objects.get(gk)?.values() ?? [])].sort(compareObjects));
      this.#sorted.set(gk, sorted);
    }
    return sorted;
  }
}
