/**
 * The HTTP connection manager of one filter chain (Envoy's ConnectionManagerImpl plus its codecs):
 * it owns a node:http server (HTTP/1.1) and a node:http2 server (HTTP/2), fed with connections the
 * listener accepted (cleartext, or TLS it terminated), never listening themselves. Per request it
 * makes an HttpStream; per connection it keeps the Envoy connection stats; it answers codec errors
 * (malformed requests, oversized headers, header timeouts) with a counted, logged local reply; it
 * sweeps idle streams; and it drains (Connection: close, GOAWAY) when its listener changed.
 *
 * Node's parser does the framing checks (CL.TE, bad chunking, obs-fold, duplicate lengths: 400 and
 * close, never forwarded); its header-size limit gives 431 and its header timer 408. The limits
 * Node does not enforce (header count, underscores, HTTP/1.0, paths) are the stream's.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, { type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '../../observe/clock.ts';
import type { AccessLogger } from '../../observe/access-log/index.ts';
import type { HttpConnManagerListenerStats, HttpConnManagerStats } from '../../observe/stats/index.ts';
import { RESPONSE_FLAGS } from '../../observe/response-flags.ts';
import { weftChannel, WEFT_CHANNELS } from '../../observe/diagnostics-channels.ts';
import type { Random } from '../lb/index.ts';
import type { ConnectionManagerSettings } from './connection-manager-settings.ts';
import type { HttpFilter } from './http-filter.ts';
import { HttpStream } from './http-stream.ts';
import type { RequestHeaders } from './header-list.ts';
import type { DownstreamConnection } from './request-headers.ts';
import type { RouteProvider } from './route-snapshot.ts';
import { StreamInfo } from './stream-info.ts';

const kConn = Symbol('weft.downstreamConnection');
const kCm = Symbol('weft.connectionManager');

type Tagged = { [kConn]?: DownstreamConnection; [kCm]?: ConnectionManager };

export interface ConnectionManagerDeps {
  readonly settings: ConnectionManagerSettings;
  readonly filters: readonly HttpFilter[];
  readonly routes: RouteProvider;
  readonly stats: HttpConnManagerStats;
  readonly accessLoggers: readonly AccessLogger[];
  readonly clock: Clock;
  readonly random: Random;
  readonly newRequestId: () => string;
}

const requestEndChannel = weftChannel(WEFT_CHANNELS.httpRequestEnd);

export class ConnectionManager {
  readonly settings: ConnectionManagerSettings;
  readonly filters: readonly HttpFilter[];
  /** The filters that look at responses (encodeHeaders), in chain order. */
  readonly encodeFilters: readonly HttpFilter[];
  readonly routes: RouteProvider;
  readonly stats: HttpConnManagerStats;
  /** `listener.<address>.http.<prefix>.*`, bound once the listener's socket is (its real port). */
  listenerStats: HttpConnManagerListenerStats | undefined = undefined;
  readonly accessLoggers: readonly AccessLogger[];
  readonly clock: Clock;
  readonly random: Random;
  readonly newRequestId: () => string;
  readonly #h1: http.Server;
  #h2: http2.Http2Server | undefined;
  readonly #sockets = new Set<Duplex>();
  readonly #sessions = new Set<ServerHttp2Session>();
  #streams: HttpStream | undefined = undefined;
  #activeStreams = 0;
  #sweep: NodeJS.Timeout | undefined = undefined;
  #draining = false;
  #closeIdle = false;
  #closed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(deps: ConnectionManagerDeps) {
    this.settings = deps.settings;
    this.filters = deps.filters;
    this.encodeFilters = deps.filters.filter((f) => f.encodeHeaders !== undefined);
    this.routes = deps.routes;
    this.stats = deps.stats;
    this.accessLoggers = deps.accessLoggers;
    this.clock = deps.clock;
    this.random = deps.random;
    this.newRequestId = deps.newRequestId;
    const s = deps.settings;
    const server = http.createServer({
      maxHeaderSize: s.maxRequestHeadersBytes,
      insecureHTTPParser: false,
      requireHostHeader: false,
      joinDuplicateHeaders: false,
      headersTimeout: s.requestHeadersTimeoutMs,
      requestTimeout: 0,
      keepAliveTimeout: s.idleTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor((s.requestHeadersTimeoutMs || 1000) / 4))),
      noDelay: true,
    });
    // Node keeps at most this many headers (and drops the rest silently); one more than the limit
    // lets the stream see that the limit was passed and answer 431.
    server.maxHeadersCount = s.maxHeadersCount + 1;
    server.maxRequestsPerSocket = s.maxRequestsPerConnection;
    (server as Tagged)[kCm] = this;
    server.on('request', onHttp1Request);
    server.on('upgrade', onHttp1Upgrade);
    server.on('connect', onHttp1Upgrade);
    server.on('clientError', onClientError);
    // The server never listens (connections are handed over), so start its header-timeout
    // checks the way listen() would.
    server.emit('listening');
    this.#h1 = server;
  }

  get activeStreams(): number {
    return this.#activeStreams;
  }

  get activeConnections(): number {
    return this.#sockets.size;
  }

  /** Takes an accepted (and, for TLS, handshaken) connection; `http2` picks the codec. */
  acceptConnection(socket: Socket, conn: DownstreamConnection, http2Codec: boolean): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    const st = this.stats;
    st.downstreamCxTotal.inc();
    st.downstreamCxActive.inc();
    if (conn.tls) {
      st.downstreamCxSslTotal.inc();
      st.downstreamCxSslActive.inc();
    }
    if (http2Codec) {
      st.downstreamCxHttp2Total.inc();
      st.downstreamCxHttp2Active.inc();
    } else {
      st.downstreamCxHttp1Total.inc();
      st.downstreamCxHttp1Active.inc();
    }
    const opened = this.clock.monotonicMs();
    (socket as Tagged)[kConn] = conn;
    this.#sockets.add(socket);
    socket.once('close', () => {
      this.#sockets.delete(socket);
      st.downstreamCxActive.dec();
      st.downstreamCxDestroy.inc();
      if (conn.tls) st.downstreamCxSslActive.dec();
      if (http2Codec) st.downstreamCxHttp2Active.dec();
      else st.downstreamCxHttp1Active.dec();
      st.downstreamCxRxBytesTotal.add(socket.bytesRead);
      st.downstreamCxTxBytesTotal.add(socket.bytesWritten);
      st.downstreamCxLengthMs.record(this.clock.monotonicMs() - opened);
      this.#checkIdle();
    });
    if (http2Codec) this.#http2Server().emit('connection', socket);
    else this.#h1.emit('connection', socket);
  }

  #http2Server(): http2.Http2Server {
    if (this.#h2 !== undefined) return this.#h2;
    const s = this.settings;
    const server = http2.createServer({
      settings: {
        maxConcurrentStreams: s.http2MaxConcurrentStreams,
        initialWindowSize: s.http2InitialStreamWindowSize,
        maxHeaderListSize: s.maxRequestHeadersBytes,
        enablePush: false,
      },
      maxHeaderListPairs: s.maxHeadersCount + 8,
      maxSessionRejectedStreams: 100,
      maxSessionInvalidFrames: 1000,
      peerMaxConcurrentStreams: 100,
    });
    (server as Tagged)[kCm] = this;
    server.on('session', onHttp2Session);
    server.on('stream', onHttp2Stream);
    this.#h2 = server;
    return server;
  }

  /** @internal */
  trackSession(session: ServerHttp2Session): void {
    this.#sessions.add(session);
    if (this.settings.http2InitialConnectionWindowSize > 65_535) {
      session.once('connect', () => session.setLocalWindowSize(this.settings.http2InitialConnectionWindowSize));
    }
    if (this.settings.idleTimeoutMs > 0) session.setTimeout(this.settings.idleTimeoutMs, () => session.close());
    session.once('close', () => this.#sessions.delete(session));
    session.on('error', () => session.destroy());
    if (this.#draining) session.close();
  }

  // ---- streams ----

  /** @internal */
  linkStream(s: HttpStream): void {
    this.#activeStreams++;
    s.next = this.#streams;
    if (this.#streams !== undefined) this.#streams.prev = s;
    this.#streams = s;
    if (this.#sweep === undefined && this.settings.streamIdleTimeoutMs > 0) {
      const every = Math.max(25, Math.min(1000, Math.floor(this.settings.streamIdleTimeoutMs / 4)));
      this.#sweep = setInterval(sweepIdle, every, this);
      this.#sweep.unref();
    }
  }

  /** @internal a stream ended: stats, access log, unlink. */
  completeStream(s: HttpStream): void {
    this.#activeStreams--;
    if (s.prev !== undefined) s.prev.next = s.next;
    else if (this.#streams === s) this.#streams = s.next;
    if (s.next !== undefined) s.next.prev = s.prev;
    s.prev = s.next = undefined;
    const info = s.info;
    const now = this.clock.monotonicMs();
    const duration = now - info.startMono;
    info.durationMs = duration;
    if (info.responseDurationMs !== undefined) info.responseTxDurationMs = duration - info.responseDurationMs;
    const st = this.stats;
    st.downstreamRqActive.dec();
    const code = info.responseCode;
    if (code !== 0) {
      st.chargeResponse(code);
      this.listenerStats?.chargeResponse(code);
    }
    st.downstreamRqTime.record(duration);
    const filters = this.filters;
    for (let i = 0; i < filters.length; i++) filters[i].onStreamComplete?.(s);
    const loggers = this.accessLoggers;
    for (let i = 0; i < loggers.length; i++) loggers[i].log(info);
    if (requestEndChannel.hasSubscribers) requestEndChannel.publish(info);
    this.#checkIdle();
  }

  /** @internal the idle sweep. */
  sweepIdle(): void {
    const now = this.clock.monotonicMs();
    let s = this.#streams;
    while (s !== undefined) {
      const next = s.next;
      if (s.idleTimeoutMs > 0) {
        if (s.activity !== s.idleSeen) {
          s.idleSeen = s.activity;
          s.idleMark = now;
        } else if (now - s.idleMark >= s.idleTimeoutMs) {
          s.idleTimeout();
        }
      }
      s = next;
    }
    if (this.#streams === undefined && this.#sweep !== undefined) {
      clearInterval(this.#sweep);
      this.#sweep = undefined;
    }
  }

  // ---- codec errors ----

  /** @internal Node's parser refused a request (or its headers took too long). */
  clientError(err: Error & { code?: string }, socket: Duplex): void {
    const code = err.code ?? '';
    const writable = socket.writable && !(socket as Socket & { _httpMessage?: ServerResponse })._httpMessage?.headersSent;
    let status = 400;
    let details = 'http1.codec_error';
    if (code === 'HPE_HEADER_OVERFLOW') {
      status = 431;
      details = 'http1.headers_too_large';
    } else if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      details = 'request_header_timeout';
      this.stats.downstreamRqHeaderTimeout.inc();
    } else if (code === 'ECONNRESET' || code === 'EPIPE' || !code.startsWith('HPE_')) {
      socket.destroy();
      return;
    }
    this.stats.downstreamCxProtocolError.inc();
    if (writable) {
      const date = new Date(this.clock.nowMs()).toUTCString();
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-length: 0\r\ndate: ${date}\r\nserver: ${this.settings.serverName}\r\nconnection: close\r\n\r\n`,
      );
    }
    socket.destroy();
    const conn = (socket as Tagged)[kConn];
    const info = new StreamInfo(this.clock.nowMs(), this.clock.monotonicMs());
    info.protocol = 'HTTP/1.1';
    info.responseCode = writable ? status : 0;
    info.responseFlags = RESPONSE_FLAGS.DPE;
    info.responseCodeDetails = details;
    info.durationMs = 0;
    if (conn !== undefined) {
      info.downstreamRemoteAddress = conn.remoteAddressString;
      info.downstreamDirectRemoteAddress = conn.remoteAddressString;
      info.downstreamLocalAddress = conn.localAddressString;
      info.connectionId = conn.id;
    }
    this.stats.downstreamRqTotal.inc();
    if (writable) {
      this.stats.chargeResponse(status);
      this.listenerStats?.chargeResponse(status);
    }
    for (const l of this.accessLoggers) l.log(info);
  }

  // ---- drain and close ----

  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Stops taking new requests on kept-alive connections: HTTP/1 responses from now on end their
   * connection, HTTP/2 sessions get GOAWAY. With `closeIdle` (shutdown) idle HTTP/1 connections
   * are closed at once; otherwise (a listener update, as Envoy drains) they stay until the
   * deadline, so a client racing to reuse one is not reset. Resolves when no connection is left,
   * or after `timeoutMs`, when what is left is closed.
   */
  async drain(timeoutMs: number, closeIdle = false): Promise<void> {
    this.#draining = true;
    this.#closeIdle = closeIdle;
    if (closeIdle) this.#h1.closeIdleConnections();
    for (const s of this.#sessions) s.close();
    if (this.#sockets.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        this.#idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        this.#checkIdle();
      });
    }
    this.close();
  }

  /** Binds the per-listener HCM stats (replacing and releasing earlier ones). */
  bindListenerStats(stats: HttpConnManagerListenerStats): void {
    this.listenerStats?.release();
    this.listenerStats = stats;
  }

  /** Closes every connection now, stops the servers' timers and releases the stats. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#draining = true;
    for (const s of this.#sockets) s.destroy();
    for (const s of this.#sessions) s.destroy();
    this.#h1.close();
    this.#h1.closeAllConnections();
    if (this.#sweep !== undefined) clearInterval(this.#sweep);
    this.#sweep = undefined;
    for (const f of this.filters) f.release?.();
    this.stats.release();
    this.listenerStats?.release();
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length === 0) return;
    if (this.#closeIdle) this.#h1.closeIdleConnections();
    if (this.#sockets.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  /** @internal a response is about to be written while draining: end the connection after it. */
  markResponse(res: ServerResponse): void {
    if (this.#draining) {
      res.shouldKeepAlive = false;
      this.stats.downstreamCxDrainClose.inc();
    }
  }
}

function sweepIdle(cm: ConnectionManager): void {
  cm.sweepIdle();
}

function connOf(socket: Duplex): DownstreamConnection | undefined {
  return (socket as Tagged)[kConn];
}

function onHttp1Request(this: http.Server & Tagged, req: IncomingMessage, res: ServerResponse): void {
  const cm = this[kCm] as ConnectionManager;
  const conn = connOf(req.socket);
  if (conn === undefined) {
    res.destroy();
    return;
  }
  cm.markResponse(res);
  HttpStream.fromHttp1(cm, conn, req, res);
}

function onHttp1Upgrade(this: http.Server & Tagged, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const cm = this[kCm] as ConnectionManager;
  const conn = connOf(socket);
  if (conn === undefined) {
    socket.destroy();
    return;
  }
  HttpStream.fromHttp1Tunnel(cm, conn, req, socket, head);
}

function onClientError(this: http.Server & Tagged, err: Error, socket: Duplex): void {
  (this[kCm] as ConnectionManager).clientError(err, socket);
}

function onHttp2Session(this: http2.Http2Server & Tagged, session: ServerHttp2Session): void {
  const cm = this[kCm] as ConnectionManager;
  const socket = session.socket as unknown as Tagged;
  (session as unknown as Tagged)[kConn] = socket[kConn];
  cm.trackSession(session);
}

function onHttp2Stream(this: http2.Http2Server & Tagged, stream: ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number): void {
  const cm = this[kCm] as ConnectionManager;
  const conn = (stream.session as unknown as Tagged | undefined)?.[kConn];
  if (conn === undefined) {
    stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    return;
  }
  stream.on('error', noop);
  HttpStream.fromHttp2(cm, conn, stream, headers as RequestHeaders, flags);
}

function noop(): void {
  // Stream errors (resets) end in 'close', which finishes the stream.
}
