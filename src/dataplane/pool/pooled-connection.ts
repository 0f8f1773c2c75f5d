/**
 * One upstream connection of a pool (Envoy's ActiveClient): an undici Client that opens exactly
 * one socket, through a connector that times and counts it. The connection holds one slot of the
 * cluster's `max_connections` from the moment it is created (connecting connections count, as in
 * Envoy) until its socket closes or fails to open; `release` is idempotent, so whichever of those
 * events comes first gives the slot back. When undici reports the socket gone (`disconnect`,
 * `connectionError`), the pool drops the connection for good: a Client is never reconnected, so
 * a live Client always stands for one counted socket.
 */
import type { Socket } from 'node:net';
import { Client, type buildConnector } from 'undici';
import type { ConnectionLimit, PoolObserver, UpstreamProtocol } from './pool-types.ts';

type Connector = ReturnType<typeof buildConnector>;
export type ConnectorOptions = Parameters<Connector>[0];
export type ConnectorCallback = Parameters<Connector>[1];
/** undici's connector as called here: it returns the socket it is opening (for the connect timer). */
export type RawConnector = (o: ConnectorOptions, cb: ConnectorCallback) => Socket | undefined;

/** What every connection of a pool shares: the connector, its timing and the observers. */
export interface ConnectionContext {
  readonly connector: RawConnector;
  readonly connectTimeoutMs: number;
  readonly monotonicMs: () => number;
  readonly observer: PoolObserver;
  readonly limit: ConnectionLimit;
}

export class PooledConnection {
  readonly client: Client;
  /** undici said "busy" (dispatch returned false) and has not emitted `drain` since. */
  busy = false;
  /** Dropped from the pool; late events are ignored. */
  removed = false;
  readonly #ctx: ConnectionContext;
  #socketOpen = false;
  #released = false;

  constructor(origin: string, clientOptions: Client.Options, ctx: ConnectionContext) {
    this.#ctx = ctx;
    ctx.limit.inc();
    const connect = (opts: ConnectorOptions, callback: ConnectorCallback): void => this.#connect(opts, callback);
    this.client = new Client(origin, { ...clientOptions, connect: connect as unknown as buildConnector.connector });
  }

  /** Gives the `max_connections` slot back (once). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#ctx.limit.dec();
  }

  /** The pool dropped this connection: a connection whose socket is still open (an upgrade) keeps its slot until it closes. */
  dropped(): void {
    this.removed = true;
    if (!this.#socketOpen) this.release();
    this.client.destroy().catch(ignore);
  }

  #connect(opts: ConnectorOptions, callback: ConnectorCallback): void {
    const ctx = this.#ctx;
    const now = ctx.monotonicMs;
    const started = now();
    let timer: NodeJS.Timeout | undefined;
    const pending = ctx.connector(opts, (error, socket) => {
      if (timer !== undefined) clearTimeout(timer);
      if (error !== null || socket === null) {
        const e = error ?? new Error('connection failed');
        ctx.observer.connectFailed((e as { code?: string }).code === 'UND_ERR_CONNECT_TIMEOUT', e);
        this.release();
        callback(e, null);
        return;
      }
      const opened = now();
      const proto: UpstreamProtocol = (socket as { alpnProtocol?: string | false }).alpnProtocol === 'h2' ? 'http2' : 'http1';
      ctx.observer.connected(opened - started, proto);
      this.#socketOpen = true;
      let remoteEnd = false;
      (socket as Socket).once('end', () => (remoteEnd = true));
      (socket as Socket).once('close', () => {
        this.#socketOpen = false;
        ctx.observer.disconnected(now() - opened, remoteEnd);
        this.release();
      });
      callback(null, socket);
    });
    // undici's own connect timer ticks in ~0.5 s steps; the connect timeout (TCP and TLS
    // handshake) is kept here instead, to the millisecond.
    if (ctx.connectTimeoutMs > 0 && pending !== undefined) timer = setTimeout(destroyForTimeout, ctx.connectTimeoutMs, pending, ctx.connectTimeoutMs);
  }
}

function destroyForTimeout(socket: Socket, ms: number): void {
  socket.destroy(Object.assign(new Error(`connect timeout after ${ms} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
}

function ignore(): void {}
