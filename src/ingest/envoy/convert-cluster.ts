/**
 * envoy.config.cluster.v3.Cluster with its circuit breakers, outlier detection, health checks,
 * load-balancer settings, HTTP protocol options (the typed extension, or the deprecated fields it
 * replaced) and upstream TLS.
 *
 * Ignored, with the reason:
 * - `metadata` (data for filters weft does not run); EdsClusterConfig `eds_config` (weft serves EDS
 *   from its own snapshot, as Cilium fills in its own source).
 * - `wait_for_warm_on_init` (weft builds a snapshot whole before serving it), `cleanup_interval`
 *   (ORIGINAL_DST only), `dns_failure_refresh_rate` (back-off between failed DNS lookups),
 *   `preconnect_policy` (connection pre-warming), `track_timeout_budgets` and
 *   `track_cluster_stats` (extra stats only), CommonLbConfig `update_merge_window` (batching of
 *   host-set updates).
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import {
  clusterName,
  type CircuitBreakerThresholds,
  type CircuitBreakers,
  type Cluster,
  type DiscoveryType,
  type DnsLookupFamily,
  type HealthCheck,
  type HealthChecker,
  type HealthCheckPayload,
  type LbConfig,
  type LbPolicy,
  type OutlierDetection,
  type RoutingPriority,
  type SlowStartConfig,
  type SourceRef,
  type UpstreamHttpProtocolOptions,
  type UpstreamProtocolOptions,
  type UpstreamTlsContext,
} from '../../model/index.ts';
import { compact, convertHeaderValueOptions, convertInt64Range, convertPercent, enumIn, runtimeDefault } from './convert-common.ts';
import { convertClusterLoadAssignment } from './convert-endpoint.ts';
import { convertStringMatcher } from './convert-matchers.ts';
import {
  convertCommonHttpProtocolOptions,
  convertHttp1ProtocolOptions,
  convertHttp2ProtocolOptions,
  convertUpstreamHttpProtocolOptions,
} from './convert-protocol-options.ts';
import { convertUpstreamTlsContext } from './convert-tls.ts';
import { reportUnsupportedPayload, type ProtoObject } from './proto-object.ts';
import { TRANSPORT_SOCKET_TYPES, UPSTREAM_HTTP_PROTOCOL_OPTIONS_TYPE } from './typed-configs.ts';

function convertThresholds(o: ProtoObject): CircuitBreakerThresholds {
  const budget = o.msg('retry_budget');
  return compact({
    priority: enumIn<RoutingPriority>(o, 'priority', ['DEFAULT', 'HIGH'], 'priority'),
    maxConnections: o.num('max_connections'),
    maxPendingRequests: o.num('max_pending_requests'),
    maxRequests: o.num('max_requests'),
    maxRetries: o.num('max_retries'),
    retryBudget: budget
      ? compact({ budgetPercent: convertPercent(budget.msg('budget_percent')), minRetryConcurrency: budget.num('min_retry_concurrency') })
      : undefined,
    trackRemaining: o.bool('track_remaining') || undefined,
  });
}

function convertCircuitBreakers(o: ProtoObject): CircuitBreakers {
  return { thresholds: o.msgs('thresholds').map(convertThresholds) };
}

/** Envoy's enforcing_* and max_ejection_percent are percentages (0–100); the model holds fractions. */
function pct(o: ProtoObject, field: string): number | undefined {
  const v = o.num(field);
  return v === undefined ? undefined : v / 100;
}

function convertOutlierDetection(o: ProtoObject): OutlierDetection {
  return compact({
    consecutive5xx: o.num('consecutive_5xx'),
    intervalMs: o.durationMs('interval'),
    baseEjectionTimeMs: o.durationMs('base_ejection_time'),
    maxEjectionTimeMs: o.durationMs('max_ejection_time'),
    maxEjectionTimeJitterMs: o.durationMs('max_ejection_time_jitter'),
    maxEjectionPercent: pct(o, 'max_ejection_percent'),
    enforcingConsecutive5xx: pct(o, 'enforcing_consecutive_5xx'),
    enforcingSuccessRate: pct(o, 'enforcing_success_rate'),
    successRateMinimumHosts: o.num('success_rate_minimum_hosts'),
    successRateRequestVolume: o.num('success_rate_request_volume'),
    successRateStdevFactor: o.num('success_rate_stdev_factor'),
    consecutiveGatewayFailure: o.num('consecutive_gateway_failure'),
    enforcingConsecutiveGatewayFailure: pct(o, 'enforcing_consecutive_gateway_failure'),
    splitExternalLocalOriginErrors: o.bool('split_external_local_origin_errors') || undefined,
    consecutiveLocalOriginFailure: o.num('consecutive_local_origin_failure'),
    enforcingConsecutiveLocalOriginFailure: pct(o, 'enforcing_consecutive_local_origin_failure'),
    enforcingLocalOriginSuccessRate: pct(o, 'enforcing_local_origin_success_rate'),
    failurePercentageThreshold: o.num('failure_percentage_threshold'),
    enforcingFailurePercentage: pct(o, 'enforcing_failure_percentage'),
    enforcingFailurePercentageLocalOrigin: pct(o, 'enforcing_failure_percentage_local_origin'),
    failurePercentageMinimumHosts: o.num('failure_percentage_minimum_hosts'),
    failurePercentageRequestVolume: o.num('failure_percentage_request_volume'),
  });
}

