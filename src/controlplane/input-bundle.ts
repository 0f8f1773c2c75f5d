/**
 * The input bundle: one consistent read of every stored object the ingest functions look at,
 * taken at the start of a reconcile, as plain (deep-frozen) data. Ingest never reads the store.
 */
import type { KubeObject } from '../api/object.ts';
import type { Store } from '../store/index.ts';

export interface InputBundle {
  /** The store's resourceVersion the bundle was read at. */
  readonly resourceVersion: string;
  readonly services: readonly KubeObject[];
  readonly endpointSlices: readonly KubeObject[];
  readonly endpoints: readonly KubeObject[];
  /** CiliumEnvoyConfigs, then CiliumClusterwideEnvoyConfigs. */
  readonly envoyConfigs: readonly KubeObject[];
  /** The Node objects (standalone mode has one: this machine; `weft label node` changes its labels). */
  readonly nodes: readonly KubeObject[];
}

export const ENVOY_CONFIG_KINDS: ReadonlySet<string> = new Set(['CiliumEnvoyConfig', 'CiliumClusterwideEnvoyConfig']);

/** The kinds a bundle holds: store events of other kinds do not trigger a reconcile. */
export const INPUT_KINDS: ReadonlySet<string> = new Set(['Service', 'EndpointSlice', 'Endpoints', 'Node', ...ENVOY_CONFIG_KINDS]);

export function gatherInputBundle(store: Store): InputBundle {
  return {
    resourceVersion: store.resourceVersion,
    services: store.list('', 'Service'),
    endpointSlices: store.list('discovery.k8s.io', 'EndpointSlice'),
    endpoints: store.list('', 'Endpoints'),
    envoyConfigs: [...store.list('cilium.io', 'CiliumEnvoyConfig'), ...store.list('cilium.io', 'CiliumClusterwideEnvoyConfig')],
    nodes: store.list('', 'Node'),
  };
}
