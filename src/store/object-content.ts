/**
 * The API server's rules for the fields the system owns. A caller's uid, resourceVersion,
 * generation, creationTimestamp (and the other server-set metadata) and status are ignored on
 * create/update/apply; `generation` starts at 1 and goes up by one whenever anything outside
 * metadata and status changes (spec, data, rules...); label or annotation changes leave it alone.
 */
import type { KubeObject, ObjectMeta } from '../api/object.ts';
import { jsonEqual } from './json-value.ts';

/** Metadata the server sets; a caller's values for these are dropped. */
const SYSTEM_METADATA: readonly string[] = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

/** Top-level fields that are not "the spec" for the generation rule. */
const NON_SPEC_FIELDS: readonly string[] = ['apiVersion', 'kind', 'metadata', 'status'];

export interface SystemFields {
  readonly uid: string;
  readonly creationTimestamp: string;
  readonly resourceVersion: string;
  readonly generation: number;
}

function omit(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k)) out[k] = v;
  return out;
}

function userMetadata(meta: ObjectMeta): Record<string, unknown> {
  const out = omit(meta, SYSTEM_METADATA);
  if (out.namespace === '' || out.namespace === null) delete out.namespace;
  return out;
}

/** Everything a user owns: the object without status and without server-set metadata. */
export function userContent(obj: KubeObject): Record<string, unknown> {
  return { ...omit(obj, ['status']), metadata: userMetadata(obj.metadata) };
}

/** Whether two versions have the same user content (so applying one over the other is a no-op). */
export function sameUserContent(a: KubeObject, b: KubeObject): boolean {
  return jsonEqual(userContent(a), userContent(b));
}

/** Whether the change from `prev` to `next` bumps metadata.generation. */
export function specChanged(prev: KubeObject, next: KubeObject): boolean {
  return !jsonEqual(omit(prev, NON_SPEC_FIELDS), omit(next, NON_SPEC_FIELDS));
}

/** RFC 3339 with second precision, as Kubernetes writes creationTimestamp. */
export function rfc3339Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * The object to store: the caller's user content with the system fields and the given status,
 * laid out the way the API server prints objects (system metadata after name/namespace, status
 * last).
 */
export function withSystemFields(input: KubeObject, sys: SystemFields, status: unknown): KubeObject {
  const { name, namespace, ...restMeta } = userMetadata(input.metadata) as ObjectMeta;
  const metadata: ObjectMeta = { name };
  if (namespace !== undefined) metadata.namespace = namespace;
  Object.assign(metadata, {
    uid: sys.uid,
    resourceVersion: sys.resourceVersion,
    generation: sys.generation,
    creationTimestamp: sys.creationTimestamp,
    ...restMeta,
  });
  const rest = omit(input, ['apiVersion', 'kind', 'metadata', 'status']);
  const out: KubeObject = { apiVersion: input.apiVersion, kind: input.kind, metadata, ...rest };
  if (status !== undefined) out.status = status;
  return out;
}

/** The same object with another resourceVersion (a delete's tombstone carries the delete's). */
export function withResourceVersion(obj: KubeObject, resourceVersion: string): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion } };
}

/** The same object with another status (undefined removes it). */
export function withStatus(obj: KubeObject, status: unknown, resourceVersion: string): KubeObject {
  const out: KubeObject = { ...omit(obj, ['status']), metadata: { ...obj.metadata, resourceVersion } } as KubeObject;
  if (status !== undefined) out.status = status;
  return out;
}

/** The system fields an object carries, if it is well-formed stored data. */
export function systemFieldsOf(obj: KubeObject): SystemFields | undefined {
  const m = obj.metadata;
  if (typeof m.uid !== 'string' || typeof m.creationTimestamp !== 'string') return undefined;
  if (typeof m.resourceVersion !== 'string' || !/^[1-9]\d*$/.test(m.resourceVersion)) return undefined;
  if (typeof m.generation !== 'number' || !Number.isSafeInteger(m.generation) || m.generation < 1) return undefined;
  return { uid: m.uid, creationTimestamp: m.creationTimestamp, resourceVersion: m.resourceVersion, generation: m.generation };
}