function payload(o: ProtoObject | undefined): HealthCheckPayload | undefined {
  if (!o) return undefined;
  return o.oneof('payload') === 'binary' ? { kind: 'binary', binary: o.str('binary') ?? '' } : { kind: 'text', text: o.str('text') ?? '' };
}

function healthChecker(o: ProtoObject): HealthChecker | undefined {
  switch (o.oneof('health_checker')) {
    case 'http_health_check': {
      const h = o.msg('http_health_check');
      if (!h) return undefined;
      const matcher = h.msg('service_name_matcher');
      const method = h.enum('method');
      return {
        kind: 'httpHealthCheck',
        httpHealthCheck: compact({
          host: h.str('host') || undefined,
          path: h.str('path') ?? '',
          expectedStatuses: h.msgs('expected_statuses').map(convertInt64Range),
          retriableStatuses: h.msgs('retriable_statuses').map(convertInt64Range),
          requestHeadersToAdd: convertHeaderValueOptions(h.msgs('request_headers_to_add')),
          requestHeadersToRemove: h.strs('request_headers_to_remove'),
          codecClientType: enumIn<'HTTP1' | 'HTTP2'>(h, 'codec_client_type', ['HTTP1', 'HTTP2'], 'codec_client_type'),
          method: method && method !== 'METHOD_UNSPECIFIED' ? method : undefined,
          serviceNameMatcher: matcher ? convertStringMatcher(matcher) : undefined,
        }),
      };
    }
    case 'tcp_health_check': {
      const t = o.msg('tcp_health_check');
      if (!t) return undefined;
      return {
        kind: 'tcpHealthCheck',
        tcpHealthCheck: compact({ send: payload(t.msg('send')), receive: t.msgs('receive').map((p) => payload(p) as HealthCheckPayload) }),
      };
    }
    case 'grpc_health_check': {
      const g = o.msg('grpc_health_check');
      if (!g) return undefined;
      return { kind: 'grpcHealthCheck', grpcHealthCheck: compact({ serviceName: g.str('service_name') || undefined, authority: g.str('authority') || undefined }) };
    }
    default:
      // custom_health_check stays unread and is reported as unsupported.
      return undefined;
  }
}

function convertHealthCheck(o: ProtoObject): HealthCheck | undefined {
  const checker = healthChecker(o);
  const hc = compact({
    timeoutMs: o.durationMs('timeout') ?? 0,
    intervalMs: o.durationMs('interval') ?? 0,
    initialJitterMs: o.durationMs('initial_jitter'),
    intervalJitterMs: o.durationMs('interval_jitter'),
    intervalJitterPercent: o.num('interval_jitter_percent') || undefined,
    unhealthyThreshold: o.num('unhealthy_threshold') ?? 0,
    healthyThreshold: o.num('healthy_threshold') ?? 0,
    noTrafficIntervalMs: o.durationMs('no_traffic_interval'),
    noTrafficHealthyIntervalMs: o.durationMs('no_traffic_healthy_interval'),
    unhealthyIntervalMs: o.durationMs('unhealthy_interval'),
    unhealthyEdgeIntervalMs: o.durationMs('unhealthy_edge_interval'),
    healthyEdgeIntervalMs: o.durationMs('healthy_edge_interval'),
    reuseConnection: o.bool('reuse_connection'),
    alwaysLogHealthCheckFailures: o.bool('always_log_health_check_failures') || undefined,
  });
  return checker ? { ...hc, healthChecker: checker } : undefined;
}

