/**
 * Fake upstreams for data-plane tests, all on 127.0.0.1 port 0. The HTTP upstream records every
 * request it receives (so a test can assert that nothing reached it) and misbehaves on request by
 * path:
 *
 *   (any)            200, JSON {upstream, method, url, headers, bodyBytes} after reading the body
 *   /status/NNN      that status, same JSON
 *   /bytes/N         N bytes of `x`, streamed with backpressure
 *   /trailers        a chunked body followed by the trailer `x-upstream-trailer: done`
 *   /close-mid       response headers and part of the body, then the connection is destroyed
 *   /reset           the connection is destroyed before any response byte
 *   /hang, …/hang    never answers (the socket stays open)
 *   /delay/MS        answers after MS milliseconds
 *
 * A request with `upgrade: websocket` gets a real WebSocket echo (RFC 6455 framing); CONNECT
 * gets `200` and an echo of the tunnelled bytes. Also: a TLS echo server (for passthrough), a TCP
 * echo server, and a port on which nothing listens.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly headers: http.IncomingHttpHeaders;
  bodyBytes: number;
}

export interface Upstream {
  readonly name: string;
  readonly port: number;
  /** `127.0.0.1:port`. */
  readonly address: string;
  /** Requests that reached the handler (headers complete). */
  readonly requests: RecordedRequest[];
  /** TCP connections accepted. */
  connections: number;
  /** Resolves with the first request (already seen or coming) that matches. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** Requests seen by one upstream, with waiters for the next ones. */
class RequestLog {
  readonly list: RecordedRequest[] = [];
  readonly #waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];

  push(r: RecordedRequest): void {
    this.list.push(r);
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      if (this.#waiters[i].match(r)) this.#waiters.splice(i, 1)[0].resolve(r);
    }
  }

  waitFor(match: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const have = this.list.find(match);
    if (have !== undefined) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the upstream saw no matching request')), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }
}

class FakeUpstream implements Upstream {
  port = 0;
  address = '';
  connections = 0;
  readonly requests: RecordedRequest[];
  readonly close: () => Promise<void>;
  readonly #log: RequestLog;

