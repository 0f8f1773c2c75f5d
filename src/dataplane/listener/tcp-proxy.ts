/**
 * The tcp_proxy network filter: each downstream connection gets a host of the cluster (a weighted
 * pick among weighted_clusters, then the cluster's load balancer), a TCP (or TLS, per the
 * cluster's transport socket) connection to it, and the bytes piped both ways with backpressure
 * (pipe() pauses the faster side). Bytes already read by the listener (a peeked ClientHello, for
 * TLS passthrough by SNI) are still buffered on the socket and go first. Up to
 * max_connect_attempts hosts are tried; an idle connection is closed after idle_timeout. Each
 * upstream connection holds a unit of the cluster's max_connections (shared with the HTTP pools);
 * at the limit no connection is made (upstream_cx_overflow, flag UO), as Envoy's tcp_proxy does.
 * One access log entry per connection.
 */
import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import type { TcpProxy as TcpProxyConfig } from '../../model/index.ts';
import { ENVOY_DEFAULTS } from '../../model/index.ts';
import type { AccessLogger } from '../../observe/access-log/index.ts';
import type { Clock } from '../../observe/clock.ts';
import { RESPONSE_FLAGS } from '../../observe/response-flags.ts';
import { createTcpProxyStats, type StatStore, type TcpProxyStats } from '../../observe/stats/index.ts';
import type { Random } from '../lb/index.ts';
import type { DownstreamConnection } from '../http/request-headers.ts';
import type { UpstreamLookup } from '../http/route-snapshot.ts';
import { StreamInfo } from '../http/stream-info.ts';
import type { UpstreamCluster } from '../upstream/upstream-cluster.ts';
import type { UpstreamHost } from '../upstream/upstream-host.ts';
import type { ConnectionLimit } from '../pool/connection-pool.ts';

export interface UpstreamProvider {
  current: UpstreamLookup;
}

export interface TcpProxyDeps {
  readonly stats: StatStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly accessLoggers: readonly AccessLogger[];
  readonly upstream: UpstreamProvider;
  /** TLS options of a cluster, when its transport socket is TLS. */
  readonly upstreamTls: (cluster: UpstreamCluster) => tls.ConnectionOptions | undefined;
}

