/**
 * `/clusters` in Envoy's text form (`cluster::host:port::stat::value` lines) and `?format=json`
 * (admin.v3.Clusters, protobuf JSON: fields in field-number order, default values left out).
 * The runtime hands over plain views of its clusters and hosts; nothing here reaches into it.
 */
import { effectiveThresholds } from '../../model/index.ts';
import { HOST_COUNTER_NAMES, HOST_GAUGE_NAMES, type HostStatsView, hostStatValue } from '../stats/host-stats.ts';
import { formatG, formatShortest } from '../stats/number-format.ts';
import { type AdminResponse, jsonResponse, textResponse } from './admin-response.ts';

/** Envoy's host health flags, in the order healthFlagsToString prints them. */
export const HOST_HEALTH_FLAGS = [
  'failed_active_hc',
  'failed_outlier_check',
  'failed_eds_health',
  'degraded_active_hc',
  'degraded_eds_health',
  'pending_dynamic_removal',
  'pending_active_hc',
  'excluded_via_immediate_hc_fail',
  'active_hc_timeout',
  'eds_status_draining',
] as const;

export type HostHealthFlag = (typeof HOST_HEALTH_FLAGS)[number];

export interface CircuitBreakerThresholdsView {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
}

/** Envoy's defaults (1024 / 1024 / 1024 / 3). */
export const DEFAULT_CIRCUIT_BREAKER_THRESHOLDS: CircuitBreakerThresholdsView = Object.freeze(effectiveThresholds(undefined));

export interface HostStatusView {
  readonly address: string;
  readonly port: number;
  readonly hostname?: string;
  readonly weight: number;
  readonly priority?: number;
  readonly locality?: { readonly region?: string; readonly zone?: string; readonly subZone?: string };
  readonly canary?: boolean;
  /** Empty when healthy. */
  readonly healthFlags: readonly HostHealthFlag[];
  readonly stats: HostStatsView;
  /** Outlier detection success rates in percent; undefined or negative = not computed. */
  readonly successRate?: number;
  readonly localOriginSuccessRate?: number;
}

export interface OutlierInfoView {
  readonly successRateAverage: number;
  readonly successRateEjectionThreshold: number;
  readonly localOriginSuccessRateAverage: number;
  readonly localOriginSuccessRateEjectionThreshold: number;
}

export interface ClusterStatusView {
  readonly name: string;
  /** Defaults to the name. */
  readonly observabilityName?: string;
  readonly addedViaApi: boolean;
  readonly edsServiceName?: string;
  readonly circuitBreakers?: { readonly default: CircuitBreakerThresholdsView; readonly high: CircuitBreakerThresholdsView };
  /** Present when the cluster has outlier detection. */
  readonly outlier?: OutlierInfoView;
  /** In priority order. */
  readonly hosts: readonly HostStatusView[];
}

function hostAddress(h: HostStatusView): string {
  return h.address.includes(':') ? `[${h.address}]:${h.port}` : `${h.address}:${h.port}`;
}

/** Envoy's HostUtility::healthFlagsToString: `healthy`, or `/flag/flag`. */
export function healthFlagsToString(flags: readonly HostHealthFlag[]): string {
  const ordered = HOST_HEALTH_FLAGS.filter((f) => flags.includes(f));
  return ordered.length === 0 ? 'healthy' : ordered.map((f) => `/${f}`).join('');
}

function byName(a: ClusterStatusView, b: ClusterStatusView): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function clusterText(c: ClusterStatusView): string {
  const n = c.name;
  let out = `${n}::observability_name::${c.observabilityName ?? n}\n`;
  if (c.outlier) {
    const o = c.outlier;
    out += `${n}::outlier::success_rate_average::${formatG(o.successRateAverage)}\n`;
    out += `${n}::outlier::success_rate_ejection_threshold::${formatG(o.successRateEjectionThreshold)}\n`;
    out += `${n}::outlier::local_origin_success_rate_average::${formatG(o.localOriginSuccessRateAverage)}\n`;
    out += `${n}::outlier::local_origin_success_rate_ejection_threshold::${formatG(o.localOriginSuccessRateEjectionThreshold)}\n`;
  }
  const cb = c.circuitBreakers ?? { default: DEFAULT_CIRCUIT_BREAKER_THRESHOLDS, high: DEFAULT_CIRCUIT_BREAKER_THRESHOLDS };
  for (const [prio, t] of [['default', cb.default], ['high', cb.high]] as const) {
    out += `${n}::${prio}_priority::max_connections::${t.maxConnections}\n`;
    out += `${n}::${prio}_priority::max_pending_requests::${t.maxPendingRequests}\n`;
    out += `${n}::${prio}_priority::max_requests::${t.maxRequests}\n`;
    out += `${n}::${prio}_priority::max_retries::${t.maxRetries}\n`;
  }
  out += `${n}::added_via_api::${c.addedViaApi}\n`;
  if (c.edsServiceName) out += `${n}::eds_service_name::${c.edsServiceName}\n`;
  for (const h of c.hosts) {
    const p = `${n}::${hostAddress(h)}::`;
    // Counters and gauges merged and sorted by name, as Envoy's std::map orders them.
    const names = [...HOST_COUNTER_NAMES, ...HOST_GAUGE_NAMES].sort();
    for (const s of names) out += `${p}${s}::${hostStatValue(h.stats, s)}\n`;
    out += `${p}hostname::${h.hostname ?? ''}\n`;
    out += `${p}health_flags::${healthFlagsToString(h.healthFlags)}\n`;
    out += `${p}weight::${h.weight}\n`;
    out += `${p}region::${h.locality?.region ?? ''}\n`;
    out += `${p}zone::${h.locality?.zone ?? ''}\n`;
    out += `${p}sub_zone::${h.locality?.subZone ?? ''}\n`;
    out += `${p}canary::${h.canary ?? false}\n`;
    out += `${p}priority::${h.priority ?? 0}\n`;
    out += `${p}success_rate::${formatShortest(h.successRate ?? -1)}\n`;
    out += `${p}local_origin_success_rate::${formatShortest(h.localOriginSuccessRate ?? -1)}\n`;
  }
  return out;
}

