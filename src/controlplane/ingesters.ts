/**
 * What standalone mode ingests from each input bundle, in merge order: the CiliumEnvoyConfigs
 * first (their `services` decide which Service ports leave L4 balancing for a config's listener),
 * then the Services at L4 with those ports left out.
 */
import { ingestCiliumEnvoyConfigs } from '../ingest/cilium/index.ts';
import type { CiliumEnvoyConfigReport } from '../ingest/cilium/index.ts';
import type { KubeObject } from '../api/object.ts';
import { ingestServices } from '../ingest/services.ts';
import type { InputBundle } from './input-bundle.ts';
import type { Fragment } from './merge-fragments.ts';

/** The machine weft runs on, as a Kubernetes node. */
export interface NodeSettings {
  /** Labels a CiliumEnvoyConfig's `nodeSelector` is matched against. */
  readonly labels: Readonly<Record<string, string>>;
  /** Where NodePorts and wildcard-address listeners bind. */
  readonly address: string;
}

export const DEFAULT_NODE: NodeSettings = {
  labels: { 'kubernetes.io/hostname': 'weft-node', 'kubernetes.io/os': 'linux' },
  address: '127.0.0.1',
};

export interface IngestContext {
  /** Clusters defined outside the bundle (the bootstrap's) that a config may name. */
  readonly externalClusters: ReadonlySet<string>;
  /** Configs left out of this round (their resources broke the snapshot), with why. */
  readonly excluded?: ReadonlyMap<string, string>;
}

export interface IngestOutput {
  readonly fragments: readonly Fragment[];
  /** One report per CiliumEnvoyConfig / CiliumClusterwideEnvoyConfig of the bundle. */
  readonly envoyConfigs: readonly CiliumEnvoyConfigReport[];
}

export type Ingest = (bundle: InputBundle, context: IngestContext) => IngestOutput;

/** `kind/namespace/name` of an object, the key configs are excluded by. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/**
 * The labels a config's `nodeSelector` is matched against: those of the Node object when there is
 * one (so `weft label node weft-node role=infra` selects, as labelling a Kubernetes node does),
 * else the settings' (`weft up --node-label`, offline checks).
 */
export function nodeLabelsOf(nodes: readonly KubeObject[], node: NodeSettings): Readonly<Record<string, string>> {
  return nodes.length === 1 ? (nodes[0].metadata.labels ?? {}) : node.labels;
}

export function standaloneIngest(node: NodeSettings = DEFAULT_NODE): Ingest {
  return (bundle, context) => {
    const excluded = context.excluded;
    const configs = excluded === undefined || excluded.size === 0 ? bundle.envoyConfigs : bundle.envoyConfigs.filter((c) => !excluded.has(objectKey(c.kind, c.metadata.namespace, c.metadata.name)));
    const cec = ingestCiliumEnvoyConfigs({
      configs,
      services: bundle.services,
      nodeLabels: nodeLabelsOf(bundle.nodes, node),
      nodeAddress: node.address,
      externalClusters: context.externalClusters,
    });
    const services = ingestServices({
      services: bundle.services,
      endpointSlices: bundle.endpointSlices,
      endpoints: bundle.endpoints,
      nodeAddress: node.address,
      redirected: cec.redirectedServicePorts,
    });
    return { fragments: [{ resources: cec.resources, diagnostics: cec.diagnostics }, services], envoyConfigs: cec.reports };
  };
}
