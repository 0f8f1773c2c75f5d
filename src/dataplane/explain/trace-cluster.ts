/**
 * One cluster of a trace: its type and load balancing, its endpoints now with their health (from
 * the running data plane's view: failed active health check, ejected by outlier detection, EDS
 * status), and which hosts the load balancer would pick from — decided by the data plane's own
 * balancer (createLoadBalancer: priorities and healthy_panic_threshold), so "no healthy upstream"
 * here is exactly the 503 UH the router would answer.
 */
import type { Cluster, HealthStatus, Snapshot } from '../../model/index.ts';
import { edsServiceName, effectiveThresholds, ENVOY_DEFAULTS, findCluster, isEnvoyAdminCluster, loadAssignmentFor, thresholdsFor } from '../../model/index.ts';
import { type HostHealthFlag, type HostStatusView } from '../../observe/admin/index.ts';
import { createLoadBalancer, PriorityLoadBalancer, SeededRandom, type LbHost } from '../lb/index.ts';
import { hostPort } from './describe.ts';
import type { ClusterTrace, EndpointHealth, EndpointTrace, RuntimeView } from './request-trace.ts';

const UNHEALTHY: Partial<Record<HostHealthFlag, string>> = {
  failed_active_hc: 'failed active health check',
  failed_outlier_check: 'ejected by outlier detection',
  failed_eds_health: 'EDS says unhealthy',
  pending_active_hc: 'waiting for its first health check',
  active_hc_timeout: 'active health check timed out',
  excluded_via_immediate_hc_fail: 'excluded (immediate health check fail)',
  eds_status_draining: 'EDS says draining',
};

const DEGRADED: Partial<Record<HostHealthFlag, string>> = {
  degraded_eds_health: 'EDS says degraded',
  degraded_active_hc: 'degraded (active health check)',
};

function edsFlags(status: HealthStatus | undefined): HostHealthFlag[] {
  if (status === 'UNHEALTHY' || status === 'DRAINING' || status === 'TIMEOUT') return ['failed_eds_health'];
  if (status === 'DEGRADED') return ['degraded_eds_health'];
  return [];
}

/** Health from a host's flags; `known` = the flags are the running data plane's, not only EDS's. */
function healthOf(flags: readonly HostHealthFlag[], known: boolean): { health: EndpointHealth; reasons: string[] } {
  const bad = flags.map((f) => UNHEALTHY[f]).filter((r): r is string => r !== undefined);
  if (bad.length > 0) return { health: 'unhealthy', reasons: bad };
  const degraded = flags.map((f) => DEGRADED[f]).filter((r): r is string => r !== undefined);
  if (!known) return { health: 'unknown', reasons: degraded };
  return degraded.length > 0 ? { health: 'degraded', reasons: degraded } : { health: 'healthy', reasons: [] };
}

interface HostRow {
  readonly address: string;
  readonly port: number;
  readonly weight: number;
  readonly priority: number;
  readonly flags: readonly HostHealthFlag[];
}

function runtimeHosts(hosts: readonly HostStatusView[]): HostRow[] {
  return hosts.map((h) => ({ address: h.address, port: h.port, weight: h.weight, priority: h.priority ?? 0, flags: h.healthFlags }));
}

function snapshotHosts(snapshot: Snapshot, cluster: Cluster): HostRow[] {
  const cla = loadAssignmentFor(snapshot, cluster);
  const out: HostRow[] = [];
  for (const locality of cla?.endpoints ?? []) {
    for (const lb of locality.lbEndpoints) {
      const a = lb.endpoint.address;
      if (a.kind !== 'socketAddress') continue;
      out.push({
        address: a.address,
        port: a.portValue,
        weight: lb.loadBalancingWeight ?? ENVOY_DEFAULTS.lbEndpoint.loadBalancingWeight,
        priority: locality.priority ?? 0,
        flags: edsFlags(lb.healthStatus),
      });
    }
  }
  return out;
}

/** What the cluster's load balancer would pick from, given these hosts' health. */
function balance(cluster: Pick<Cluster, 'lbPolicy' | 'lbConfig' | 'commonLbConfig'>, rows: readonly EndpointTrace[]): { usable: number; panic: boolean } {
  const levels: LbHost[][] = [];
  for (const r of rows) {
    const host: LbHost = { weight: r.weight, healthy: r.health !== 'unhealthy', activeRequests: 0, hashKey: r.address };
    (levels[r.priority] ??= []).push(host);
  }
  const byPriority = Array.from(levels, (l) => l ?? []);
  const lb = createLoadBalancer(cluster, byPriority, new SeededRandom(1));
  if (lb instanceof PriorityLoadBalancer) return { usable: lb.candidates.length, panic: lb.panic };
  return { usable: lb.pick() === undefined ? 0 : rows.length, panic: false };
}

