/**
 * A per-host connection pool: undici's Pool (keep-alive HTTP/1.1 connections, or multiplexed
 * HTTP/2 ones) behind a connector that times and counts every connection, so the cluster and host
 * stats Envoy keeps (upstream_cx_total, _active, _connect_fail, _connect_timeout, _connect_ms,
 * _length_ms, _destroy*) come from the one place connections are made. Requests go through
 * `dispatch` with a handler object (undici's low-level API: no promise, no stream wrapper per
 * request).
 *
 * Bounds: connections per host are capped (`maxConnections`, the circuit breaker's
 * max_connections). The wait queue is undici's; the circuit breaker that bounds it
 * (max_pending_requests, with upstream_rq_pending_overflow) is the resilience issue's, and hooks in
 * before `dispatch` is called.
 */
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { buildConnector, Pool, type Dispatcher } from 'undici';

export type UpstreamProtocol = 'http1' | 'http2';

/** Receives the life of each connection; implemented by the host (host and cluster stats). */
export interface PoolObserver {
  connected(connectMs: number, protocol: UpstreamProtocol): void;
  connectFailed(timedOut: boolean, error: Error): void;
  /** A connection closed after `lengthMs`; `remote` when the peer closed it. */
  disconnected(lengthMs: number, remote: boolean): void;
}

export interface PoolOptions {
  readonly protocol: UpstreamProtocol;
  /** TLS to the host (already compiled: CA, client certificate, SNI, verification); absent = cleartext. */
  readonly tls: ConnectionOptions | undefined;
  readonly connectTimeoutMs: number;
  /** Idle keep-alive timeout (common_http_protocol_options.idle_timeout); 0 = Envoy's 1 h. */
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
  /** HTTP/2 streams per connection. */
  readonly maxConcurrentStreams: number;
  /** Requests per connection before it is retired; 0 = unlimited. */
  readonly maxRequestsPerConnection: number;
  /** HTTP/2 initial windows (stream and connection). */
  readonly initialStreamWindowSize?: number;
  readonly initialConnectionWindowSize?: number;
  /** Response header limit, bytes. */
  readonly maxHeaderSize: number;
  readonly monotonicMs: () => number;
}

/** Envoy's upstream idle timeout default (HttpProtocolOptions.idle_timeout): 1 hour. */
const DEFAULT_IDLE_MS = 3_600_000;

type Connector = ReturnType<typeof buildConnector>;
type ConnectorOptions = Parameters<Connector>[0];
type ConnectorCallback = Parameters<Connector>[1];

export class ConnectionPool {
  readonly origin: string;
  readonly protocol: UpstreamProtocol;
  readonly #pool: Pool;
  readonly #maxConnections: number;
  #closed = false;

  constructor(host: string, port: number, options: PoolOptions, observer: PoolObserver) {
    const secure = options.tls !== undefined;
    const bracketed = host.includes(':') ? `[${host}]` : host;
    this.origin = `${secure ? 'https' : 'http'}://${bracketed}:${port}`;
    this.protocol = options.protocol;
    this.#maxConnections = options.maxConnections;
    const h2 = options.protocol === 'http2';
    // undici's own connect timer ticks in ~0.5 s steps; the connect timeout (TCP and TLS
    // handshake) is kept here instead, to the millisecond.
    const inner = buildConnector({
      ...(options.tls ?? {}),
      timeout: 0,
      allowH2: h2,
      useH2c: h2 && !secure,
    } as buildConnector.BuildOptions);
    const now = options.monotonicMs;
    const timeoutMs = options.connectTimeoutMs;
    const connect = (opts: ConnectorOptions, callback: ConnectorCallback): void => {
      const started = now();
      let timer: NodeJS.Timeout | undefined;
      const pending = (inner as unknown as (o: ConnectorOptions, cb: ConnectorCallback) => Socket | undefined)(opts, (error, socket) => {
        if (timer !== undefined) clearTimeout(timer);
        if (error !== null || socket === null) {
          const e = error ?? new Error('connection failed');
          observer.connectFailed((e as { code?: string }).code === 'UND_ERR_CONNECT_TIMEOUT', e);
          callback(e, null);
          return;
        }
        const opened = now();
        const proto: UpstreamProtocol = (socket as { alpnProtocol?: string | false }).alpnProtocol === 'h2' ? 'http2' : 'http1';
        observer.connected(opened - started, proto);
        let remoteEnd = false;
        (socket as Socket).once('end', () => (remoteEnd = true));
        (socket as Socket).once('close', () => observer.disconnected(now() - opened, remoteEnd));
        callback(null, socket);
      });
      if (timeoutMs > 0 && pending !== undefined) timer = setTimeout(destroyForTimeout, timeoutMs, pending, timeoutMs);
    };
    const idle = options.idleTimeoutMs > 0 ? options.idleTimeoutMs : DEFAULT_IDLE_MS;
    this.#pool = new Pool(this.origin, {
      connect: connect as unknown as buildConnector.connector,
      connections: options.maxConnections,
      pipelining: h2 ? options.maxConcurrentStreams : 1,
      allowH2: h2,
      ...(h2 ? { maxConcurrentStreams: options.maxConcurrentStreams } : {}),
      ...(options.initialStreamWindowSize ? { initialWindowSize: options.initialStreamWindowSize } : {}),
      ...(options.initialConnectionWindowSize ? { connectionWindowSize: options.initialConnectionWindowSize } : {}),
      keepAliveTimeout: idle,
      keepAliveMaxTimeout: idle,
      // The router owns request and idle timeouts (route timeout → 504 UT); undici's are off.
      headersTimeout: 0,
      bodyTimeout: 0,
      maxHeaderSize: options.maxHeaderSize,
      ...(options.maxRequestsPerConnection > 0 ? { maxRequestsPerClient: options.maxRequestsPerConnection } : {}),
      strictContentLength: true,
    });
  }

  /** Sends a request; events go to `handler`. False means the pool is busy (undici backpressure). */
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.#pool.dispatch(options, handler);
  }

  /**
   * Every allowed connection is open and none is free: a new request has to wait for one
   * (Envoy counts `upstream_cx_overflow` then). Reads undici's pool stats: call it only when a
   * max_connections limit was configured.
   */
  saturated(): boolean {
    const st = this.#pool.stats;
    return st.connected >= this.#maxConnections && st.free === 0;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Waits for queued and running requests to finish, then closes every connection. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.#pool.close();
  }

  /** Closes everything now; running requests fail. */
  destroy(): Promise<void> {
    this.#closed = true;
    return this.#pool.destroy();
  }
}

function destroyForTimeout(socket: Socket, ms: number): void {
  socket.destroy(Object.assign(new Error(`connect timeout after ${ms} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
}
