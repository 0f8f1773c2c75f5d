/**
 * Work-queue keys and owner references. A controller that follows one namespaced kind keys its work
 * by `namespace/name`; the garbage collector, which follows every kind, by `group/Kind/namespace/name`.
 */
import type { KubeObject, OwnerReference } from '../api/object.ts';

export function namespacedKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function keyOfObject(obj: KubeObject): string {
  return namespacedKey(obj.metadata.namespace, obj.metadata.name);
}

export function splitNamespacedKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  const ns = key.slice(0, i);
  return { namespace: ns === '' ? undefined : ns, name: key.slice(i + 1) };
}

/** The owner reference a controller puts on what it creates (metav1.NewControllerRef). */
export function controllerReference(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid as string,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The object's controller reference (the owner reference with `controller: true`), if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  const refs = obj.metadata.ownerReferences;
  return Array.isArray(refs) ? refs.find((r) => r?.controller === true) : undefined;
}

/** Whether `obj` is controlled by the object with this uid. */
export function isControlledBy(obj: KubeObject, ownerUid: string | undefined): boolean {
  return ownerUid !== undefined && controllerOf(obj)?.uid === ownerUid;
}