function thresholds(cluster: Cluster | undefined): NonNullable<ClusterTrace['circuitBreakers']> {
  return effectiveThresholds(thresholdsFor(cluster?.circuitBreakers, 'DEFAULT'));
}

function summaryOf(c: Omit<ClusterTrace, 'summary'>): string {
  if (!c.found) return 'does not exist: 503 (cluster not found)';
  if (c.endpoints.length === 0) return `no endpoints: 503 (no healthy upstream)`;
  if (c.usable === 0) return 'no healthy upstream: 503';
  const healthy = c.endpoints.filter((e) => e.health === 'healthy' || e.health === 'degraded').length;
  const health = c.healthKnown ? `${healthy} of ${c.endpoints.length} endpoint(s) healthy` : `${c.endpoints.length} endpoint(s), health unknown`;
  const panic = c.panic ? `; panic (under healthy_panic_threshold): balancing across all ${c.usable}` : '';
  return `${health}${panic}`;
}

/** The cluster `name` as a request would find it now. */
export function traceCluster(snapshot: Snapshot, runtime: RuntimeView, name: string, share: { percent?: number; mirror?: boolean } = {}): ClusterTrace {
  const view = runtime.clusters?.find((c) => c.name === name);
  const known = runtime.clusters !== undefined;
  const healthNote = known ? undefined : (runtime.healthUnknownReason ?? 'host health is not known here');
  const base = { name, ...(share.percent !== undefined ? { percent: share.percent } : {}), ...(share.mirror === true ? { mirror: true } : {}) };
  if (isEnvoyAdminCluster(name)) {
    const endpoints = runtimeHosts(view?.hosts ?? []).map((h): EndpointTrace => ({ address: hostPort(h.address, h.port), weight: h.weight, priority: h.priority, health: known ? 'healthy' : 'unknown', reasons: [] }));
    const t = { ...base, found: true, builtin: "weft's admin API (the built-in envoy-admin cluster)", endpoints, healthKnown: known, ...(healthNote ? { healthNote } : {}), panic: false, usable: endpoints.length, outlierDetection: false, healthChecks: 0 };
    return { ...t, summary: endpoints.length > 0 ? `${t.builtin} at ${endpoints.map((e) => e.address).join(', ')}` : (t.builtin as string) };
  }
  const cluster = findCluster(snapshot, name);
  if (cluster === undefined) {
    const t = { ...base, found: false, endpoints: [], healthKnown: known, panic: false, usable: 0, outlierDetection: false, healthChecks: 0 };
    return { ...t, summary: summaryOf(t) };
  }
  const dns = cluster.type === 'STRICT_DNS' || cluster.type === 'LOGICAL_DNS';
  const rows = view !== undefined ? runtimeHosts(view.hosts) : snapshotHosts(snapshot, cluster);
  const endpoints = rows.map((r): EndpointTrace => ({ address: hostPort(r.address, r.port), weight: r.weight, priority: r.priority, ...healthOf(r.flags, view !== undefined) }));
  const lb = balance(cluster, endpoints);
  const note = healthNote ?? (view === undefined ? 'the running data plane has no such cluster yet' : undefined);
  const t = {
    ...base,
    found: true,
    type: cluster.type,
    ...(cluster.type === 'EDS' ? { edsServiceName: edsServiceName(cluster) } : {}),
    lbPolicy: cluster.lbPolicy ?? ENVOY_DEFAULTS.cluster.lbPolicy,
    connectTimeoutMs: cluster.connectTimeoutMs ?? ENVOY_DEFAULTS.cluster.connectTimeoutMs,
    endpoints,
    healthKnown: view !== undefined,
    ...(note !== undefined ? { healthNote: dns && view === undefined ? `${note}; addresses are resolved by DNS at run time` : note } : {}),
    panic: lb.panic,
    usable: lb.usable,
    circuitBreakers: view?.circuitBreakers?.default ?? thresholds(cluster),
    outlierDetection: cluster.outlierDetection !== undefined,
    healthChecks: cluster.healthChecks.length,
  };
  return { ...t, summary: summaryOf(t) };
}
