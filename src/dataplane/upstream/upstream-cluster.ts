/**
 * One cluster at run time: its hosts (from the inline load assignment, the snapshot's EDS
 * ClusterLoadAssignment, or DNS), its load balancer, its stats, and how it speaks upstream
 * (HTTP/1.1, HTTP/2, the downstream's protocol, or ALPN over TLS). Built once per snapshot; kept
 * across snapshots while its config hash is unchanged (its endpoints may still change: EDS and
 * DNS updates replace the host list and keep the hosts, with their connections, whose address
 * stays).
 *
 * The resilience issue hooks in here: `hostMonitor` receives each request's outcome per host
 * (the feed outlier detection needs), `setHealthFlag` + `refreshLoadBalancer` are how active
 * health checks and ejections take a host out, and the circuit breakers wrap `dispatch`
 * (max_connections: every host's pool draws on `resources.default.connections`).
 */
import type { ConnectionOptions } from 'node:tls';
import type { Cluster, ClusterLoadAssignment, LbEndpoint } from '../../model/index.ts';
import { ENVOY_DEFAULTS } from '../../model/index.ts';
import type { Clock } from '../../observe/clock.ts';
import { createClusterStats, type ClusterStats, type StatStore } from '../../observe/stats/index.ts';
import { createLoadBalancer, type LoadBalancer, type Random } from '../lb/index.ts';
import type { PoolOptions, UpstreamProtocol } from '../pool/connection-pool.ts';
import { DnsResolver, type LookupAll } from './dns-resolver.ts';
import { ActiveHealthChecker, isSupportedHealthCheck } from './health-checker.ts';
import { OutlierDetector } from './outlier-detector.ts';
import { buildResourceManagers, tracksRemaining, type ClusterResourceManagers, type ClusterResources } from './resource-manager.ts';
import { edsHealthFlags, HEALTH_FLAGS, UpstreamHost, type HostPoolConfig } from './upstream-host.ts';

export type DownstreamProtocol = 'HTTP/1.0' | 'HTTP/1.1' | 'HTTP/2';

/** How the cluster picks its upstream protocol. */
type ProtocolSelection = 'http1' | 'http2' | 'downstream';

/** Receives the outcome of each upstream request (outlier detection's input). */
export interface HostMonitor {
  /**
   * `status` is the HTTP status; for a local-origin failure (`localOrigin`) it is 504 for a
   * timeout and 0 for a connect failure or reset.
   */
  report(host: UpstreamHost, status: number, localOrigin: boolean): void;
}

export interface ClusterDeps {
  readonly stats: StatStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly lookup: LookupAll;
}

const UPSTREAM_MAX_HEADER_BYTES = 60 * 1024;
const DEFAULT_H2_STREAMS = 100;

function hostKey(address: string, port: number): string {
  return `${address}|${port}`;
}

interface EndpointSpec {
  readonly address: string;
  readonly port: number;
  readonly weight: number;
  readonly priority: number;
  readonly healthFlags: number;
  readonly hostname: string | undefined;
}

function endpointsOf(cla: ClusterLoadAssignment | undefined): EndpointSpec[] {
  const out: EndpointSpec[] = [];
  for (const locality of cla?.endpoints ?? []) {
    for (const lb of locality.lbEndpoints) {
      const a = lb.endpoint.address;
      if (a.kind !== 'socketAddress') continue;
      out.push(specOf(lb, a.address, a.portValue, locality.priority ?? 0));
    }
  }
  return out;
}

function specOf(lb: LbEndpoint, address: string, port: number, priority: number): EndpointSpec {
  return {
    address,
    port,
    weight: lb.loadBalancingWeight ?? ENVOY_DEFAULTS.lbEndpoint.loadBalancingWeight,
    priority,
    healthFlags: edsHealthFlags(lb.healthStatus),
    hostname: lb.endpoint.hostname,
  };
}

export class UpstreamCluster implements HostPoolConfig {
  readonly name: string;
  /** The name in stats and logs (alt_stat_name when set). */
  readonly statName: string;
  readonly config: Cluster;
  readonly hash: string;
  readonly clusterStats: ClusterStats;
  hostMonitor: HostMonitor | undefined = undefined;
  /** Present when the cluster has outlier_detection; it is also the hostMonitor. */
  readonly outlierDetector: OutlierDetector | undefined;
  /** The circuit breakers, per routing priority. */
  readonly resources: ClusterResourceManagers;
  readonly #protocol: ProtocolSelection;
  readonly #tls: ConnectionOptions | undefined;
  readonly #deps: ClusterDeps;
  readonly #lb: LoadBalancer<UpstreamHost>;
  #hosts: readonly UpstreamHost[] = [];
  #byKey = new Map<string, UpstreamHost>();
  #assignmentHash: string | undefined = undefined;
  #dns: DnsResolver | undefined = undefined;
  #closed = false;
  /** Active health checkers (empty without health_checks). */
  readonly #checkers: readonly ActiveHealthChecker[];
  #checkersStarted = false;