  constructor(
    readonly name: string,
    server: net.Server,
    sockets: Set<Duplex>,
    log: RequestLog,
  ) {
    this.#log = log;
    this.requests = log.list;
    this.close = closer(server, sockets);
  }

  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest> {
    return this.#log.waitFor(match, timeoutMs);
  }
}

function newUpstream(name: string, server: net.Server, sockets: Set<Duplex>, log: RequestLog): FakeUpstream {
  return new FakeUpstream(name, server, sockets, log);
}

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

function respondJson(name: string, req: Req, res: Res, rec: RecordedRequest, status: number): void {
  const body = JSON.stringify({ upstream: name, method: rec.method, url: rec.url, httpVersion: rec.httpVersion, headers: rec.headers, bodyBytes: rec.bodyBytes });
  res.writeHead(status, { 'content-type': 'application/json', 'x-upstream': name, server: 'test-upstream', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function streamBytes(res: Res, total: number): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
  const chunk = Buffer.alloc(Math.min(64 * 1024, Math.max(total, 1)), 'x');
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      const ok = (res as http.ServerResponse).write(n === chunk.length ? chunk : chunk.subarray(0, n));
      if (!ok) {
        (res as http.ServerResponse).once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

function handle(name: string, requests: RequestLog, req: Req, res: Res): void {
  const rec: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', httpVersion: req.httpVersion, headers: { ...req.headers }, bodyBytes: 0 };
  requests.push(rec);
  const url = rec.url;
  const socket = req.socket as net.Socket;
  if (url === '/reset') {
    socket.destroy();
    return;
  }
  if (url === '/hang' || url.endsWith('/hang')) return;
  if (url === '/close-mid') {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
    (res as http.ServerResponse).write('partial body', () => socket.destroy());
    return;
  }
  req.on('data', (c: Buffer) => (rec.bodyBytes += c.length));
  req.on('end', () => {
    let m: RegExpExecArray | null;
    if ((m = /^\/status\/(\d{3})/.exec(url))) respondJson(name, req, res, rec, Number(m[1]));
    else if ((m = /^\/bytes\/(\d+)/.exec(url))) streamBytes(res, Number(m[1]));
    else if ((m = /^\/delay\/(\d+)/.exec(url))) setTimeout(() => respondJson(name, req, res, rec, 200), Number(m[1]));
    else if (url === '/trailers') {
      res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-upstream-trailer' });
      (res as http.ServerResponse).write('body-with-trailers');
      res.addTrailers({ 'x-upstream-trailer': 'done' });
      res.end();
    } else respondJson(name, req, res, rec, 200);
  });
}

/** RFC 6455 echo: unmasks each client frame and sends it back unmasked (close frames too). */
export function websocketEcho(socket: Duplex, head: Buffer): void {
  let buf = head;
  socket.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const b0 = buf[0];
      const masked = (buf[1] & 0x80) !== 0;
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      const maskOff = off;
      if (masked) off += 4;
      if (buf.length < off + len) return;
      const payload = Buffer.from(buf.subarray(off, off + len));
      if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[maskOff + (i & 3)];
      buf = buf.subarray(off + len);
      const header = len < 126 ? Buffer.from([b0, len]) : len < 65536 ? Buffer.from([b0, 126, len >> 8, len & 255]) : Buffer.concat([Buffer.from([b0, 127]), bigLen(len)]);
      socket.write(Buffer.concat([header, payload]));
      if ((b0 & 0x0f) === 8) {
        socket.end();
        return;
      }
    }
  });
  socket.on('error', () => socket.destroy());
}

function bigLen(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

function acceptUpgrade(name: string, requests: RequestLog, req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  requests.push({ method: req.method ?? '', url: req.url ?? '', httpVersion: req.httpVersion, headers: { ...req.headers }, bodyBytes: 0 });
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\nx-upstream: ${name}\r\n\r\n`);
  websocketEcho(socket, head);
}

function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<Duplex>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: net.Server, up: { connections: number }, sockets: Set<Duplex>): void {
  server.on('connection', (s: net.Socket) => {
    up.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
}

/** An HTTP/1.1 upstream (see the file comment for its paths). */
export async function startHttpUpstream(name = 'upstream', host = '127.0.0.1'): Promise<Upstream> {
  const requests = new RequestLog();
  const sockets = new Set<Duplex>();
  const server = http.createServer((req, res) => handle(name, requests, req, res));
  server.keepAliveTimeout = 60_000;
  server.on('upgrade', (req, socket, head) => acceptUpgrade(name, requests, req, socket, head));
  server.on('connect', (req, socket, head) => {
    requests.push({ method: 'CONNECT', url: req.url ?? '', httpVersion: req.httpVersion, headers: { ...req.headers }, bodyBytes: 0 });
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.write(head);
    socket.pipe(socket);
    socket.on('error', () => socket.destroy());
  });
  const up = newUpstream(name, server, sockets, requests);
  track(server, up, sockets);
  up.port = await listen(server, host);
  up.address = `${host}:${up.port}`;
  return up;
}

/** A cleartext HTTP/2 (h2c, prior knowledge) upstream with the same paths. */
export async function startH2cUpstream(name = 'h2-upstream'): Promise<Upstream> {
  const requests = new RequestLog();
  const sockets = new Set<Duplex>();
  const server = http2.createServer({}, (req, res) => handle(name, requests, req, res));
  const up = newUpstream(name, server, sockets, requests);
  track(server, up, sockets);
  up.port = await listen(server);
  up.address = `127.0.0.1:${up.port}`;
  return up;
}

/** An HTTPS upstream speaking h2 and http/1.1 by ALPN. */
export async function startHttpsUpstream(name: string, cert: { certPem: string; keyPem: string }): Promise<Upstream> {
  const requests = new RequestLog();
  const sockets = new Set<Duplex>();
  const server = http2.createSecureServer({ cert: cert.certPem, key: cert.keyPem, allowHTTP1: true }, (req, res) => handle(name, requests, req, res));
  const up = newUpstream(name, server, sockets, requests);
  track(server, up, sockets);
  up.port = await listen(server);
  up.address = `127.0.0.1:${up.port}`;
  return up;
}

/**
 * A TLS server that greets with `hello from <name> sni=<servername>\n`, then echoes every byte
 * (the end of a TLS passthrough).
 */
export async function startTlsEchoUpstream(name: string, cert: { certPem: string; keyPem: string }): Promise<Upstream> {
  const sockets = new Set<Duplex>();
  const server = tls.createServer({ cert: cert.certPem, key: cert.keyPem }, (s) => {
    s.write(`hello from ${name} sni=${s.servername || ''}\n`);
    s.pipe(s);
    s.on('error', () => s.destroy());
  });
  const up = newUpstream(name, server, sockets, new RequestLog());
  track(server, up, sockets);
  up.port = await listen(server);
  up.address = `127.0.0.1:${up.port}`;
  return up;
}

/** A plain TCP server that greets with `hello from <name>\n`, then echoes. */
export async function startTcpEchoUpstream(name: string): Promise<Upstream> {
  const sockets = new Set<Duplex>();
  const server = net.createServer((s) => {
    s.write(`hello from ${name}\n`);
    s.pipe(s);
    s.on('error', () => s.destroy());
  });
  const up = newUpstream(name, server, sockets, new RequestLog());
  track(server, up, sockets);
  up.port = await listen(server);
  up.address = `127.0.0.1:${up.port}`;
  return up;
}

/** A port on 127.0.0.1 where nothing listens (bound, then closed). */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---- Snapshot pieces pointing at the fake upstreams (data-plane tests build snapshots directly) ----

import type {
  Cluster,
  FilterChain,
  HttpConnectionManager,
  Listener,
  Route,
  RouteAction,
  Snapshot,
  SnapshotResources,
} from '../../src/model/index.ts';
import {
  buildSnapshot,
  hcmFilter,
  newCluster,
  newFilterChain,
  newHttpConnectionManager,
  newListener,
  newLoadAssignment,
  newRoute,
  newRouteConfiguration,
  newVirtualHost,
  toCluster,
} from '../../src/model/index.ts';

/** A STATIC cluster over `host:port` addresses (optionally weighted). */
export function staticCluster(name: string, hosts: readonly (string | { address: string; weight?: number })[], extra: Partial<Cluster> = {}): Cluster {
  return newCluster({ name, type: 'STATIC', loadAssignment: newLoadAssignment(name, hosts), ...extra });
}

/** A route on a path prefix to one cluster. */
export function prefixRoute(prefix: string, cluster: string, action: Partial<RouteAction> = {}, extra: Partial<Route> = {}): Route {
  return newRoute({ match: { pathSpecifier: { kind: 'prefix', prefix }, headers: [], queryParameters: [] }, action: toCluster(cluster, action), ...extra });
}

/** An HCM with an inline route configuration of one `*` virtual host holding `routes`. */
export function inlineHcm(routes: readonly Route[], extra: Partial<HttpConnectionManager> = {}): HttpConnectionManager {
  return newHttpConnectionManager({
    statPrefix: 'ingress_http',
    routeSpecifier: { kind: 'routeConfig', routeConfig: newRouteConfiguration({ name: 'local_route', virtualHosts: [newVirtualHost({ name: 'all', domains: ['*'], routes: [...routes] })] }) },
    ...extra,
  });
}

/** A listener on `ip` (127.0.0.1) and `port` (0) with one filter chain holding `hcm`. */
export function httpListener(name: string, hcm: HttpConnectionManager, extra: Partial<Omit<Listener, 'address'>> & { port?: number; ip?: string; chain?: Partial<FilterChain> } = {}): Listener {
  const { port, ip, chain, ...rest } = extra;
  return newListener({
    name,
    address: { kind: 'socketAddress', address: ip ?? '127.0.0.1', portValue: port ?? 0 },
    filterChains: [newFilterChain({ filters: [hcmFilter(hcm)], ...chain })],
    ...rest,
  });
}

/** buildSnapshot, failing the test on diagnostics. */
export function snapshotOf(resources: SnapshotResources, version = '1'): Snapshot {
  const r = buildSnapshot(resources, version);
  if (!r.ok) throw new Error(`snapshot rejected: ${JSON.stringify(r.error, null, 2)}`);
  return r.value;
}

/** An access log sink that keeps lines in memory and lets a test wait for one. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly #waiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = [];

  write(line: string): void {
    this.lines.push(line);
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const w = this.#waiters[i];
      if (w.match(line)) {
        this.#waiters.splice(i, 1);
        w.resolve(line);
      }
    }
  }

  /** The first line (already written or coming) that matches, within `timeoutMs`. */
  waitFor(match: (line: string) => boolean, timeoutMs = 5000): Promise<string> {
    const have = this.lines.find(match);
    if (have !== undefined) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no access log line matched; lines:\n${this.lines.join('')}`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }
}

/** A counter's or gauge's current value in a data plane's stats (0 when it does not exist yet). */
export function counter(dp: { readonly stats: { get(name: string): { kind: string; value?: number } | undefined } }, name: string): number {
  const m = dp.stats.get(name);
  return m !== undefined && (m.kind === 'counter' || m.kind === 'gauge') ? (m.value ?? 0) : 0;
}
