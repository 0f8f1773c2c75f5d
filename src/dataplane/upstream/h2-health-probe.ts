/**
 * Active health checks over HTTP/2 (node:http2; h2c in cleartext, ALPN h2 over TLS): the HTTP
 * check with codec_client_type HTTP2, and Envoy's gRPC check, `grpc.health.v1.Health/Check`
 * with the configured service name, healthy only for grpc-status 0 and status SERVING. One
 * session per host, kept between checks with reuse_connection (Envoy's default); a timeout or a
 * broken stream closes it. A reset stream or a failed session is a network failure; any other
 * wrong answer is an active failure.
 */
import http2 from 'node:http2';
import type { GrpcHealthCheck, HttpHealthCheck } from '../../model/index.ts';
import { classifyHttpResponse, HEALTHCHECKED_CLUSTER_HEADER, httpCheckHeaders, type HealthProber, type ProbeOutcome, type ProbeTarget } from './health-probe.ts';

/** grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING. */
const SERVING = 1;
export const GRPC_HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

/** One HTTP/2 session to a host, opened on demand and forgotten when it closes. */
class H2Link {
  readonly #target: ProbeTarget;
  #session: http2.ClientHttp2Session | undefined = undefined;

  constructor(target: ProbeTarget) {
    this.#target = target;
  }

  session(): http2.ClientHttp2Session {
    const s = this.#session;
    if (s !== undefined && !s.closed && !s.destroyed) return s;
    const t = this.#target;
    const host = t.address.includes(':') ? `[${t.address}]` : t.address;
    const next =
      t.tls !== undefined
        ? http2.connect(`https://${host}:${t.port}`, { ...t.tls, ALPNProtocols: ['h2'] } as http2.SecureClientSessionOptions)
        : http2.connect(`http://${host}:${t.port}`);
    next.on('error', () => next.destroy());
    next.on('close', () => {
      if (this.#session === next) this.#session = undefined;
    });
    this.#session = next;
    return next;
  }

  /** After a check: keep the session (unreferenced) or close it. */
  done(keep: boolean): void {
    const s = this.#session;
    if (s === undefined) return;
    if (keep && !s.closed && !s.destroyed) s.unref();
    else this.close();
  }

  close(): void {
    this.#session?.destroy();
    this.#session = undefined;
  }
}

interface H2Answer {
  readonly status: number;
  readonly headers: http2.IncomingHttpHeaders;
  readonly trailers: http2.IncomingHttpHeaders | undefined;
  readonly body: Buffer;
}

/** One request on the link; undefined answer = the stream or session broke, 'timeout' = no answer in time. */
function exchange(link: H2Link, headers: http2.OutgoingHttpHeaders, body: Buffer | undefined, timeoutMs: number): Promise<H2Answer | 'timeout' | undefined> {
  return new Promise((resolve) => {
    let session: http2.ClientHttp2Session;
    let stream: http2.ClientHttp2Stream;
    try {
      session = link.session();
      session.ref();
      stream = session.request(headers, { endStream: body === undefined });
    } catch {
      resolve(undefined);
      return;
    }
    let status = 0;
    let responseHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (a: H2Answer | 'timeout' | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (a === undefined || a === 'timeout') {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        link.close();
      }
      resolve(a);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    stream.on('response', (h) => {
      status = Number(h[':status'] ?? 0);
      responseHeaders = h;
    });
    stream.on('trailers', (h) => (trailers = h));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => finish(status === 0 ? undefined : { status, headers: responseHeaders, trailers, body: Buffer.concat(chunks) }));
    stream.on('error', () => finish(undefined));
    stream.on('close', () => finish(status === 0 ? undefined : { status, headers: responseHeaders, trailers, body: Buffer.concat(chunks) }));
    if (body !== undefined) stream.end(body);
  });
}

function outcomeOf(a: H2Answer | 'timeout' | undefined): ProbeOutcome | undefined {
  if (a === undefined) return 'networkFailure';
  if (a === 'timeout') return 'timeout';
  return undefined;
}

/** The HTTP check over HTTP/2 (codec_client_type HTTP2). */
export class Http2Prober implements HealthProber {
  readonly #target: ProbeTarget;
  readonly #config: HttpHealthCheck;
  readonly #verify: ((v: string) => boolean) | undefined;
  readonly #link: H2Link;