  constructor(config: Cluster, hash: string, tls: ConnectionOptions | undefined, deps: ClusterDeps) {
    this.name = config.name;
    this.statName = config.altStatName ?? config.name;
    this.config = config;
    this.hash = hash;
    this.#tls = tls;
    this.#deps = deps;
    this.clusterStats = createClusterStats(deps.stats, config.name, {
      ...(config.altStatName ? { altStatName: config.altStatName } : {}),
      outlierDetection: config.outlierDetection !== undefined,
      healthCheck: config.healthChecks.length > 0,
      trackRemaining: tracksRemaining(config.circuitBreakers),
    });
    this.resources = buildResourceManagers(config.circuitBreakers, this.clusterStats);
    this.#protocol = protocolSelection(config, tls !== undefined);
    this.#lb = createLoadBalancer(config, [], deps.random);
    const od = config.outlierDetection;
    const odStats = this.clusterStats.outlierDetection;
    this.outlierDetector = od !== undefined && odStats !== undefined ? new OutlierDetector(this, od, odStats, deps.clock, deps.random) : undefined;
    if (this.outlierDetector !== undefined) {
      this.hostMonitor = this.outlierDetector;
      this.outlierDetector.start();
    }
    const hcStats = this.clusterStats.healthCheck;
    this.#checkers = hcStats === undefined ? [] : config.healthChecks.filter(isSupportedHealthCheck).map((hc) => new ActiveHealthChecker(this, hc, hcStats, deps.random));
  }

  get hosts(): readonly UpstreamHost[] {
    return this.#hosts;
  }

  /** The cluster has made a connection (health checks use no_traffic_interval until then). */
  get trafficSeen(): boolean {
    return this.clusterStats.upstreamCxTotal.used;
  }

  get stats(): ClusterStats {
    return this.clusterStats;
  }

  /** The compiled upstream TLS options (tcp_proxy connects with them too); undefined = cleartext. */
  get tlsOptions(): ConnectionOptions | undefined {
    return this.#tls;
  }

  /** A host for the next request, or undefined (→ 503 `no healthy upstream`, flag UH). */
  pickHost(hashKey: number | undefined): UpstreamHost | undefined {
    return this.#lb.pick(hashKey === undefined ? undefined : { hashKey });
  }

  /** The protocol to speak upstream for a request that came in over `downstream`. */
  protocolFor(downstream: DownstreamProtocol): UpstreamProtocol {
    switch (this.#protocol) {
      case 'http1':
        return 'http1';
      case 'http2':
        return 'http2';
      case 'downstream':
        return downstream === 'HTTP/2' ? 'http2' : 'http1';
      default: {
        const never: never = this.#protocol;
        throw new Error(`unexpected protocol selection ${String(never)}`);
      }
    }
  }

  /** HostPoolConfig: the DEFAULT priority's resources (connections are counted there). */
  get connectionResources(): ClusterResources {
    return this.resources.default;
  }

  /** HostPoolConfig: options for a host's pool. */
  poolOptions(protocol: UpstreamProtocol): PoolOptions {
    const c = this.config;
    const common = c.httpProtocolOptions?.commonHttpProtocolOptions;
    const upo = c.httpProtocolOptions?.upstreamProtocolOptions;
    const h2 =
      upo?.kind === 'explicitHttpConfig'
        ? upo.explicitHttpConfig.kind === 'http2ProtocolOptions'
          ? upo.explicitHttpConfig.http2ProtocolOptions
          : undefined
        : upo?.http2ProtocolOptions;
    return {
      protocol,
      tls: this.#tls,
      connectTimeoutMs: c.connectTimeoutMs ?? ENVOY_DEFAULTS.cluster.connectTimeoutMs,
      idleTimeoutMs: common?.idleTimeoutMs ?? 0,
      maxConcurrentStreams: Math.min(h2?.maxConcurrentStreams ?? DEFAULT_H2_STREAMS, 1000),
      maxRequestsPerConnection: common?.maxRequestsPerConnection ?? 0,
      ...(h2?.initialStreamWindowSize ? { initialStreamWindowSize: h2.initialStreamWindowSize } : {}),
      ...(h2?.initialConnectionWindowSize ? { initialConnectionWindowSize: h2.initialConnectionWindowSize } : {}),
      maxHeaderSize: UPSTREAM_MAX_HEADER_BYTES,
      monotonicMs: this.#deps.clock.monotonicMs,
    };
  }

  /**
   * Sets the endpoints (inline or EDS); `hash` identifies the assignment so an unchanged one is
   * skipped. DNS clusters resolve the assignment's names instead (see `startDns`).
   */
  setLoadAssignment(cla: ClusterLoadAssignment | undefined, hash: string): void {
    if (hash === this.#assignmentHash) {
      this.clusterStats.updateNoRebuild.inc();
      return;
    }
    this.#assignmentHash = hash;
    this.clusterStats.updateAttempt.inc();
    const type = this.config.type;
    if (type === 'STRICT_DNS') {
      this.#startDns(cla);
      return;
    }
    this.#setEndpoints(endpointsOf(cla));
  }