function lbConfig(o: ProtoObject): LbConfig | undefined {
  const slowStart = (m: ProtoObject | undefined): SlowStartConfig | undefined =>
    m
      ? compact({
          slowStartWindowMs: m.durationMs('slow_start_window'),
          aggression: runtimeDefault(m.msg('aggression')) as number | undefined,
          minWeightPercent: convertPercent(m.msg('min_weight_percent')),
        })
      : undefined;
  switch (o.oneof('lb_config')) {
    case 'ring_hash_lb_config': {
      const r = o.msg('ring_hash_lb_config');
      if (!r) return undefined;
      const hashFunction = enumIn<'XX_HASH' | 'MURMUR_HASH_2'>(r, 'hash_function', ['XX_HASH', 'MURMUR_HASH_2'], 'hash_function');
      return { kind: 'ringHashLbConfig', ringHashLbConfig: compact({ minimumRingSize: r.num('minimum_ring_size'), maximumRingSize: r.num('maximum_ring_size'), hashFunction }) };
    }
    case 'maglev_lb_config':
      return { kind: 'maglevLbConfig', maglevLbConfig: compact({ tableSize: o.msg('maglev_lb_config')?.num('table_size') }) };
    case 'least_request_lb_config': {
      const l = o.msg('least_request_lb_config');
      if (!l) return undefined;
      // Its slow_start_config has no place in the model's LeastRequestLbConfig; left unread, it is reported.
      return {
        kind: 'leastRequestLbConfig',
        leastRequestLbConfig: compact({ choiceCount: l.num('choice_count'), activeRequestBias: runtimeDefault(l.msg('active_request_bias')) as number | undefined }),
      };
    }
    case 'round_robin_lb_config':
      return { kind: 'roundRobinLbConfig', roundRobinLbConfig: compact({ slowStartConfig: slowStart(o.msg('round_robin_lb_config')?.msg('slow_start_config')) }) };
    default:
      return undefined;
  }
}

const LEGACY_PROTOCOL_FIELDS = [
  'http2_protocol_options',
  'http_protocol_options',
  'common_http_protocol_options',
  'upstream_http_protocol_options',
  'max_requests_per_connection',
  'protocol_selection',
];

/** The deprecated per-cluster HTTP fields, mapped to the typed extension's shape. */
function legacyProtocolOptions(o: ProtoObject): UpstreamHttpProtocolOptions {
  const common = o.msg('common_http_protocol_options');
  const commonOptions = common ? convertCommonHttpProtocolOptions(common) : undefined;
  const maxRequests = o.num('max_requests_per_connection');
  const h1m = o.msg('http_protocol_options');
  const h2m = o.msg('http2_protocol_options');
  const h1 = h1m ? convertHttp1ProtocolOptions(h1m) : undefined;
  const h2 = h2m ? convertHttp2ProtocolOptions(h2m) : undefined;
  let upstream: UpstreamProtocolOptions | undefined;
  if (o.enum('protocol_selection') === 'USE_DOWNSTREAM_PROTOCOL') {
    upstream = compact({ kind: 'useDownstreamProtocolConfig' as const, httpProtocolOptions: h1, http2ProtocolOptions: h2 });
  } else if (h2) upstream = { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'http2ProtocolOptions', http2ProtocolOptions: h2 } };
  else if (h1) upstream = { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'httpProtocolOptions', httpProtocolOptions: h1 } };
  const u = o.msg('upstream_http_protocol_options');
  const merged = maxRequests !== undefined ? compact({ ...commonOptions, maxRequestsPerConnection: commonOptions?.maxRequestsPerConnection ?? maxRequests }) : commonOptions;
  return compact({
    commonHttpProtocolOptions: merged,
    upstreamProtocolOptions: upstream,
    autoSni: u?.bool('auto_sni') || undefined,
    autoSanValidation: u?.bool('auto_san_validation') || undefined,
  });
}

function httpProtocolOptions(o: ProtoObject): UpstreamHttpProtocolOptions | undefined {
  let typed: UpstreamHttpProtocolOptions | undefined;
  for (const [, p] of o.anyMap('typed_extension_protocol_options')) {
    if (p.typeName === UPSTREAM_HTTP_PROTOCOL_OPTIONS_TYPE && p.object) typed = convertUpstreamHttpProtocolOptions(p.object);
    else reportUnsupportedPayload(p, o.cx, 'a protocol options extension', [UPSTREAM_HTTP_PROTOCOL_OPTIONS_TYPE]);
  }
  const legacy = LEGACY_PROTOCOL_FIELDS.find((f) => o.has(f) && !(f === 'protocol_selection' && o.enum(f) === 'USE_CONFIGURED_PROTOCOL'));
  if (legacy === undefined) return typed;
  if (typed) {
    o.error(legacy, DIAGNOSTIC_CODES.INVALID_VALUE, `"${legacy}" cannot be combined with typed_extension_protocol_options`, `move it into the ${UPSTREAM_HTTP_PROTOCOL_OPTIONS_TYPE} options`);
    return typed;
  }
  return legacyProtocolOptions(o);
}

