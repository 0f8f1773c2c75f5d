/** The CiliumEnvoyConfig ingest's input and output shapes (the folder's public contract). */
import type { KubeObject } from '../../api/object.ts';
import type { Diagnostic, ObjectRef } from '../../lib/diagnostic.ts';
import type { SnapshotResources } from '../../model/index.ts';
import type { PositionOf } from '../envoy/index.ts';

export interface CiliumEnvoyConfigInput {
  /** CiliumEnvoyConfig (namespaced) and CiliumClusterwideEnvoyConfig objects, cilium.io/v2 or v2alpha1. */
  readonly configs: readonly KubeObject[];
  /** Services (for `spec.services` redirects: their clusterIP, ports, nodePorts, type). */
  readonly services: readonly KubeObject[];
  /** The labels of the node weft runs as (nodeSelector is matched against them). */
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** The node's address: listeners with a wildcard address (0.0.0.0, ::) bind here, and NodePorts live here. */
  readonly nodeAddress: string;
  /** Cluster names defined elsewhere (services ingest, bootstrap) that references may resolve to. */
  readonly externalClusters?: ReadonlySet<string>;
  /** Positions of an object's fields (for objects read from files: offline validate / apply). */
  readonly positionOf?: (object: KubeObject) => PositionOf | undefined;
}

/** One Service port whose traffic a config's listener takes over. */
export interface ServicePortRedirect {
  readonly namespace: string;
  readonly service: string;
  /** The Service (frontend) port. */
  readonly port: number;
  /** The qualified listener name it goes to. */
  readonly listener: string;
  /** `ip:port` the listener binds for it (the ClusterIP, and nodeAddress:nodePort for NodePort / LoadBalancer Services). */
  readonly addresses: readonly string[];
}

export type ConfigConditionType = 'Accepted' | 'Programmed' | 'Conflicted';

export interface ConfigCondition {
  readonly type: ConfigConditionType;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

export interface ListenerReport {
  readonly name: string;
  /** `ip:port` (IPv6 in brackets) the listener binds; empty for an internal listener. */
  readonly addresses: readonly string[];
  readonly internal: boolean;
}

export interface ClusterReport {
  readonly name: string;
  readonly type: string;
  /** EDS clusters: the ClusterLoadAssignment they read (`ns/svc`, `ns/svc:port`, ...). */
  readonly edsServiceName?: string;
}

export interface CiliumEnvoyConfigReport {
  /** kind, namespace (absent for a CiliumClusterwideEnvoyConfig), name. */
  readonly object: ObjectRef;
  readonly generation?: number;
  readonly conditions: readonly ConfigCondition[];
  readonly diagnostics: readonly Diagnostic[];
  readonly listeners: readonly ListenerReport[];
  readonly routeConfigurations: readonly string[];
  readonly clusters: readonly ClusterReport[];
  readonly secrets: readonly string[];
  readonly redirects: readonly ServicePortRedirect[];
  /** `ns/svc` published over EDS for this config (its `services` and `backendServices`). */
  readonly backendServices: readonly string[];
}

export interface CiliumEnvoyConfigIngest {
  /** Everything of every accepted, selected and non-conflicting config. */
  readonly resources: SnapshotResources;
  readonly diagnostics: readonly Diagnostic[];
  /** One per input config, in input order. */
  readonly reports: readonly CiliumEnvoyConfigReport[];
  /** `ns/svc:port` keys of Service ports redirected into a config's listener (the services ingest skips its own L4 listener for them). */
  readonly redirectedServicePorts: ReadonlySet<string>;
}