  /**
   * Resolves the DNS cluster's names once and runs the first round of active health checks (the
   * caller awaits it, bounded, before serving: Envoy's cluster warming); timers follow.
   */
  async ready(): Promise<void> {
    await this.#dns?.ready();
    this.#checkersStarted = true;
    await Promise.all(this.#checkers.map((c) => c.start()));
  }

  /** The cluster warms before serving: it resolves names or runs health checks. */
  get needsWarming(): boolean {
    return this.config.type === 'STRICT_DNS' || this.#checkers.length > 0;
  }

  #startDns(cla: ClusterLoadAssignment | undefined): void {
    this.#dns?.stop();
    const specs = endpointsOf(cla);
    const refresh = this.config.dnsRefreshRateMs ?? ENVOY_DEFAULTS.cluster.dnsRefreshRateMs;
    this.#dns = new DnsResolver(specs.map((s) => s.address), this.config.dnsLookupFamily ?? 'AUTO', refresh, this.#deps.lookup, (resolved) => {
      const out: EndpointSpec[] = [];
      specs.forEach((s, i) => {
        for (const ip of resolved[i]) out.push({ ...s, address: ip, hostname: s.hostname ?? s.address });
      });
      this.#setEndpoints(out);
    }, () => this.clusterStats.updateFailure.inc());
  }

  #setEndpoints(specs: readonly EndpointSpec[]): void {
    if (this.#closed) return;
    const next = new Map<string, UpstreamHost>();
    const byPriority: UpstreamHost[][] = [];
    for (const spec of specs) {
      const key = hostKey(spec.address, spec.port);
      if (next.has(key)) continue;
      let host = this.#byKey.get(key);
      if (host !== undefined && host.priority === spec.priority) host.update(spec.weight, spec.healthFlags, this);
      else {
        // With active health checks a new host is unhealthy until it passes one (as in Envoy).
        const flags = this.#checkers.length > 0 ? spec.healthFlags | HEALTH_FLAGS.FAILED_ACTIVE_HC : spec.healthFlags;
        host = new UpstreamHost(spec.address, spec.port, spec.weight, spec.priority, flags, spec.hostname, this);
      }
      next.set(key, host);
      (byPriority[spec.priority] ??= []).push(host);
    }
    for (let p = 0; p < byPriority.length; p++) byPriority[p] ??= [];
    for (const [key, old] of this.#byKey) if (next.get(key) !== old) void old.drain();
    const changed = next.size !== this.#byKey.size || [...next.keys()].some((k) => !this.#byKey.has(k));
    this.#byKey = next;
    this.#hosts = [...next.values()];
    this.#lb.setHosts(byPriority);
    const s = this.clusterStats;
    s.updateSuccess.inc();
    if (specs.length === 0) s.updateEmpty.inc();
    if (changed) s.membershipChange.inc();
    this.#updateMembership();
    // New hosts get a health check session (probed now, or after initial_jitter); removed ones lose theirs.
    if (this.#checkersStarted) for (const c of this.#checkers) c.syncHosts();
  }

  /** After a health flag changed on some host (health checks, outlier detection). */
  refreshLoadBalancer(): void {
    this.#lb.refresh();
    this.#updateMembership();
  }

  #updateMembership(): void {
    const s = this.clusterStats;
    let healthy = 0;
    let maxWeight = 0;
    for (const h of this.#hosts) {
      if (h.healthy) healthy++;
      if (h.weight > maxWeight) maxWeight = h.weight;
    }
    s.membershipTotal.set(this.#hosts.length);
    s.membershipHealthy.set(healthy);
    s.maxHostWeight.set(maxWeight);
  }

  /** Lets in-flight requests finish, then closes every connection and releases the stats. */
  async drain(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#dns?.stop();
    this.outlierDetector?.stop();
    for (const c of this.#checkers) c.stop();
    await Promise.all(this.#hosts.map((h) => h.drain()));
    this.clusterStats.release();
  }

  /** Closes everything now. */
  async destroy(): Promise<void> {
    this.#closed = true;
    this.#dns?.stop();
    this.outlierDetector?.stop();
    for (const c of this.#checkers) c.stop();
    await Promise.all(this.#hosts.map((h) => h.destroy()));
    this.clusterStats.release();
  }
}

function protocolSelection(c: Cluster, tls: boolean): ProtocolSelection {
  const upo = c.httpProtocolOptions?.upstreamProtocolOptions;
  if (upo === undefined) return 'http1';
  switch (upo.kind) {
    case 'explicitHttpConfig':
      return upo.explicitHttpConfig.kind === 'http2ProtocolOptions' ? 'http2' : 'http1';
    case 'useDownstreamProtocolConfig':
      return 'downstream';
    case 'autoConfig':
      // ALPN over TLS (h2 preferred), HTTP/1.1 in cleartext: undici's allowH2 negotiates.
      return tls ? 'http2' : 'http1';
    default: {
      const never: never = upo;
      throw new Error(`unexpected upstream protocol options ${JSON.stringify(never)}`);
    }
  }
}