function transportSocket(o: ProtoObject): UpstreamTlsContext | undefined {
  const ts = o.msg('transport_socket');
  if (!ts) return undefined;
  const p = ts.any('typed_config');
  const name = ts.str('name') ?? '';
  if (!p) {
    if (name !== 'envoy.transport_sockets.raw_buffer' && name !== 'raw_buffer') {
      ts.error('typed_config', DIAGNOSTIC_CODES.REQUIRED, `transport socket "${name}" needs typed_config`);
    }
    return undefined;
  }
  if (p.typeName === TRANSPORT_SOCKET_TYPES.upstreamTls && p.object) return convertUpstreamTlsContext(p.object);
  if (p.typeName === TRANSPORT_SOCKET_TYPES.rawBuffer) return undefined;
  reportUnsupportedPayload(p, o.cx, 'an upstream transport socket', [TRANSPORT_SOCKET_TYPES.upstreamTls, TRANSPORT_SOCKET_TYPES.rawBuffer]);
  return undefined;
}

const DISCOVERY: readonly DiscoveryType[] = ['STATIC', 'STRICT_DNS', 'LOGICAL_DNS', 'EDS'];
const LB: readonly LbPolicy[] = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'RING_HASH', 'MAGLEV'];
const DNS: readonly DnsLookupFamily[] = ['AUTO', 'V4_ONLY', 'V6_ONLY', 'V4_PREFERRED', 'ALL'];

export function convertCluster(o: ProtoObject, sources: readonly SourceRef[]): Cluster | undefined {
  o.ignore('metadata', 'wait_for_warm_on_init', 'cleanup_interval', 'dns_failure_refresh_rate', 'preconnect_policy', 'track_timeout_budgets', 'track_cluster_stats');
  const name = o.str('name') ?? '';
  const type = o.has('cluster_type') ? undefined : enumIn(o, 'type', DISCOVERY, 'cluster type') ?? (o.has('type') ? undefined : 'STATIC');
  const eds = o.msg('eds_cluster_config');
  eds?.ignore('eds_config');
  const la = o.msg('load_assignment');
  const loadAssignment = la ? convertClusterLoadAssignment(la, []) : undefined;
  const common = o.msg('common_lb_config');
  common?.ignore('update_merge_window');
  const cb = o.msg('circuit_breakers');
  const od = o.msg('outlier_detection');
  const cluster = compact({
    name: clusterName(name),
    altStatName: o.str('alt_stat_name') || undefined,
    edsClusterConfig: eds ? compact({ serviceName: eds.str('service_name') || undefined }) : undefined,
    loadAssignment,
    connectTimeoutMs: o.durationMs('connect_timeout'),
    lbPolicy: enumIn(o, 'lb_policy', LB, 'lb_policy'),
    lbConfig: lbConfig(o),
    commonLbConfig: common ? compact({ healthyPanicThreshold: convertPercent(common.msg('healthy_panic_threshold')) }) : undefined,
    dnsLookupFamily: enumIn(o, 'dns_lookup_family', DNS, 'dns_lookup_family'),
    dnsRefreshRateMs: o.durationMs('dns_refresh_rate'),
    respectDnsTtl: o.bool('respect_dns_ttl') || undefined,
    circuitBreakers: cb ? convertCircuitBreakers(cb) : undefined,
    outlierDetection: od ? convertOutlierDetection(od) : undefined,
    healthChecks: o.msgs('health_checks').map(convertHealthCheck),
    httpProtocolOptions: httpProtocolOptions(o),
    transportSocket: transportSocket(o),
    perConnectionBufferLimitBytes: o.num('per_connection_buffer_limit_bytes'),
    closeConnectionsOnHostHealthFailure: o.bool('close_connections_on_host_health_failure') || undefined,
    sources,
  });
  if (!type || (la && !loadAssignment) || cluster.healthChecks.some((h) => h === undefined)) return undefined;
  return { ...cluster, type, healthChecks: cluster.healthChecks as HealthCheck[] };
}
