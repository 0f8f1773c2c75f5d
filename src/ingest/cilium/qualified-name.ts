/**
 * Cilium's name qualification (`api.ResourceQualifiedName`, cilium-semantics.md §1.1.2): the
 * agent prefixes the names of a config's Envoy resources with `<namespace>/<configName>/` so that
 * two configs cannot collide. A CiliumClusterwideEnvoyConfig has the empty namespace, so its
 * names become `/<configName>/<name>`.
 */
import { isEnvoyAdminCluster } from '../../model/index.ts';

/** The config a name is qualified for. */
export interface QualifyScope {
  /** The CiliumEnvoyConfig's namespace; '' for a CiliumClusterwideEnvoyConfig. */
  readonly namespace: string;
  readonly configName: string;
}

/**
 * - an empty name stays empty (an invalid config stays invalid);
 * - a name without `/` becomes `<namespace>/<configName>/<name>`;
 * - a name with `/` stays as it is, unless `force` is set and its first segment is not the
 *   config's namespace (forced: Listener, RouteConfiguration and virtual host names, RDS
 *   `route_config_name`, inline `route_config.name`).
 */
export function qualifyName(scope: QualifyScope, name: string, force: boolean): string {
  const slash = name.indexOf('/');
  if (name === '') return name;
  if (slash >= 0 && (!force || (slash === scope.namespace.length && name.startsWith(scope.namespace)))) return name;
  return `${scope.namespace}/${scope.configName}/${name}`;
}

/**
 * A reference to a cluster (route, weighted cluster, mirror, tcp_proxy): qualified without force,
 * except the built-in admin cluster (`envoy-admin`, `/envoy-admin`), which is never qualified so
 * that both generations of Cilium's admin and metrics examples reach it.
 */
export function qualifyClusterRef(scope: QualifyScope, name: string): string {
  return isEnvoyAdminCluster(name) ? name : qualifyName(scope, name, false);
}
