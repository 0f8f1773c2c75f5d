/**
 * One upstream endpoint of a cluster: its address and weight, its health, its stats (Envoy's
 * per-host stats, shown by /clusters) and its connection pools (one per upstream protocol, made on
 * first use). A host survives snapshot swaps and EDS updates while its address stays in the
 * cluster, so its pooled connections do too.
 *
 * Health is a bitset, as Envoy's Host::HealthFlag: the EDS status is set here; active health
 * checking and outlier detection (the resilience issue) set their own bits through
 * `setHealthFlag`, and the cluster's load balancer re-reads `healthy`.
 */
import type { HealthStatus } from '../../model/index.ts';
import type { ClusterStats, HostStats } from '../../observe/stats/index.ts';
import { HostStats as HostStatsImpl } from '../../observe/stats/index.ts';
import type { LbHost } from '../lb/host.ts';
import type { OutlierHostMonitor } from './outlier-host-monitor.ts';
import type { ClusterResources } from './resource-manager.ts';
import { ConnectionPool, type PoolObserver, type PoolOptions, type UpstreamProtocol } from '../pool/connection-pool.ts';

/** Envoy's Host::HealthFlag bits. */
export const HEALTH_FLAGS = {
  /** The host failed active health checking. */
  FAILED_ACTIVE_HC: 1 << 0,
  /** Ejected by outlier detection. */
  FAILED_OUTLIER_CHECK: 1 << 1,
  /** EDS said UNHEALTHY / DRAINING / TIMEOUT. */
  FAILED_EDS_HEALTH: 1 << 2,
  /** EDS said DEGRADED. */
  DEGRADED_EDS_HEALTH: 1 << 3,
  /** Waiting for its first active health check. */
  PENDING_ACTIVE_HC: 1 << 4,
} as const;

export type HealthFlag = (typeof HEALTH_FLAGS)[keyof typeof HEALTH_FLAGS];

const UNHEALTHY_MASK = HEALTH_FLAGS.FAILED_ACTIVE_HC | HEALTH_FLAGS.FAILED_OUTLIER_CHECK | HEALTH_FLAGS.FAILED_EDS_HEALTH | HEALTH_FLAGS.PENDING_ACTIVE_HC;

export function edsHealthFlags(status: HealthStatus | undefined): number {
  switch (status) {
    case undefined:
    case 'UNKNOWN':
    case 'HEALTHY':
      return 0;
    case 'DEGRADED':
      return HEALTH_FLAGS.DEGRADED_EDS_HEALTH;
    case 'UNHEALTHY':
    case 'DRAINING':
    case 'TIMEOUT':
      return HEALTH_FLAGS.FAILED_EDS_HEALTH;
    default: {
      const never: never = status;
      throw new Error(`unexpected health status ${String(never)}`);
    }
  }
}

/** What a host needs from its cluster to open connections. */
export interface HostPoolConfig {
  readonly clusterStats: ClusterStats;
  /** The circuit breaker resources connections count against (max_connections, shared by every pool and tcp_proxy). */
  readonly connectionResources: ClusterResources;
  /** Pool options per protocol; the TLS options may depend on the host (SNI). */
  poolOptions(protocol: UpstreamProtocol, host: UpstreamHost): PoolOptions;
}

export class UpstreamHost implements LbHost, PoolObserver {
  /** IP literal or DNS name. */
  readonly address: string;
  readonly port: number;
  /** `ip:port` (`[::1]:80`), as %UPSTREAM_HOST% prints it. */
  readonly addressString: string;
  readonly hashKey: string;
  /** The endpoint's hostname (auto_host_rewrite), if any. */
  readonly hostname: string | undefined;
  readonly priority: number;
  readonly stats: HostStats = new HostStatsImpl();
  /** Outlier detection's counters for this host (made by the detector on first report). */
  outlier: OutlierHostMonitor | undefined = undefined;
  #weight: number;
  #healthFlags: number;
  #config: HostPoolConfig;
  #h1: ConnectionPool | undefined;
  #h2: ConnectionPool | undefined;

