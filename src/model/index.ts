// The Envoy-v3-shaped model: plain, immutable, JSON-serialisable data (DESIGN.md "model/").
export type * from './access-log.ts';
export type * from './circuit-breakers.ts';
export { effectiveThresholds, thresholdsFor } from './circuit-breakers.ts';
export type * from './cluster.ts';
export type * from './common.ts';
export type * from './endpoint.ts';
export type * from './health-check.ts';
export type * from './http-connection-manager.ts';
export type * from './http-filters.ts';
export type * from './listener.ts';
export type * from './matchers.ts';
export type * from './network-filters.ts';
export type * from './outlier-detection.ts';
export type * from './protocol-options.ts';
export type * from './rate-limit.ts';
export type * from './route-configuration.ts';
export type * from './snapshot.ts';
export type * from './source-ref.ts';
export type * from './tls.ts';
export { ENVOY_DEFAULTS } from './defaults.ts';
export {
  clusterName,
  ENVOY_ADMIN_CLUSTER,
  ENVOY_ADMIN_CLUSTER_NAMES,
  isEnvoyAdminCluster,
  listenerName,
  routeConfigName,
  secretName,
} from './ids.ts';
export type { ClusterName, ListenerName, RouteConfigName, SecretName } from './ids.ts';
export { REDIRECT_STATUS, RETRY_ON_VALUES } from './route-action.ts';
export type * from './route-action.ts';
export { buildSnapshot } from './build-snapshot.ts';
export { configHash, edsServiceName, findCluster, loadAssignmentFor } from './snapshot-lookup.ts';
export { deepFreeze } from './deep-freeze.ts';
export { compileRe2, parseRe2Substitution } from './regex.ts';
export type { Re2, SubstitutionPart } from './regex.ts';
export {
  hcmFilter,
  newCluster,
  newFilterChain,
  newHttpConnectionManager,
  newListener,
  newLoadAssignment,
  newRoute,
  newRouteAction,
  newRouteConfiguration,
  newRouteMatch,
  newVirtualHost,
  ROUTER_FILTER,
  toCluster,
} from './builders.ts';
export type { WithDefaults } from './builders.ts';
