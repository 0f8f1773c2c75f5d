export {
  Counter,
  DEFAULT_HISTOGRAM_BUCKETS,
  Gauge,
  Histogram,
  type HistogramStatistics,
  type HistogramUnit,
  type Metric,
  type MetricKind,
  SUPPORTED_QUANTILES,
} from './metric.ts';
export { sanitizeStatName, StatScope, StatStore, type StatStoreOptions } from './stat-store.ts';
export {
  type CounterSpec,
  counter,
  createStatSet,
  type GaugeSpec,
  gauge,
  type HistogramSpec,
  histogram,
  type StatSet,
  type StatSetSpec,
  type StatSpec,
} from './stat-set.ts';
export { ResponseCodeStats } from './response-code-stats.ts';
export {
  ALL_CLUSTER_CIRCUIT_BREAKER_REMAINING_STATS,
  ALL_CLUSTER_CIRCUIT_BREAKER_STATS,
  ALL_CLUSTER_STATS,
  ALL_HEALTH_CHECK_STATS,
  ALL_OUTLIER_DETECTION_STATS,
  type CircuitBreakerStats,
  type ClusterStats,
  type ClusterStatsOptions,
  createClusterStats,
} from './cluster-stats.ts';
export {
  ALL_HTTP_CONN_MAN_LISTENER_STATS,
  ALL_HTTP_CONN_MAN_STATS,
  createHttpConnManagerListenerStats,
  createHttpConnManagerStats,
  type HttpConnManagerListenerStats,
  type HttpConnManagerStats,
} from './http-conn-manager-stats.ts';
export { ALL_ROUTER_STATS, createRouterStats, type RouterStats } from './router-stats.ts';
export { ALL_LISTENER_STATS, createListenerStats, type ListenerStats, listenerStatPrefix } from './listener-stats.ts';
export {
  ALL_LOCAL_RATE_LIMIT_STATS,
  ALL_RBAC_STATS,
  ALL_TCP_PROXY_STATS,
  createHttpRbacStats,
  createLocalRateLimitStats,
  createTcpProxyStats,
  type LocalRateLimitStats,
  type RbacStats,
  type TcpProxyStats,
} from './filter-stats.ts';
export {
  ALL_CLUSTER_MANAGER_STATS,
  ALL_LISTENER_MANAGER_STATS,
  ALL_SERVER_STATS,
  type ClusterManagerStats,
  createClusterManagerStats,
  createListenerManagerStats,
  createServerStats,
  type ListenerManagerStats,
  type ServerStats,
} from './server-stats.ts';
export { HOST_COUNTER_NAMES, HOST_GAUGE_NAMES, type HostStatName, HostStats, type HostStatsView, hostStatValue } from './host-stats.ts';
export { type StatsTagsConfig, TAG_NAMES, type Tag, type TaggedName, TagProducer } from './tag-extraction.ts';
export {
  type HistogramBucketsMode,
  parseStatsParams,
  type StatsFormat,
  type StatsParams,
  type StatsTypeFilter,
} from './stats-params.ts';
export { renderStatsJson, renderStatsText } from './render-stats.ts';
export {
  compareStatNames,
  formatPrometheusTags,
  prometheusMetricName,
  renderPrometheus,
  sanitizePrometheusName,
  sanitizePrometheusValue,
} from './render-prometheus.ts';
export { formatG, formatG32, formatShortest } from './number-format.ts';
