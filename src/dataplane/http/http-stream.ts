/**
 * One HTTP request/response exchange (Envoy's ActiveStream): the request as the HCM sanitised and
 * routed it, the filter chain position, the response as it goes out, the timers, and the access
 * log entry (`info`). The same class serves HTTP/1.1 (node:http request/response), HTTP/2 (a
 * node:http2 stream) and HTTP/1.1 tunnels (an upgraded or CONNECT socket): the three are small
 * branches in the write and end paths, so the per-request path stays one monomorphic class.
 *
 * This file is longer than most (~700 lines): the request side (target, limits, sanitising,
 * routing, decode filters), the response side (encode filters, HCM response headers, the three
 * codecs' writes) and the completion bookkeeping of one stream share state that would otherwise be
 * passed around per call, and splitting the class would make the hot path polymorphic.
 *
 * Listeners on node's emitters are module-level functions that find the stream through a symbol on
 * the emitter, added with `on` (these per-request emitters fire them once): no closure or once()
 * wrapper is allocated per request.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ServerHttp2Stream } from 'node:http2';
import { PassThrough, Transform, type Duplex, type Readable } from 'node:stream';
import { assertNever } from '../../lib/assert-never.ts';
import type { HeaderAccessor, RouteEntry, RouteRequest } from '../routing/index.ts';
import { RESPONSE_FLAGS, type ResponseFlags } from '../../observe/response-flags.ts';
import { FILTER_CONTINUE, type HttpFilter } from './http-filter.ts';
import { headerListGet, headerListHas, headerListSet, headerListToObject, stripForHttp2, type HeaderList, type RequestHeaders } from './header-list.ts';
import { normalizeRequestPath } from './path-normalizer.ts';
import { mutateRequestHeaders, type DownstreamConnection } from './request-headers.ts';
import type { RouteSnapshot } from './route-snapshot.ts';
import { StreamInfo } from './stream-info.ts';
import type { ConnectionManager } from './connection-manager.ts';

const kStream = Symbol('weft.httpStream');

type Emitter = { [kStream]?: HttpStream };

export type StreamProtocol = 'HTTP/1.0' | 'HTTP/1.1' | 'HTTP/2';

/** The router's handle on its upstream request, so the stream can stop it. */
export interface StreamUpstream {
  /** The downstream went away or the stream is being reset: stop the upstream request. */
  cancel(): void;
  /** The whole request body has arrived (Envoy starts the route timeout here). */
  onRequestComplete(): void;
}

/**
 * Paces the response body on its way to the codec (the fault filter's response_rate_limit): it
 * takes each chunk, writes it later through `writeResponseBody`, and holds the end of the
 * response until everything it took is written.
 */
export interface ResponseThrottle {
  /** Takes a chunk; false = wait for `onDrain` before sending more. */
  write(chunk: Buffer): boolean;
  onDrain(resume: () => void): void;
  /** Calls `done` once every byte taken has been written (at once when none is left). */
  flush(done: () => void): void;
}

const NGHTTP2_FLAG_END_STREAM = 0x1;
const NGHTTP2_INTERNAL_ERROR = 0x2;

