/** Validation of one object as Diagnostics: the `api/` checks, placed in the object's file. */
import { splitApiVersion } from '../api/object.ts';
import { validateKubeObject } from '../api/validate.ts';
import { formatFieldPath } from '../lib/diagnostic.ts';
import type { Diagnostic, ObjectRef } from '../lib/diagnostic.ts';
import type { SourcedObject } from './types.ts';

/** `Kind namespace/name` of an object when it has a kind and a name; undefined otherwise. */
export function objectRefOf(object: unknown): ObjectRef | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const { kind, metadata } = object as { kind?: unknown; metadata?: unknown };
  if (typeof kind !== 'string' || typeof metadata !== 'object' || metadata === null) return undefined;
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string' || name === '') return undefined;
  return typeof namespace === 'string' && namespace !== '' ? { kind, namespace, name } : { kind, name };
}

/** `group/Kind/namespace/name`: what makes two objects the same object, whatever their version. */
export function objectIdentity(object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
  const { group } = splitApiVersion(object.apiVersion);
  return `${group}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/**
 * Schema and semantic validation of one object (see `api/validate.ts`); `source` gives positions
 * when present. Pure. The object's schema validator must be loaded (`preloadSchemas`).
 */
export function validateObject(o: SourcedObject): Diagnostic[] {
  const ref = objectRefOf(o.object);
  return validateKubeObject(o.object).map((i) => {
    const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { code: i.code, severity: i.severity, message: i.message };
    if (o.source) d.position = o.source.positionOf(i.path);
    if (ref) d.object = ref;
    if (i.path.length > 0) d.field = formatFieldPath(i.path);
    if (i.hint !== undefined) d.hint = i.hint;
    return d;
  });
}
