export { type AdminResponse, APPLICATION_JSON, jsonResponse, protoDuration, TEXT_PLAIN, textResponse } from './admin-response.ts';
export { renderPrometheusEndpoint, renderStatsEndpoint } from './stats-endpoints.ts';
export {
  type CircuitBreakerThresholdsView,
  type ClusterStatusView,
  DEFAULT_CIRCUIT_BREAKER_THRESHOLDS,
  HOST_HEALTH_FLAGS,
  type HostHealthFlag,
  type HostStatusView,
  healthFlagsToString,
  type OutlierInfoView,
  renderClusters,
} from './clusters.ts';
export { type ListenerStatusView, renderListeners } from './listeners.ts';
export {
  type CommandLineOptionsView,
  type NodeView,
  renderReady,
  renderServerInfo,
  type ServerInfoView,
  type ServerState,
} from './server-info.ts';
export { type ConfigDumpResource, type ConfigDumpView, renderConfigDump } from './config-dump.ts';