export class HttpStream implements RouteRequest, HeaderAccessor {
  readonly cm: ConnectionManager;
  readonly conn: DownstreamConnection;
  readonly routes: RouteSnapshot;
  readonly info: StreamInfo;
  readonly protocol: StreamProtocol;
  // RouteRequest.
  authority = '';
  path = '';
  query = '';
  method = '';
  scheme = 'http';
  readonly headers: HeaderAccessor;
  readonly tls: { readonly presented: boolean; readonly validated: boolean } | undefined;
  /** Request headers, sanitised; mutated by filters and the router. */
  requestHeaders: RequestHeaders;
  /** `:path` after normalisation, with the query. */
  fullPath = '';
  /** The trusted client IP (XFF-aware). */
  clientIp = '';
  internal = false;
  route: RouteEntry | undefined = undefined;
  /** Per-filter state slots, for filters that keep any. */
  filterState: unknown[] | undefined = undefined;
  upstream: StreamUpstream | undefined = undefined;
  /** `websocket` / `connect` (lower-case) when the request asks for a tunnel. */
  readonly upgrade: string | undefined;
  /** Bytes that arrived after an upgrade request's head (to forward upstream). */
  readonly tunnelHead: Buffer | undefined;
  /** Request body fully received. */
  requestComplete: boolean;
  /** Response headers have been written downstream. */
  headersSent = false;
  /** Bumped on activity; the connection manager's idle sweep compares it. */
  activity = 0;
  idleSeen = -1;
  idleMark = 0;
  idleTimeoutMs: number;
  /** Intrusive list of the manager's active streams. */
  prev: HttpStream | undefined = undefined;
  next: HttpStream | undefined = undefined;

  #req: IncomingMessage | undefined;
  #res: ServerResponse | undefined;
  #h2: ServerHttp2Stream | undefined;
  #socket: Duplex | undefined;
  #hasBody: boolean;
  #filterIndex = 0;
  #ended = false;
  /** The end of the response waits for the throttle to flush. */
  #ending = false;
  #throttle: ResponseThrottle | undefined = undefined;
  #finished = false;
  #trailers: HeaderList | undefined = undefined;
  #requestTimer: NodeJS.Timeout | undefined = undefined;
  #refusedBody = false;
  /** Copies of the request body for mirrors (shadow requests); usually none. */
  #bodyTaps: PassThrough[] | undefined = undefined;
  #bodyTapped = false;

  private constructor(
    cm: ConnectionManager,
    conn: DownstreamConnection,
    protocol: StreamProtocol,
    headers: RequestHeaders,
    hasBody: boolean,
    upgrade: string | undefined,
    tunnelHead: Buffer | undefined,
  ) {
    this.cm = cm;
    this.conn = conn;
    this.routes = cm.routes.current;
    this.protocol = protocol;
    this.info = new StreamInfo(cm.clock.nowMs(), cm.clock.monotonicMs());
    this.headers = this;
    this.tls = conn.tls ? { presented: conn.peerCertificatePresented, validated: conn.peerCertificateValidated } : undefined;
    this.requestHeaders = headers;
    this.#hasBody = hasBody;
    this.requestComplete = !hasBody;
    this.upgrade = upgrade;
    this.tunnelHead = tunnelHead;
    this.idleTimeoutMs = cm.settings.streamIdleTimeoutMs;
    this.#req = undefined;
    this.#res = undefined;
    this.#h2 = undefined;
    this.#socket = undefined;
  }

  /** An HTTP/1.x request on node:http. */
  static fromHttp1(cm: ConnectionManager, conn: DownstreamConnection, req: IncomingMessage, res: ServerResponse): HttpStream {
    const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    const s = new HttpStream(cm, conn, req.httpVersionMinor === 0 ? 'HTTP/1.0' : 'HTTP/1.1', req.headers as RequestHeaders, hasBody, undefined, undefined);
    s.#req = req;
    s.#res = res;
    (res as Emitter)[kStream] = s;
    res.on('close', onResponseClose);
    if (hasBody) {
      (req as Emitter)[kStream] = s;
      req.on('end', onRequestEnd);
    }
    s.#begin(req.method ?? 'GET', req.url ?? '/', req.rawHeaders.length >> 1);
    return s;
  }