  constructor(address: string, port: number, weight: number, priority: number, healthFlags: number, hostname: string | undefined, config: HostPoolConfig) {
    this.address = address;
    this.port = port;
    this.addressString = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    this.hashKey = this.addressString;
    this.hostname = hostname;
    this.priority = priority;
    this.#weight = weight;
    this.#healthFlags = healthFlags;
    this.#config = config;
  }

  get weight(): number {
    return this.#weight;
  }

  get healthy(): boolean {
    return (this.#healthFlags & UNHEALTHY_MASK) === 0;
  }

  get healthFlags(): number {
    return this.#healthFlags;
  }

  get activeRequests(): number {
    return this.stats.rqActive;
  }

  /** Sets or clears one health bit; the caller refreshes the cluster's load balancer. */
  setHealthFlag(flag: HealthFlag, on: boolean): void {
    this.#healthFlags = on ? this.#healthFlags | flag : this.#healthFlags & ~flag;
  }

  /** An EDS update kept this host with a new weight or EDS status (a new cluster config, too). */
  update(weight: number, edsFlags: number, config: HostPoolConfig): void {
    this.#weight = weight;
    const keep = this.#healthFlags & ~(HEALTH_FLAGS.FAILED_EDS_HEALTH | HEALTH_FLAGS.DEGRADED_EDS_HEALTH);
    this.#healthFlags = keep | edsFlags;
    this.#config = config;
  }

  /** The pool for this protocol, opened on first use. */
  pool(protocol: UpstreamProtocol): ConnectionPool {
    if (protocol === 'http2') return (this.#h2 ??= this.#openPool('http2'));
    return (this.#h1 ??= this.#openPool('http1'));
  }

  #openPool(protocol: UpstreamProtocol): ConnectionPool {
    // Every pool of the cluster shares the DEFAULT priority's max_connections.
    return new ConnectionPool(this.address, this.port, this.#config.poolOptions(protocol, this), this, this.#config.connectionResources.connections);
  }

  /** A connection was made; `tcp` for tcp_proxy connections (no HTTP counter). */
  connected(connectMs: number, protocol: UpstreamProtocol | 'tcp'): void {
    const s = this.#config.clusterStats;
    s.upstreamCxTotal.inc();
    if (protocol === 'http2') s.upstreamCxHttp2Total.inc();
    else if (protocol === 'http1') s.upstreamCxHttp1Total.inc();
    s.upstreamCxActive.inc();
    s.upstreamCxConnectMs.record(connectMs);
    this.stats.cxTotal++;
    this.stats.cxActive++;
  }

  connectFailed(timedOut: boolean): void {
    const s = this.#config.clusterStats;
    s.upstreamCxTotal.inc();
    s.upstreamCxConnectFail.inc();
    if (timedOut) s.upstreamCxConnectTimeout.inc();
    this.stats.cxTotal++;
    this.stats.cxConnectFail++;
  }

  disconnected(lengthMs: number, remote: boolean): void {
    const s = this.#config.clusterStats;
    s.upstreamCxActive.dec();
    s.upstreamCxDestroy.inc();
    if (remote) s.upstreamCxDestroyRemote.inc();
    else s.upstreamCxDestroyLocal.inc();
    s.upstreamCxLengthMs.record(lengthMs);
    this.stats.cxActive--;
  }

  /** PoolObserver: a connection was wanted at the cluster's max_connections. */
  connectionOverflow(): void {
    this.#config.clusterStats.upstreamCxOverflow.inc();
  }

  /** Finishes what is in flight, then closes this host's connections. */
  async drain(): Promise<void> {
    const pools = [this.#h1, this.#h2].filter((p): p is ConnectionPool => p !== undefined);
    this.#h1 = undefined;
    this.#h2 = undefined;
    await Promise.all(pools.map((p) => p.close()));
  }

  /** Closes this host's connections now. */
  async destroy(): Promise<void> {
    const pools = [this.#h1, this.#h2].filter((p): p is ConnectionPool => p !== undefined);
    this.#h1 = undefined;
    this.#h2 = undefined;
    await Promise.all(pools.map((p) => p.destroy()));
  }
}
