/**
 * Checks at apply time what only ingest knows: a CiliumEnvoyConfig's Envoy resources decoded with
 * Envoy's own schema, and their references. `weft apply` (server side, with the files' positions),
 * `weft up -f` and `weft validate` run it, so a broken config is refused with file:line:column and
 * a field path before anything is stored, instead of being accepted and only logged as Cilium does.
 *
 * The batch is checked together with the configs already stored (a route may name a cluster
 * another config defines); only the batch's own problems are returned. Conflicts with other
 * configs are warnings: they do not refuse the apply, the configs' status reports them.
 */
import type { KubeObject } from '../api/object.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import type { SourcedObject } from '../manifest/index.ts';
import { ingestCiliumEnvoyConfigs } from '../ingest/cilium/index.ts';
import { DEFAULT_NODE, objectKey } from './ingesters.ts';
import type { NodeSettings } from './ingesters.ts';
import { ENVOY_CONFIG_KINDS } from './input-bundle.ts';

export interface ConfigCheckContext {
  /** Configs and Services already stored (those the batch replaces are ignored). */
  readonly existing?: readonly KubeObject[];
  readonly node?: NodeSettings;
  /** Clusters defined outside the configs (the bootstrap's). */
  readonly externalClusters?: ReadonlySet<string>;
}

export function checkEnvoyConfigs(batch: readonly SourcedObject[], context: ConfigCheckContext = {}): Diagnostic[] {
  const keyOf = (o: KubeObject) => objectKey(o.kind, o.metadata.namespace, o.metadata.name);
  const configs = batch.filter((o) => ENVOY_CONFIG_KINDS.has(o.object.kind));
  if (configs.length === 0) return [];
  const inBatch = new Set(batch.map((o) => keyOf(o.object)));
  const existing = (context.existing ?? []).filter((o) => !inBatch.has(keyOf(o)));
  const sources = new Map(configs.map((o) => [keyOf(o.object), o.source]));
  const node = context.node ?? DEFAULT_NODE;
  const result = ingestCiliumEnvoyConfigs({
    configs: [...existing.filter((o) => ENVOY_CONFIG_KINDS.has(o.kind)), ...configs.map((o) => o.object)],
    services: [...existing.filter((o) => o.kind === 'Service'), ...batch.filter((o) => o.object.kind === 'Service').map((o) => o.object)],
    nodeLabels: node.labels,
    nodeAddress: node.address,
    externalClusters: context.externalClusters ?? new Set(),
    positionOf: (o) => {
      const source = sources.get(keyOf(o));
      return source === undefined ? undefined : (path) => source.positionOf(path);
    },
  });
  return result.reports.filter((r) => inBatch.has(objectKey(r.object.kind, r.object.namespace, r.object.name))).flatMap((r) => r.diagnostics);
}