  /**
   * An HTTP/1.1 request node:http handed over as a raw socket: CONNECT, a WebSocket upgrade, or
   * another upgrade (`h2c`), which is answered as plain HTTP/1.1 (RFC 9113 §3.1 lets a server
   * ignore it) on that socket, ending the connection after the response.
   */
  static fromHttp1Tunnel(cm: ConnectionManager, conn: DownstreamConnection, req: IncomingMessage, socket: Duplex, head: Buffer): HttpStream {
    const u = req.headers.upgrade;
    const upgrade = req.method === 'CONNECT' ? 'connect' : typeof u === 'string' && u.toLowerCase() === 'websocket' ? 'websocket' : undefined;
    const s = new HttpStream(cm, conn, req.httpVersionMinor === 0 ? 'HTTP/1.0' : 'HTTP/1.1', req.headers as RequestHeaders, false, upgrade, head);
    s.#req = req;
    s.#socket = socket;
    (socket as Emitter)[kStream] = s;
    socket.once('close', onSocketClose);
    socket.on('error', onSocketError);
    if (upgrade === undefined) {
      // The upgrade is ignored: its hop-by-hop headers go, the request is an ordinary one.
      const h = s.requestHeaders;
      h.upgrade = undefined;
      h['http2-settings'] = undefined;
      const len = h['content-length'];
      // Node stopped parsing at the head; a body after it cannot be read safely.
      s.#refusedBody = (len !== undefined && len !== '0') || h['transfer-encoding'] !== undefined;
    }
    s.#begin(req.method ?? 'GET', req.url ?? '/', req.rawHeaders.length >> 1);
    return s;
  }

  /** An HTTP/2 stream. */
  static fromHttp2(cm: ConnectionManager, conn: DownstreamConnection, stream: ServerHttp2Stream, headers: RequestHeaders, flags: number): HttpStream {
    const hasBody = (flags & NGHTTP2_FLAG_END_STREAM) === 0;
    const s = new HttpStream(cm, conn, 'HTTP/2', headers, hasBody, undefined, undefined);
    s.#h2 = stream;
    (stream as Emitter)[kStream] = s;
    stream.on('close', onH2Close);
    stream.on('error', onSocketError);
    if (hasBody) stream.on('end', onRequestEnd);
    const method = headers[':method'];
    const path = headers[':path'];
    s.#begin(typeof method === 'string' ? method : 'GET', typeof path === 'string' ? path : '', 0);
    return s;
  }

  /** HeaderAccessor: one value per name, several joined with `,` (pseudo-headers included). */
  get(name: string): string | undefined {
    if (name.charCodeAt(0) === 58) {
      switch (name) {
        case ':path':
          return this.fullPath;
        case ':authority':
          return this.authority;
        case ':method':
          return this.method;
        case ':scheme':
          return this.scheme;
        default:
          return undefined;
      }
    }
    const v = this.requestHeaders[name];
    return v === undefined ? undefined : typeof v === 'string' ? v : v.join(',');
  }