interface Weighted {
  readonly names: readonly string[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

export class TcpProxy {
  readonly stats: TcpProxyStats;
  readonly #config: TcpProxyConfig;
  readonly #deps: TcpProxyDeps;
  readonly #clusters: Weighted;
  readonly #active = new Set<Socket>();
  #closed = false;

  constructor(config: TcpProxyConfig, deps: TcpProxyDeps) {
    this.#config = config;
    this.#deps = deps;
    this.stats = createTcpProxyStats(deps.stats, config.statPrefix);
    const cs = config.clusterSpecifier;
    const entries = cs.kind === 'cluster' ? [{ name: cs.cluster, weight: 1 }] : cs.weightedClusters.clusters;
    let total = 0;
    const cumulative: number[] = [];
    for (const e of entries) {
      total += Math.max(0, e.weight);
      cumulative.push(total);
    }
    this.#clusters = { names: entries.map((e) => e.name), cumulative, total };
  }

  get activeConnections(): number {
    return this.#active.size;
  }

  #pickCluster(): string {
    const w = this.#clusters;
    if (w.names.length === 1) return w.names[0];
    const r = this.#deps.random.next() * w.total;
    for (let i = 0; i < w.cumulative.length; i++) if (r < w.cumulative[i]) return w.names[i];
    return w.names[w.names.length - 1];
  }

  accept(down: Socket, conn: DownstreamConnection): void {
    if (this.#closed) {
      down.destroy();
      return;
    }
    const deps = this.#deps;
    const info = new StreamInfo(deps.clock.nowMs(), deps.clock.monotonicMs());
    info.accessLogType = 'TcpConnectionEnd';
    info.downstreamRemoteAddress = conn.remoteAddressString;
    info.downstreamDirectRemoteAddress = conn.remoteAddressString;
    info.downstreamLocalAddress = conn.localAddressString;
    info.connectionId = conn.id;
    info.requestedServerName = conn.serverName === '' ? undefined : conn.serverName;
    info.filterChainName = conn.filterChainName;
    this.stats.downstreamCxTotal.inc();
    this.#active.add(down);
    down.pause();
    down.on('error', () => down.destroy());
    const cluster = deps.upstream.current.cluster(this.#pickCluster()) as UpstreamCluster | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      this.#active.delete(down);
      info.durationMs = deps.clock.monotonicMs() - info.startMono;
      for (const l of deps.accessLoggers) l.log(info);
    };
    down.once('close', finish);
    if (cluster === undefined) {
      this.stats.downstreamCxNoRoute.inc();
      info.responseFlags |= RESPONSE_FLAGS.NC;
      down.destroy();
      return;
    }
    info.upstreamCluster = cluster.statName;
    info.upstreamClusterRaw = cluster.name;
    const attempts = this.#config.maxConnectAttempts ?? ENVOY_DEFAULTS.tcpProxy.maxConnectAttempts;
    this.#connect(down, cluster, info, attempts, 1);
  }

  #connect(down: Socket, cluster: UpstreamCluster, info: StreamInfo, maxAttempts: number, attempt: number): void {
    if (down.destroyed) return;
    const host = cluster.pickHost(undefined);
    if (host === undefined) {
      cluster.clusterStats.upstreamCxNoneHealthy.inc();
      info.responseFlags |= RESPONSE_FLAGS.UH;
      down.destroy();
      return;
    }
    info.upstreamHost = host.addressString;
    info.upstreamRequestAttemptCount = attempt;
    // Envoy's tcp_proxy asks the cluster's max_connections first and, at the limit, makes no
    // connection: upstream_cx_overflow, flag UO, the downstream is closed.
    const limit = cluster.connectionResources.connections;
    if (!limit.canCreate()) {
      cluster.clusterStats.upstreamCxOverflow.inc();
      info.responseFlags |= RESPONSE_FLAGS.UO;
      down.destroy();
      return;
    }
    limit.inc();
    const deps = this.#deps;
    const started = deps.clock.monotonicMs();
    const tlsOptions = deps.upstreamTls(cluster);
    const timeoutMs = cluster.config.connectTimeoutMs ?? ENVOY_DEFAULTS.cluster.connectTimeoutMs;
    const up: Socket = tlsOptions
      ? tls.connect({ ...tlsOptions, host: host.address, port: host.port })
      : net.connect({ host: host.address, port: host.port, noDelay: true });
    let connected = false;
    const timer = setTimeout(() => up.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      if (connected) return;
      limit.dec();
      host.connectFailed((e as { code?: string }).code === 'ETIMEDOUT');
      info.upstreamTransportFailureReason = e.message;
      if (attempt < maxAttempts) {
        this.#connect(down, cluster, info, maxAttempts, attempt + 1);
        return;
      }
      info.responseFlags |= RESPONSE_FLAGS.UF | (maxAttempts > 1 ? RESPONSE_FLAGS.URX : 0);
      down.destroy();
    };
    up.once('error', fail);
    up.once(tlsOptions ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      connected = true;
      up.off('error', fail);
      this.#relay(down, up, host, info, deps.clock.monotonicMs() - started, limit);
    });
  }

  #relay(down: Socket, up: Socket, host: UpstreamHost, info: StreamInfo, connectMs: number, limit: ConnectionLimit): void {
    const deps = this.#deps;
    host.connected(connectMs, 'tcp');
    host.stats.rqActive++;
    const opened = deps.clock.monotonicMs();
    const idle = this.#config.idleTimeoutMs ?? ENVOY_DEFAULTS.tcpProxy.idleTimeoutMs;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      host.stats.rqActive--;
      limit.dec();
      host.disconnected(deps.clock.monotonicMs() - opened, up.readableEnded);
      info.bytesReceived = down.bytesRead;
      info.bytesSent = down.bytesWritten;
      this.stats.downstreamCxRxBytesTotal.add(down.bytesRead);
      this.stats.downstreamCxTxBytesTotal.add(down.bytesWritten);
      up.destroy();
      down.destroy();
    };
    if (idle > 0) {
      const onIdle = (): void => {
        this.stats.idleTimeout.inc();
        close();
      };
      down.setTimeout(idle, onIdle);
      up.setTimeout(idle, onIdle);
    }
    const maxDuration = this.#config.maxDownstreamConnectionDurationMs;
    if (maxDuration !== undefined && maxDuration > 0) {
      const t = setTimeout(() => {
        this.stats.maxDownstreamConnectionDurationReached.inc();
        info.responseFlags |= RESPONSE_FLAGS.DT;
        close();
      }, maxDuration);
      down.once('close', () => clearTimeout(t));
    }
    up.on('error', close);
    up.once('close', close);
    down.once('close', close);
    // A half-close is passed on (pipe ends the other side), as Envoy's tcp_proxy does.
    down.pipe(up);
    up.pipe(down);
  }

  /** Waits for the proxied connections to end, closing what is left after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = setTimeout(() => this.close(), timeoutMs);
    deadline.unref();
    while (this.#active.size > 0 && !this.#closed) {
      const one = this.#active.values().next().value as Socket;
      await new Promise<void>((resolve) => one.once('close', () => resolve()));
    }
    clearTimeout(deadline);
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#active) s.destroy();
    this.stats.release();
  }
}
