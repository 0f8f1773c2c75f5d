/**
 * A batch of manifest files → validated, normalised objects and every problem of the batch.
 * Normalising does what the API server does on the way in: null fields dropped, namespaced objects
 * without a namespace put in the default one, cluster-scoped objects' namespace dropped (silently,
 * as the server does).
 */
import { kindInfo } from '../api/kinds.ts';
import { splitApiVersion } from '../api/object.ts';
import type { KubeObject } from '../api/object.ts';
import { withoutNulls } from '../api/validate.ts';
import { DIAGNOSTIC_CODES, formatObjectRef, hasErrors } from '../lib/diagnostic.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { parseManifestFile } from './parse-file.ts';
import type { LoadResult, ManifestFile, SourcedObject } from './types.ts';
import { objectIdentity, objectRefOf, validateObject } from './validate-object.ts';

export interface LoadOptions {
  /** Namespace for namespaced objects that name none (kubectl's `-n`); `default` otherwise. */
  defaultNamespace?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A normalised copy of a parsed object (see the file comment). Never throws on odd shapes. */
export function normaliseObject(object: unknown, defaultNamespace?: string): KubeObject {
  const copy = withoutNulls(object);
  if (!isRecord(copy) || typeof copy.apiVersion !== 'string' || typeof copy.kind !== 'string') return copy as KubeObject;
  const info = kindInfo(splitApiVersion(copy.apiVersion).group, copy.kind);
  const meta = copy.metadata;
  if (info && isRecord(meta)) {
    if (!info.namespaced) delete meta.namespace;
    else if (meta.namespace === undefined || meta.namespace === '') meta.namespace = defaultNamespace || 'default';
  }
  return copy as KubeObject;
}

function duplicateOf(o: SourcedObject, first: SourcedObject): Diagnostic {
  const ref = objectRefOf(o.object);
  const where = first.source ? `${first.source.file}:${first.source.line}` : 'earlier in the batch';
  const d: Diagnostic = {
    code: DIAGNOSTIC_CODES.DUPLICATE_OBJECT,
    severity: 'error',
    message: `${ref ? formatObjectRef(ref) : 'this object'} is already defined at ${where}`,
    hint: 'an object may appear only once in a batch; merge the two or rename one',
  };
  return {
    ...d,
    ...(o.source ? { position: { file: o.source.file, line: o.source.line, column: o.source.column } } : {}),
    ...(ref ? { object: ref } : {}),
  };
}

/** A file's diagnostics by position (stable: same-place diagnostics keep the order they were found in). */
function inSourceOrder(ds: readonly Diagnostic[]): Diagnostic[] {
  const at = (d: Diagnostic): number => (d.position ? d.position.line * 1e6 + d.position.column : Number.MAX_SAFE_INTEGER);
  return ds.map((d, i) => ({ d, i })).sort((a, b) => at(a.d) - at(b.d) || a.i - b.i).map((x) => x.d);
}

/**
 * Parses every file, validates every object, defaults namespaces and finds duplicates within the
 * batch. Returns all the problems of the batch, not only the first. `objects` holds the normalised
 * copies of the objects that have no error (in file order); schema validators must be loaded
 * (`readManifestFiles` does it, or `preloadManifestSchemas`).
 */
export function loadManifests(files: readonly ManifestFile[], opts: LoadOptions = {}): LoadResult {
  const objects: SourcedObject[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, SourcedObject>();
  for (const file of files) {
    const parsed = parseManifestFile(file);
    const fileDiagnostics = [...parsed.diagnostics];
    for (const o of parsed.objects) {
      const n: SourcedObject = o.source ? { object: normaliseObject(o.object, opts.defaultNamespace), source: o.source } : { object: normaliseObject(o.object, opts.defaultNamespace) };
      const ds = validateObject(n);
      fileDiagnostics.push(...ds);
      if (hasErrors(ds)) continue;
      const id = objectIdentity(n.object);
      const first = seen.get(id);
      if (first) {
        fileDiagnostics.push(duplicateOf(n, first));
        continue;
      }
      seen.set(id, n);
      objects.push(n);
    }
    diagnostics.push(...inSourceOrder(fileDiagnostics));
  }
  return { objects, diagnostics };
}