function thresholdsJson(t: CircuitBreakerThresholdsView, high: boolean): object {
  return {
    ...(high ? { priority: 'HIGH' } : {}),
    max_connections: t.maxConnections,
    max_pending_requests: t.maxPendingRequests,
    max_requests: t.maxRequests,
    max_retries: t.maxRetries,
  };
}

function hostJson(h: HostStatusView): object {
  const stats: object[] = [];
  for (const s of HOST_COUNTER_NAMES) {
    const v = hostStatValue(h.stats, s);
    stats.push(v === 0 ? { name: s } : { value: String(v), name: s });
  }
  for (const s of HOST_GAUGE_NAMES) {
    const v = hostStatValue(h.stats, s);
    stats.push(v === 0 ? { type: 'GAUGE', name: s } : { type: 'GAUGE', value: String(v), name: s });
  }
  const f = new Set(h.healthFlags);
  const health: Record<string, unknown> = {};
  if (f.has('failed_active_hc')) health.failed_active_health_check = true;
  if (f.has('failed_outlier_check')) health.failed_outlier_check = true;
  health.eds_health_status = f.has('failed_eds_health') ? 'UNHEALTHY' : f.has('degraded_eds_health') ? 'DEGRADED' : f.has('eds_status_draining') ? 'DRAINING' : 'HEALTHY';
  if (f.has('degraded_active_hc')) health.failed_active_degraded_check = true;
  if (f.has('pending_dynamic_removal')) health.pending_dynamic_removal = true;
  if (f.has('pending_active_hc')) health.pending_active_hc = true;
  if (f.has('excluded_via_immediate_hc_fail')) health.excluded_via_immediate_hc_fail = true;
  if (f.has('active_hc_timeout')) health.active_hc_timeout = true;
  const locality: Record<string, string> = {};
  if (h.locality?.region) locality.region = h.locality.region;
  if (h.locality?.zone) locality.zone = h.locality.zone;
  if (h.locality?.subZone) locality.sub_zone = h.locality.subZone;
  return {
    address: { socket_address: { address: h.address, port_value: h.port } },
    stats,
    health_status: health,
    ...(h.successRate !== undefined && h.successRate >= 0 ? { success_rate: { value: h.successRate } } : {}),
    ...(h.weight !== 0 ? { weight: h.weight } : {}),
    ...(h.hostname ? { hostname: h.hostname } : {}),
    ...(h.priority ? { priority: h.priority } : {}),
    ...(h.localOriginSuccessRate !== undefined && h.localOriginSuccessRate >= 0
      ? { local_origin_success_rate: { value: h.localOriginSuccessRate } }
      : {}),
    locality,
  };
}

function clusterJson(c: ClusterStatusView): object {
  const cb = c.circuitBreakers ?? { default: DEFAULT_CIRCUIT_BREAKER_THRESHOLDS, high: DEFAULT_CIRCUIT_BREAKER_THRESHOLDS };
  const o = c.outlier;
  return {
    name: c.name,
    ...(c.addedViaApi ? { added_via_api: true } : {}),
    ...(o && o.successRateEjectionThreshold > 0 ? { success_rate_ejection_threshold: { value: o.successRateEjectionThreshold } } : {}),
    ...(c.hosts.length > 0 ? { host_statuses: c.hosts.map(hostJson) } : {}),
    ...(o && o.localOriginSuccessRateEjectionThreshold > 0
      ? { local_origin_success_rate_ejection_threshold: { value: o.localOriginSuccessRateEjectionThreshold } }
      : {}),
    circuit_breakers: { thresholds: [thresholdsJson(cb.default, false), thresholdsJson(cb.high, true)] },
    observability_name: c.observabilityName ?? c.name,
    ...(c.edsServiceName ? { eds_service_name: c.edsServiceName } : {}),
  };
}

/** `/clusters` and `/clusters?format=json`; clusters are listed by name. */
export function renderClusters(clusters: readonly ClusterStatusView[], query: URLSearchParams): AdminResponse {
  const sorted = [...clusters].sort(byName);
  if (query.get('format') === 'json') {
    return jsonResponse(sorted.length === 0 ? {} : { cluster_statuses: sorted.map(clusterJson) });
  }
  return textResponse(sorted.map(clusterText).join(''));
}