  #begin(method: string, target: string, headerCount: number): void {
    const cm = this.cm;
    const s = cm.settings;
    const stats = cm.stats;
    stats.downstreamRqTotal.inc();
    if (this.protocol === 'HTTP/2') stats.downstreamRqHttp2Total.inc();
    else stats.downstreamRqHttp1Total.inc();
    stats.downstreamRqActive.inc();
    cm.linkStream(this);
    this.method = method;
    const info = this.info;
    const conn = this.conn;
    info.protocol = this.protocol;
    info.method = method;
    info.requestHeaders = this.requestHeaders;
    info.downstreamDirectRemoteAddress = conn.remoteAddressString;
    info.downstreamLocalAddress = conn.localAddressString;
    info.connectionId = conn.id;
    info.requestedServerName = conn.serverName === '' ? undefined : conn.serverName;
    info.filterChainName = conn.filterChainName;
    if (this.requestComplete) info.requestDurationMs = 0;
    // request_timeout runs until the whole request has arrived (a request without a body has).
    if (s.requestTimeoutMs > 0 && !this.requestComplete) {
      this.#requestTimer = setTimeout(onRequestTimeout, s.requestTimeoutMs, this);
    }
    if (this.#refusedBody) {
      this.sendLocalReply(400, '', RESPONSE_FLAGS.DPE, 'upgrade_with_body');
      return;
    }
    if (headerCount > s.maxHeadersCount) {
      this.sendLocalReply(431, '', RESPONSE_FLAGS.DPE, 'too_many_headers');
      return;
    }
    if (s.headersWithUnderscoresAction !== 'ALLOW' && this.#underscoreHeaders()) return;
    const te = this.requestHeaders['transfer-encoding'];
    if (te !== undefined && !(typeof te === 'string' && isChunkedOnly(te))) {
      // Envoy's HTTP/1 codec: any transfer coding but `chunked` alone is refused (501), never
      // forwarded; Node's parser would hand the request over first and fail on its body later.
      this.sendLocalReply(501, '', RESPONSE_FLAGS.DPE, 'unsupported_transfer_encoding');
      return;
    }
    if (this.protocol === 'HTTP/1.0' && !s.acceptHttp10) {
      this.sendLocalReply(426, '', RESPONSE_FLAGS.DPE, 'low_version');
      return;
    }
    if (!this.#readTarget(target)) return;
    info.path = this.fullPath;
    info.authority = this.authority;
    const outcome = mutateRequestHeaders(this.requestHeaders, s, conn, this.routes.table.config.internalOnlyHeaders, cm.newRequestId);
    this.clientIp = outcome.clientIp;
    this.internal = outcome.internal;
    this.scheme = outcome.scheme;
    info.scheme = outcome.scheme;
    info.downstreamRemoteAddress = outcome.clientIp === conn.remoteAddress ? conn.remoteAddressString : outcome.clientIp;
    const rid = this.requestHeaders['x-request-id'];
    info.streamId = typeof rid === 'string' ? rid : undefined;
    this.route = this.routes.table.match(this, cm.random);
    info.routeName = this.route?.route.name;
    if (this.upgrade !== undefined && !this.#upgradeAllowed(this.upgrade)) {
      cm.stats.downstreamRqWsOnNonWsRoute.inc();
      this.sendLocalReply(403, '', 0, 'upgrade_failed');
      return;
    }
    this.#filterIndex = 0;
    this.continueDecoding();
  }

  /** Splits the request target into authority, path and query; false when it answered 400. */
  #readTarget(target: string): boolean {
    const h = this.requestHeaders;
    let authority = this.protocol === 'HTTP/2' ? h[':authority'] ?? h.host : h.host;
    if (this.method === 'CONNECT' && this.protocol !== 'HTTP/2') {
      // Authority-form: the target is host:port and there is no path.
      authority = target;
      target = '';
    } else if (target.charCodeAt(0) !== 47 /* / */) {
      if (target.startsWith('http://') || target.startsWith('https://')) {
        // Absolute-form: its authority replaces Host (RFC 9112 §3.2.2).
        const start = target.indexOf('//') + 2;
        const slash = target.indexOf('/', start);
        authority = target.slice(start, slash < 0 ? undefined : slash);
        target = slash < 0 ? '/' : target.slice(slash);
        this.cm.stats.downstreamRqNonRelativePath.inc();
      } else if (!(target === '*' && this.method === 'OPTIONS')) {
        this.sendLocalReply(400, '', RESPONSE_FLAGS.DPE, 'invalid_path');
        return false;
      }
    }
    if (authority === undefined && this.protocol === 'HTTP/1.0' && this.cm.settings.defaultHostForHttp10 !== undefined) {
      authority = this.cm.settings.defaultHostForHttp10;
    }
    if (authority === undefined || authority === '' || Array.isArray(authority)) {
      this.sendLocalReply(400, '', RESPONSE_FLAGS.DPE, 'missing_host_header');
      return false;
    }
    this.authority = this.#stripPort(authority);
    if (target !== '' && target !== '*') {
      const normalized = normalizeRequestPath(target, this.cm.settings.path);
      if (typeof normalized !== 'string') {
        if (normalized.kind === 'redirect') {
          this.cm.stats.downstreamRqRedirectedWithNormalizedPath.inc();
          this.sendLocalReply(307, '', 0, 'path_normalization_redirect', ['location', normalized.location]);
        } else {
          this.sendLocalReply(400, '', RESPONSE_FLAGS.DPE, normalized.details);
        }
        return false;
      }
      target = normalized;
    }
    this.fullPath = target;
    const q = target.indexOf('?');
    this.path = q < 0 ? target : target.slice(0, q);
    this.query = q < 0 ? '' : target.slice(q + 1);
    return true;
  }

