/**
 * An object's identity in the store — group (from apiVersion, version ignored) + kind + namespace
 * + name — and where its file lives under the state directory:
 *
 *   objects/<group, or "core" for the core group>/<Kind>/<namespace, or "_cluster">/<name>.json
 *
 * Group and kind directories keep `ls` readable and make a list by kind one directory read;
 * `_cluster` cannot clash with a namespace (namespaces may not be "_cluster", and Kubernetes
 * namespaces cannot contain "_" at all). Names whose `<name>.json` would exceed the 255-byte
 * file-name limit (Kubernetes allows 253-character names) are shortened and suffixed with a hash
 * ("~" cannot occur in Kubernetes names, so shortened and plain names never collide).
 */
import { createHash } from 'node:crypto';
import { kindInfo } from '../api/kinds.ts';
import { splitApiVersion } from '../api/object.ts';
import type { KubeObject } from '../api/object.ts';
import { StoreError } from './store-error.ts';

export interface ObjectKey {
  readonly group: string;
  readonly kind: string;
  /** undefined for cluster-scoped objects. */
  readonly namespace: string | undefined;
  readonly name: string;
}

export const CORE_GROUP_DIR = 'core';
export const CLUSTER_SCOPE_DIR = '_cluster';
export const OBJECTS_DIR = 'objects';

const MAX_FILE_NAME_BYTES = 255;
const GROUP_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const KIND_RE = /^[A-Za-z][A-Za-z0-9]*$/;
const MAX_NAME_LENGTH = 253;

export function makeKey(group: string, kind: string, namespace: string | undefined, name: string): ObjectKey {
  return { group, kind, namespace: namespace === '' ? undefined : namespace, name };
}

/** "group/Kind" — the index of a kind in memory. */
export function groupKindId(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/** "namespace/name" within a kind ("/name" for cluster-scoped objects). */
export function namespacedNameId(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** How Kubernetes names a resource in messages: `services`, `httproutes.gateway.networking.k8s.io`. */
export function resourceName(group: string, kind: string): string {
  const plural = kindInfo(group, kind)?.plural ?? `${kind.toLowerCase()}s`;
  return group === '' ? plural : `${plural}.${group}`;
}

/** `Service default/web`, `GatewayClass weft` — for warnings and logs. */
export function describeKey(key: ObjectKey): string {
  return key.namespace === undefined ? `${key.kind} ${key.name}` : `${key.kind} ${key.namespace}/${key.name}`;
}

function checkPathSegment(value: string, field: string): void {
  // apimachinery's IsValidPathSegmentName, plus what a file name cannot hold.
  if (value === '.' || value === '..') throw new StoreError('Invalid', `${field}: may not be "${value}"`);
  const bad = /[/%\\\u0000-\u001f\u007f]/.exec(value);
  if (bad) throw new StoreError('Invalid', `${field}: may not contain ${JSON.stringify(bad[0])}`);
  if (value.length > MAX_NAME_LENGTH) {
    throw new StoreError('Invalid', `${field}: must be no more than ${MAX_NAME_LENGTH} characters`);
  }
}

/** Throws Invalid when a key cannot name an object (or a file) safely. */
export function checkKey(key: ObjectKey): void {
  if (key.group !== '' && !GROUP_RE.test(key.group)) {
    throw new StoreError('Invalid', `apiVersion: "${key.group}" is not a valid API group`);
  }
  if (key.group === CORE_GROUP_DIR) {
    throw new StoreError('Invalid', `apiVersion: group "${CORE_GROUP_DIR}" is reserved (the core group is written "v1")`);
  }
  if (!KIND_RE.test(key.kind)) throw new StoreError('Invalid', `kind: "${key.kind}" is not a valid kind`);
  if (key.name === '') throw new StoreError('Invalid', `${key.kind}: metadata.name: Required value`);
  checkPathSegment(key.name, `${key.kind} ${key.name}: metadata.name`);
  if (key.namespace !== undefined) {
    checkPathSegment(key.namespace, `${key.kind} ${key.name}: metadata.namespace`);
    if (key.namespace === CLUSTER_SCOPE_DIR) {
      throw new StoreError('Invalid', `${key.kind} ${key.name}: metadata.namespace: "${CLUSTER_SCOPE_DIR}" is reserved`);
    }
  }
}

/** The key of an object as a caller gave it; throws Invalid when apiVersion, kind or name is missing. */
export function keyOf(obj: KubeObject): ObjectKey {
  if (typeof obj !== 'object' || obj === null) throw new StoreError('Invalid', 'object: must be a JSON object');
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
    throw new StoreError('Invalid', 'apiVersion: Required value');
  }
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new StoreError('Invalid', 'kind: Required value');
  const meta: unknown = obj.metadata;
  if (typeof meta !== 'object' || meta === null) throw new StoreError('Invalid', `${obj.kind}: metadata: Required value`);
  const { name, namespace } = meta as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string' || name === '') throw new StoreError('Invalid', `${obj.kind}: metadata.name: Required value`);
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    throw new StoreError('Invalid', `${obj.kind} ${name}: metadata.namespace: must be a string`);
  }
  const key = makeKey(splitApiVersion(obj.apiVersion).group, obj.kind, namespace ?? undefined, name);
  checkKey(key);
  return key;
}

function fileSegment(value: string, suffix: string): string {
  if (Buffer.byteLength(value + suffix) <= MAX_FILE_NAME_BYTES) return value + suffix;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 16);
  let prefix = value.slice(0, 200);
  while (Buffer.byteLength(prefix) > 200) prefix = prefix.slice(0, -1);
  return `${prefix}~${hash}${suffix}`;
}

/** The object's file, relative to the state directory, with "/" separators. */
export function objectFilePath(key: ObjectKey): string {
  return [
    OBJECTS_DIR,
    key.group === '' ? CORE_GROUP_DIR : key.group,
    key.kind,
    key.namespace === undefined ? CLUSTER_SCOPE_DIR : fileSegment(key.namespace, ''),
    fileSegment(key.name, '.json'),
  ].join('/');
}