  constructor(target: ProbeTarget, config: HttpHealthCheck, verify: ((v: string) => boolean) | undefined) {
    this.#target = target;
    this.#config = config;
    this.#verify = verify;
    this.#link = new H2Link(target);
  }

  async probe(timeoutMs: number): Promise<ProbeOutcome> {
    const c = this.#config;
    const { host, ...rest } = httpCheckHeaders(c, this.#target.authority);
    const headers: http2.OutgoingHttpHeaders = { ...rest, ':method': c.method ?? 'GET', ':path': c.path, ':authority': host };
    if (this.#target.tls !== undefined) headers[':scheme'] = 'https';
    const a = await exchange(this.#link, headers, undefined, timeoutMs);
    const failed = outcomeOf(a);
    if (failed !== undefined) return failed;
    const answer = a as H2Answer;
    this.#link.done(this.#target.reuseConnection);
    const v = answer.headers[HEALTHCHECKED_CLUSTER_HEADER];
    return classifyHttpResponse(answer.status, typeof v === 'string' ? v : undefined, c, this.#verify);
  }

  close(): void {
    this.#link.close();
  }
}

/** grpc.health.v1.HealthCheckRequest { string service = 1; } in one gRPC frame. */
export function encodeHealthCheckRequest(service: string | undefined): Buffer {
  const name = Buffer.from(service ?? '', 'utf8');
  const msg = name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]);
  const frame = Buffer.alloc(5 + msg.length);
  frame.writeUInt32BE(msg.length, 1);
  msg.copy(frame, 5);
  return frame;
}

/** The `status` of the first grpc.health.v1.HealthCheckResponse frame, or undefined when malformed or compressed. */
export function decodeHealthCheckStatus(body: Buffer): number | undefined {
  if (body.length < 5 || body[0] !== 0) return undefined;
  const len = body.readUInt32BE(1);
  if (body.length < 5 + len) return undefined;
  const msg = body.subarray(5, 5 + len);
  let status = 0;
  let i = 0;
  while (i < msg.length) {
    const [tag, afterTag] = readVarint(msg, i);
    if (afterTag < 0) return undefined;
    i = afterTag;
    const wire = tag & 7;
    if (wire === 0) {
      const [value, next] = readVarint(msg, i);
      if (next < 0) return undefined;
      if (tag >>> 3 === 1) status = value;
      i = next;
    } else if (wire === 2) {
      const [n, next] = readVarint(msg, i);
      if (next < 0) return undefined;
      i = next + n;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else return undefined;
  }
  return i === msg.length ? status : undefined;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

/** [value, next index]; next -1 when the buffer ends inside the varint. */
function readVarint(b: Buffer, at: number): [number, number] {
  let value = 0;
  let mul = 1;
  for (let i = at; i < b.length && i < at + 10; i++) {
    value += (b[i] & 0x7f) * mul;
    if ((b[i] & 0x80) === 0) return [value, i + 1];
    mul *= 128;
  }
  return [0, -1];
}

/** Envoy's GrpcHealthCheckerImpl. */
export class GrpcProber implements HealthProber {
  readonly #target: ProbeTarget;
  readonly #request: Buffer;
  readonly #authority: string;
  readonly #link: H2Link;

  constructor(target: ProbeTarget, config: GrpcHealthCheck) {
    this.#target = target;
    this.#request = encodeHealthCheckRequest(config.serviceName);
    this.#authority = config.authority ?? target.authority;
    this.#link = new H2Link(target);
  }

  async probe(timeoutMs: number): Promise<ProbeOutcome> {
    const headers: http2.OutgoingHttpHeaders = {
      ':method': 'POST',
      ':path': GRPC_HEALTH_CHECK_PATH,
      ':authority': this.#authority,
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': 'Envoy/HC',
    };
    if (this.#target.tls !== undefined) headers[':scheme'] = 'https';
    const a = await exchange(this.#link, headers, this.#request, timeoutMs);
    const failed = outcomeOf(a);
    if (failed !== undefined) return failed;
    const answer = a as H2Answer;
    this.#link.done(this.#target.reuseConnection);
    if (answer.status !== 200) return 'unhealthy';
    // A trailers-only answer carries grpc-status in its headers.
    const grpcStatus = answer.trailers?.['grpc-status'] ?? answer.headers['grpc-status'];
    if (grpcStatus !== '0') return 'unhealthy';
    return decodeHealthCheckStatus(answer.body) === SERVING ? 'healthy' : 'unhealthy';
  }

  close(): void {
    this.#link.close();
  }
}
