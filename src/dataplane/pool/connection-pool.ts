/**
 * A per-host connection pool (Envoy's ConnPoolImplBase over HTTP/1.1 keep-alive or multiplexed
 * HTTP/2 connections): a list of PooledConnections, each one undici Client owning one socket,
 * and a bounded wait queue. The connector times and counts every connection, so the cluster and
 * host stats Envoy keeps (upstream_cx_total, _active, _connect_fail, _connect_timeout,
 * _connect_ms, _length_ms, _destroy*) come from the one place connections are made. Requests
 * are undici dispatch handlers (no promise, no stream wrapper per request).
 *
 * max_connections is the cluster's, shared by the pools of all its hosts (`ConnectionLimit`).
 * A request goes to a free connection of this pool; without one, a new connection is opened if
 * the cluster limit allows it; at the limit `upstream_cx_overflow` is counted and the request
 * waits in this pool for one of its connections (holding a `max_pending_requests` slot of its
 * priority), or, with that budget spent, overflows (the caller answers 503 UO). As in Envoy, a
 * pool with no connection at all opens one even at the limit, so a host chosen by the load
 * balancer always gets a connection and its waiting requests are never stranded: the cluster may
 * hold up to max_connections + one connection per pool.
 */
import type { ConnectionOptions } from 'node:tls';
import { buildConnector, type Client } from 'undici';
import { PooledConnection, type ConnectionContext, type RawConnector } from './pooled-connection.ts';
import {
  DISPATCHED,
  OVERFLOWED,
  QUEUED,
  type ConnectionLimit,
  type PoolDispatch,
  type PoolObserver,
  type PoolRequest,
  type UpstreamProtocol,
  type WaitBudget,
} from './pool-types.ts';

export type { ConnectionLimit, PoolDispatch, PoolObserver, PoolRequest, UpstreamProtocol, WaitBudget } from './pool-types.ts';
export { DISPATCHED, OVERFLOWED, QUEUED } from './pool-types.ts';

export interface PoolOptions {
  readonly protocol: UpstreamProtocol;
  /** TLS to the host (already compiled: CA, client certificate, SNI, verification); absent = cleartext. */
  readonly tls: ConnectionOptions | undefined;
  readonly connectTimeoutMs: number;
  /** Idle keep-alive timeout (common_http_protocol_options.idle_timeout); 0 = Envoy's 1 h. */
  readonly idleTimeoutMs: number;
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

class PoolClosedError extends Error {
  readonly code = 'UND_ERR_CLOSED';
}

export class ConnectionPool {
  readonly origin: string;
  readonly protocol: UpstreamProtocol;
  readonly #ctx: ConnectionContext;
  readonly #clientOptions: Client.Options;
  readonly #connections: PooledConnection[] = [];
  /** Requests waiting for a connection, oldest first, with the budget each one holds a slot of. */
  readonly #queue = new Map<PoolRequest, WaitBudget>();
  #closed = false;
  #closeResolve: (() => void) | undefined = undefined;
  #closing: Promise<void> | undefined = undefined;

  constructor(host: string, port: number, options: PoolOptions, observer: PoolObserver, limit: ConnectionLimit) {
    const secure = options.tls !== undefined;
    const bracketed = host.includes(':') ? `[${host}]` : host;
    this.origin = `${secure ? 'https' : 'http'}://${bracketed}:${port}`;
    this.protocol = options.protocol;
    const h2 = options.protocol === 'http2';
    const connector = buildConnector({
      ...(options.tls ?? {}),
      timeout: 0,
      allowH2: h2,
      useH2c: h2 && !secure,
    } as buildConnector.BuildOptions) as unknown as RawConnector;
    this.#ctx = { connector, connectTimeoutMs: options.connectTimeoutMs, monotonicMs: options.monotonicMs, observer, limit };
    const idle = options.idleTimeoutMs > 0 ? options.idleTimeoutMs : DEFAULT_IDLE_MS;
    this.#clientOptions = {
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
    };
  }

