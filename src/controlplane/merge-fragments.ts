/**
 * Merges the fragments of one reconcile (the bootstrap's resources first, then each ingest
 * function's) into the resources of one snapshot. A name defined by two fragments keeps the first
 * definition and reports the second as a conflict (a warning), so one clashing object does not
 * take every other resource down with the snapshot; identical duplicates merge silently.
 */
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { stableHash } from '../lib/stable-hash.ts';
import type { SnapshotResources, SourceRef } from '../model/index.ts';

export interface Fragment {
  readonly resources: SnapshotResources;
  readonly diagnostics: readonly Diagnostic[];
}

function describe(sources: readonly SourceRef[]): string {
  const s = sources[0];
  return s === undefined ? 'an unnamed source' : `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}

function mergeList<T extends { readonly sources: readonly SourceRef[] }>(
  type: string,
  lists: readonly (readonly T[] | undefined)[],
  name: (t: T) => string,
  out: Diagnostic[],
): T[] {
  const kept = new Map<string, T>();
  for (const items of lists) {
    for (const item of items ?? []) {
      const key = name(item);
      const first = kept.get(key);
      if (first === undefined) {
        kept.set(key, item);
      } else if (stableHash(first) !== stableHash(item)) {
        const src = item.sources[0];
        out.push({
          code: DIAGNOSTIC_CODES.CONFLICT,
          severity: 'warning',
          ...(src !== undefined ? { object: { kind: src.kind, ...(src.namespace ? { namespace: src.namespace } : {}), name: src.name } } : {}),
          message: `${type} ${JSON.stringify(key)} is also defined by ${describe(first.sources)}; the first definition is served and this one ignored`,
          hint: 'rename one of them',
        });
      }
    }
  }
  return [...kept.values()];
}

export function mergeFragments(fragments: readonly Fragment[]): Fragment {
  const diagnostics: Diagnostic[] = fragments.flatMap((f) => f.diagnostics);
  const resources: SnapshotResources = {
    listeners: mergeList('Listener', fragments.map((f) => f.resources.listeners), (l) => l.name, diagnostics),
    routeConfigurations: mergeList('RouteConfiguration', fragments.map((f) => f.resources.routeConfigurations), (r) => r.name, diagnostics),
    clusters: mergeList('Cluster', fragments.map((f) => f.resources.clusters), (c) => c.name, diagnostics),
    endpoints: mergeList('ClusterLoadAssignment', fragments.map((f) => f.resources.endpoints), (e) => e.clusterName, diagnostics),
    secrets: mergeList('Secret', fragments.map((f) => f.resources.secrets), (s) => s.name, diagnostics),
  };
  return { resources, diagnostics };
}
