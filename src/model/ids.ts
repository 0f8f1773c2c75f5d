/**
 * Branded names for the resources other resources refer to (STYLE.md §9). At run time they are
 * plain strings, so the model stays JSON-serialisable; the brand only stops a route config name
 * being passed where a cluster name is expected. Each is made by its one constructor.
 */
export type ListenerName = string & { readonly __brand: 'ListenerName' };
export type RouteConfigName = string & { readonly __brand: 'RouteConfigName' };
export type ClusterName = string & { readonly __brand: 'ClusterName' };
export type SecretName = string & { readonly __brand: 'SecretName' };

export function listenerName(name: string): ListenerName {
  return name as ListenerName;
}

export function routeConfigName(name: string): RouteConfigName {
  return name as RouteConfigName;
}

export function clusterName(name: string): ClusterName {
  return name as ClusterName;
}

export function secretName(name: string): SecretName {
  return name as SecretName;
}

/**
 * The built-in cluster that points at weft's admin API. It resolves without being defined in a
 * snapshot; the runtime wires it to the local admin server. Cilium's bootstrap named it
 * `envoy-admin` in older versions and `/envoy-admin` in current ones; tutorials use both
 * (reference/cilium-semantics.md §1.1.2), so both names resolve to it.
 */
export const ENVOY_ADMIN_CLUSTER = clusterName('envoy-admin');
export const ENVOY_ADMIN_CLUSTER_NAMES: readonly ClusterName[] = [ENVOY_ADMIN_CLUSTER, clusterName('/envoy-admin')];

export function isEnvoyAdminCluster(name: string): boolean {
  return name === 'envoy-admin' || name === '/envoy-admin';
}