  /**
   * Sends a request on a free connection, a new one, or queues it against `budget`. OVERFLOWED
   * leaves the request untouched (no handler call); the caller answers.
   */
  dispatch(req: PoolRequest, budget: WaitBudget): PoolDispatch {
    if (this.#closed) {
      req.onError?.(new PoolClosedError('the connection pool is closed'));
      return DISPATCHED;
    }
    const conn = this.#freeConnection() ?? this.#open();
    if (conn !== undefined) {
      send(conn, req);
      return DISPATCHED;
    }
    if (!budget.tryWait()) return OVERFLOWED;
    this.#queue.set(req, budget);
    return QUEUED;
  }

  /** A queued request gave up (timeout, downstream gone): it leaves the queue and its pending slot. */
  cancel(req: PoolRequest): void {
    const budget = this.#queue.get(req);
    if (budget === undefined) return;
    this.#queue.delete(req);
    budget.endWait();
    this.#maybeClosed();
  }

  /** Requests waiting for a connection. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Connections held (connecting, open, or with an upgraded socket still counted elsewhere). */
  get size(): number {
    return this.#connections.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Waits for queued and running requests to finish, then closes every connection. */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    this.#closing = new Promise<void>((resolve) => {
      this.#closeResolve = resolve;
    });
    this.#maybeClosed();
    return this.#closing;
  }

  /** Closes everything now; running and queued requests fail. */
  destroy(): Promise<void> {
    this.#closed = true;
    const err = new PoolClosedError('the connection pool was destroyed');
    for (const [req, budget] of this.#queue) {
      this.#queue.delete(req);
      budget.endWait();
      req.onError?.(err);
    }
    const all = this.#connections.splice(0).map((c) => {
      c.removed = true;
      return c.client.destroy(err).finally(() => c.release());
    });
    const resolve = this.#closeResolve;
    this.#closeResolve = undefined;
    this.#closing ??= Promise.resolve();
    return Promise.all(all).then(() => resolve?.());
  }

  #freeConnection(): PooledConnection | undefined {
    const list = this.#connections;
    for (let i = 0; i < list.length; i++) if (!list[i].busy) return list[i];
    return undefined;
  }

  /** A new connection when the cluster limit allows it, or when this pool has none (Envoy's rule). */
  #open(): PooledConnection | undefined {
    const ctx = this.#ctx;
    const allowed = ctx.limit.canCreate();
    if (!allowed) {
      ctx.observer.connectionOverflow();
      if (this.#connections.length > 0) return undefined;
    }
    const conn = new PooledConnection(this.origin, this.#clientOptions, ctx);
    conn.client.on('drain', () => this.#drained(conn));
    conn.client.on('disconnect', () => this.#gone(conn));
    conn.client.on('connectionError', () => this.#gone(conn));
    this.#connections.push(conn);
    return conn;
  }

  #drained(conn: PooledConnection): void {
    if (conn.removed) return;
    conn.busy = false;
    this.#serve(conn);
  }

  /** The connection's socket closed or never opened: it leaves the pool; waiters may need a new one. */
  #gone(conn: PooledConnection): void {
    if (conn.removed) return;
    const i = this.#connections.indexOf(conn);
    if (i >= 0) this.#connections.splice(i, 1);
    conn.dropped();
    while (this.#queue.size > 0) {
      const next = this.#freeConnection() ?? this.#open();
      if (next === undefined) break;
      this.#serve(next);
    }
    this.#maybeClosed();
  }

  /** Hands waiting requests, oldest first, to `conn` while it takes them. */
  #serve(conn: PooledConnection): void {
    const queue = this.#queue;
    while (queue.size > 0 && !conn.busy) {
      const req = queue.keys().next().value as PoolRequest;
      const budget = queue.get(req) as WaitBudget;
      queue.delete(req);
      budget.endWait();
      send(conn, req);
    }
    this.#maybeClosed();
  }

  #maybeClosed(): void {
    const resolve = this.#closeResolve;
    if (resolve === undefined || this.#queue.size > 0) return;
    this.#closeResolve = undefined;
    void Promise.all(this.#connections.map((c) => c.client.close().catch(ignore))).then(() => resolve());
  }
}

function send(conn: PooledConnection, req: PoolRequest): void {
  if (!conn.client.dispatch(req, req)) conn.busy = true;
}

function ignore(): void {}