  #stripPort(authority: string): string {
    const s = this.cm.settings;
    if (!s.stripAnyHostPort && !s.stripMatchingHostPort) return authority;
    const colon = authority.lastIndexOf(':');
    if (colon < 0 || authority.lastIndexOf(']') > colon) return authority;
    if (s.stripAnyHostPort || authority.slice(colon + 1) === String(this.conn.localPort)) return authority.slice(0, colon);
    return authority;
  }

  /** headers_with_underscores_action: REJECT_REQUEST → 400; DROP_HEADER → dropped. True if it answered. */
  #underscoreHeaders(): boolean {
    const h = this.requestHeaders;
    for (const name in h) {
      if (name.indexOf('_') < 0 || h[name] === undefined) continue;
      if (this.cm.settings.headersWithUnderscoresAction === 'REJECT_REQUEST') {
        this.sendLocalReply(400, '', RESPONSE_FLAGS.DPE, 'unexpected_underscore');
        return true;
      }
      h[name] = undefined;
    }
    return false;
  }

  /**
   * Envoy's upgrade rule: the HCM must list the upgrade type; a route's own upgrade_configs entry
   * for it overrides the HCM's enabled flag.
   */
  #upgradeAllowed(type: string): boolean {
    const hcm = this.cm.settings.upgrades.get(type);
    if (hcm === undefined) return false;
    const action = this.route?.action;
    if (action?.kind === 'route') {
      for (const u of action.config.upgradeConfigs) if (u.upgradeType.toLowerCase() === type) return u.enabled !== false;
    }
    return hcm;
  }

  /** Runs the decode filters from the current position. */
  continueDecoding(): void {
    const filters = this.cm.filters;
    while (this.#filterIndex < filters.length && !this.#ended) {
      const f: HttpFilter = filters[this.#filterIndex++];
      if (f.disabledByDefault && !this.#enabledOnRoute(f.name)) continue;
      if (!f.disabledByDefault && this.#disabledOnRoute(f.name)) continue;
      if (f.decodeHeaders(this) !== FILTER_CONTINUE) return;
    }
  }

  #enabledOnRoute(name: string): boolean {
    const c = this.route?.perFilterConfig[name];
    return c !== undefined && !(c.kind === 'filterConfig' && c.disabled);
  }

  #disabledOnRoute(name: string): boolean {
    const c = this.route?.perFilterConfig[name];
    return c !== undefined && c.kind === 'filterConfig' && c.disabled;
  }

  /** The body to send upstream (null when there is none). */
  requestBody(): Readable | null {
    if (!this.#hasBody) return null;
    let body: Readable | null;
    if (this.#h2 !== undefined) {
      // undici destroys the body it was given when the request ends; an HTTP/2 stream must not
      // be destroyed before its response is sent, so it is piped through a pass-through.
      const pass = new PassThrough();
      this.#h2.pipe(pass);
      body = pass;
    } else body = this.#req ?? null;
    return body !== null && this.#bodyTaps !== undefined ? this.#tee(body, this.#bodyTaps) : body;
  }

  /** The request has a body (a mirror needs a copy of it). */
  get hasRequestBody(): boolean {
    return this.#hasBody;
  }

  /**
   * A mirror's copy of the request body: written as the body streams upstream, never holding it
   * back (a tap that falls more than its highWaterMark behind is destroyed), ended with it.
   */
  addBodyTap(tap: PassThrough): void {
    (this.#bodyTaps ??= []).push(tap);
  }

  #tee(body: Readable, taps: PassThrough[]): Readable {
    this.#bodyTapped = true;
    const tee = new Transform({
      transform(c: Buffer, _enc, done) {
        for (const t of taps) {
          if (t.destroyed) continue;
          if (t.writableLength > t.writableHighWaterMark) t.destroy();
          else t.write(c);
        }
        done(null, c);
      },
      flush(done) {
        for (const t of taps) if (!t.destroyed) t.end();
        done();
      },
    });
    body.on('error', (e: Error) => {
      tee.destroy(e);
      for (const t of taps) t.destroy();
    });
    return body.pipe(tee);
  }

  /** Counts request body bytes forwarded (undici's onBodySent). */
  bodySent(bytes: number): void {
    this.info.bytesReceived += bytes;
    this.activity++;
  }

  /**
   * Writes the response head: encode filters in reverse, the HCM's response headers (server,
   * x-request-id), then the codec. `headers` is the flat list and may be changed in place.
   */
  encodeHeaders(status: number, headers: HeaderList, endStream: boolean, expectTrailers: boolean): void {
    if (this.headersSent || this.#ended) return;
    this.headersSent = true;
    this.activity++;
    const filters = this.cm.encodeFilters;
    for (let i = filters.length - 1; i >= 0; i--) filters[i].encodeHeaders?.(this, headers);
    const s = this.cm.settings;
    switch (s.serverHeaderTransformation) {
      case 'OVERWRITE':
        headerListSet(headers, 'server', s.serverName);
        break;
      case 'APPEND_IF_ABSENT':
        if (!headerListHas(headers, 'server')) headers.push('server', s.serverName);
        break;
      case 'PASS_THROUGH':
        break;
      default:
        assertNever(s.serverHeaderTransformation, 'server header transformation');
    }
    if (s.alwaysSetRequestIdInResponse && this.info.streamId !== undefined) headerListSet(headers, 'x-request-id', this.info.streamId);
    if (s.via !== undefined) {
      const v = headerListGet(headers, 'via');
      headerListSet(headers, 'via', v === undefined ? s.via : `${v},${s.via}`);
    }
    this.info.responseCode = status;
    this.info.responseHeaderList = headers;
    if (this.#res !== undefined) {
      this.#res.writeHead(status, headers);
      if (endStream) this.#endResponse();
    } else if (this.#h2 !== undefined) {
      stripForHttp2(headers);
      const h2 = this.#h2;
      if (h2.destroyed || h2.closed) return;
      if (expectTrailers && !endStream) h2.once('wantTrailers', onWantTrailers);
      h2.respond(headerListToObject(headers, status), { endStream, waitForTrailers: expectTrailers && !endStream });
      if (endStream) this.#ended = true;
    } else if (this.#socket !== undefined) {
      const tunnelled = status === 101 || (this.upgrade === 'connect' && status >= 200 && status < 300);
      if (!tunnelled) headerListSet(headers, 'connection', 'close');
      this.#socket.write(rawResponseHead(status, headers, this.cm.clock.nowMs()));
      if (endStream && !tunnelled) {
        this.#ended = true;
        this.#socket.end();
      }
    }
  }

  /** From now on the response body goes through `t` (set before the response starts). */
  setResponseThrottle(t: ResponseThrottle): void {
    this.#throttle = t;
  }

  /** Writes response body; false = the downstream is full (wait for `onDrain`). */
  encodeData(chunk: Buffer): boolean {
    const t = this.#throttle;
    return t === undefined ? this.writeResponseBody(chunk) : t.write(chunk);
  }

  /** Calls `resume` once more body may be sent. */
  onDrain(resume: () => void): void {
    const t = this.#throttle;
    if (t === undefined) this.onResponseBodyDrain(resume);
    else t.onDrain(resume);
  }

  /** Writes response body to the codec (past any throttle); false = the downstream is full. */
  writeResponseBody(chunk: Buffer): boolean {
    this.info.bytesSent += chunk.length;
    this.activity++;
    if (this.#res !== undefined) return this.#res.write(chunk);
    if (this.#h2 !== undefined) return this.#h2.destroyed ? true : this.#h2.write(chunk);
    if (this.#socket !== undefined) return this.#socket.write(chunk);
    return true;
  }

  /** Calls `resume` once the downstream (the codec) can take more body. */
  onResponseBodyDrain(resume: () => void): void {
    if (this.#res !== undefined) this.#res.once('drain', resume);
    else if (this.#h2 !== undefined) this.#h2.once('drain', resume);
    else this.#socket?.once('drain', resume);
  }

  /** Ends the response, with trailers when there are any. */
  encodeTrailers(trailers: HeaderList | undefined): void {
    if (this.#ended) return;
    this.activity++;
    if (trailers !== undefined && trailers.length > 0) {
      this.#trailers = trailers;
      const t: Record<string, string> = {};
      for (let i = 0; i < trailers.length; i += 2) t[trailers[i]] = trailers[i + 1];
      this.info.responseTrailers = t;
      if (this.#res !== undefined && this.#res.chunkedEncoding) this.#res.addTrailers(t);
    }
    this.#endResponse();
  }

  #endResponse(): void {
    if (this.#ended || this.#ending) return;
    const t = this.#throttle;
    if (t !== undefined) {
      this.#ending = true;
      t.flush(() => {
        this.#ending = false;
        this.#endNow();
      });
      return;
    }
    this.#endNow();
  }

  #endNow(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#res !== undefined) this.#res.end();
    else if (this.#h2 !== undefined) {
      if (!this.#h2.destroyed) this.#h2.end();
    } else this.#socket?.end();
  }

  /** For the router after a 101 / CONNECT 200: the downstream socket, to be piped. */
  tunnelSocket(): Duplex | undefined {
    return this.#socket;
  }

  /** Trailers kept for HTTP/2's wantTrailers. */
  takeTrailers(): HeaderList | undefined {
    const t = this.#trailers;
    this.#trailers = undefined;
    return t;
  }

  /**
   * Answers the request locally (Envoy's sendLocalReply): status, a text body, a response flag
   * and the response code details. After the response has started it can only reset the stream.
   */
  sendLocalReply(status: number, body: string, flags: ResponseFlags, details: string, extra?: HeaderList): void {
    const info = this.info;
    info.responseFlags |= flags;
    info.responseCodeDetails = details;
    if (this.headersSent) {
      this.resetStream(flags, details);
      return;
    }
    const upstream = this.upstream;
    this.upstream = undefined;
    upstream?.cancel();
    info.localReplyBody = body;
    const headers: HeaderList = extra !== undefined ? extra : [];
    const bytes = Buffer.byteLength(body);
    if (bytes > 0) headers.push('content-type', 'text/plain');
    headers.push('content-length', String(bytes));
    // A response before the request is complete ends the connection (HTTP/1), as Envoy does.
    if (!this.requestComplete && this.#res !== undefined) {
      this.cm.stats.downstreamRqResponseBeforeRqComplete.inc();
      headers.push('connection', 'close');
    }
    const withBody = bytes > 0 && this.method !== 'HEAD';
    this.encodeHeaders(status, headers, !withBody, false);
    if (withBody) {
      this.encodeData(Buffer.from(body));
      this.#endResponse();
    }
    if (this.#socket !== undefined && !this.#ended) {
      this.#ended = true;
      this.#socket.end();
    }
  }

  /** Resets the stream (a response that cannot be completed): the client sees a reset. */
  resetStream(flags: ResponseFlags, details: string): void {
    this.info.responseFlags |= flags;
    if (this.info.responseCodeDetails === undefined) this.info.responseCodeDetails = details;
    const upstream = this.upstream;
    this.upstream = undefined;
    upstream?.cancel();
    this.cm.stats.downstreamRqTxReset.inc();
    this.#ended = true;
    if (this.#res !== undefined) this.#res.destroy();
    else if (this.#h2 !== undefined) {
      if (!this.#h2.destroyed) this.#h2.close(NGHTTP2_INTERNAL_ERROR);
    } else this.#socket?.destroy();
  }

  /** Called by the connection manager's sweep when no activity was seen for the idle timeout. */
  idleTimeout(): void {
    this.cm.stats.downstreamRqIdleTimeout.inc();
    if (this.headersSent) this.resetStream(RESPONSE_FLAGS.SI, 'stream_idle_timeout');
    else this.sendLocalReply(408, 'stream timeout', RESPONSE_FLAGS.SI, 'stream_idle_timeout');
  }

  requestTimedOut(): void {
    this.#requestTimer = undefined;
    if (this.requestComplete || this.headersSent) return;
    this.cm.stats.downstreamRqTimeout.inc();
    this.sendLocalReply(408, 'request timeout', 0, 'request_overall_timeout');
  }

  requestEnded(): void {
    if (this.requestComplete) return;
    this.requestComplete = true;
    this.activity++;
    this.info.requestDurationMs = this.cm.clock.monotonicMs() - this.info.startMono;
    if (this.#requestTimer !== undefined) {
      clearTimeout(this.#requestTimer);
      this.#requestTimer = undefined;
    }
    this.upstream?.onRequestComplete();
  }

  /** The downstream closed or the response finished; `clean` when the response was fully sent. */
  finished(clean: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    if (!clean) {
      const upstream = this.upstream;
      this.upstream = undefined;
      if (upstream !== undefined || !this.#ended) {
        this.info.responseFlags |= RESPONSE_FLAGS.DC;
        this.cm.stats.downstreamRqRxReset.inc();
      }
      upstream?.cancel();
    }
    if (this.#requestTimer !== undefined) clearTimeout(this.#requestTimer);
    // Mirrors whose body copy never started (the main request never went upstream) stop here.
    if (this.#bodyTaps !== undefined && !this.#bodyTapped) for (const t of this.#bodyTaps) t.destroy();
    this.cm.completeStream(this);
  }
}

function isChunkedOnly(te: string): boolean {
  return te.length === 7 ? te.toLowerCase() === 'chunked' : te.trim().toLowerCase() === 'chunked';
}

/** An HTTP/1.1 response head written raw on a socket node:http handed over. */
function rawResponseHead(status: number, headers: HeaderList, nowMs: number): string {
  let out = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
  if (status !== 101 && !headerListHas(headers, 'date')) out += `date: ${new Date(nowMs).toUTCString()}\r\n`;
  for (let i = 0; i < headers.length; i += 2) out += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return `${out}\r\n`;
}

function onResponseClose(this: ServerResponse & Emitter): void {
  this[kStream]?.finished(this.writableFinished);
}

function onRequestEnd(this: Emitter): void {
  this[kStream]?.requestEnded();
}

function onH2Close(this: ServerHttp2Stream & Emitter): void {
  this[kStream]?.finished(this.rstCode === 0);
}

function onSocketClose(this: Emitter): void {
  const s = this[kStream];
  // A tunnel that was established ends when either side closes: that is its normal end.
  s?.finished(s.headersSent);
}

function onSocketError(this: Emitter): void {
  // A reset downstream: 'close' follows and finishes the stream.
}

function onWantTrailers(this: ServerHttp2Stream & Emitter): void {
  const t = this[kStream]?.takeTrailers();
  const obj: Record<string, string> = {};
  if (t !== undefined) for (let i = 0; i < t.length; i += 2) obj[t[i]] = t[i + 1];
  this.sendTrailers(obj);
}

function onRequestTimeout(s: HttpStream): void {
  s.requestTimedOut();
}
