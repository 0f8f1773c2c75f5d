/**
 * Active health check probes against one host, one object per host and check (Envoy's
 * ActiveHealthCheckSession transport side): HTTP/1.1 (method, path, host, headers, expected and
 * retriable statuses, service_name_matcher against `x-envoy-upstream-healthchecked-cluster`) and
 * TCP (connect, optionally send bytes and expect bytes back); HTTP/2 and gRPC are in
 * h2-health-probe.ts. A probe resolves with its outcome and never rejects. Probers use their own
 * connections (node:http / node:net), never the cluster's pools, so checks are neither traffic
 * nor counted by the circuit breakers. With reuse_connection (Envoy's default) the connection
 * stays open between checks; a timed-out or failed check closes it.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { HealthCheckPayload, HttpHealthCheck, Int64Range, TcpHealthCheck } from '../../model/index.ts';

/**
 * healthy; unhealthy = an active failure (an unexpected status: the host is marked at once);
 * retriable = a retriable status (counts toward unhealthy_threshold); networkFailure (connect
 * refused, reset, closed: counts toward the threshold); timeout (likewise).
 */
export type ProbeOutcome = 'healthy' | 'unhealthy' | 'retriable' | 'networkFailure' | 'timeout';

export interface HealthProber {
  probe(timeoutMs: number): Promise<ProbeOutcome>;
  /** Closes the kept connection, if any; a probe in flight ends as a network failure. */
  close(): void;
}

/** Where and how a prober connects. */
export interface ProbeTarget {
  readonly address: string;
  readonly port: number;
  readonly tls: ConnectionOptions | undefined;
  /** `:authority` of HTTP and gRPC checks (the check's host, else the cluster name). */
  readonly authority: string;
  readonly reuseConnection: boolean;
}

/** The response header Envoy's service_name_matcher reads. */
export const HEALTHCHECKED_CLUSTER_HEADER = 'x-envoy-upstream-healthchecked-cluster';

export function payloadBytes(p: HealthCheckPayload): Buffer {
  // Envoy's `text` payload is hex; `binary` is base64 in JSON.
  return p.kind === 'text' ? Buffer.from(p.text, 'hex') : Buffer.from(p.binary, 'base64');
}

function inRanges(status: number, ranges: readonly Int64Range[]): boolean {
  for (const r of ranges) if (status >= r.start && status < r.end) return true;
  return false;
}

/** The outcome of an HTTP check's response (Envoy's HttpActiveHealthCheckSession::healthCheckResult). */
export function classifyHttpResponse(status: number, clusterHeader: string | undefined, c: HttpHealthCheck, verify: ((v: string) => boolean) | undefined): ProbeOutcome {
  const ok = c.expectedStatuses.length === 0 ? status === 200 : inRanges(status, c.expectedStatuses);
  if (!ok) return inRanges(status, c.retriableStatuses) ? 'retriable' : 'unhealthy';
  if (verify !== undefined) return verify(clusterHeader ?? '') ? 'healthy' : 'unhealthy';
  return 'healthy';
}

/** The request headers of an HTTP check (host first, user-agent Envoy/HC, then the configured ones). */
export function httpCheckHeaders(c: HttpHealthCheck, authority: string): Record<string, string> {
  const headers: Record<string, string> = { host: authority, 'user-agent': 'Envoy/HC' };
  for (const h of c.requestHeadersToAdd) headers[h.header.key.toLowerCase()] = h.header.value;
  for (const name of c.requestHeadersToRemove) delete headers[name.toLowerCase()];
  return headers;
}

export class Http1Prober implements HealthProber {
  readonly #target: ProbeTarget;
  readonly #config: HttpHealthCheck;
  readonly #verify: ((v: string) => boolean) | undefined;
  readonly #agent: http.Agent | undefined;

  constructor(target: ProbeTarget, config: HttpHealthCheck, verify: ((v: string) => boolean) | undefined) {
    this.#target = target;
    this.#config = config;
    this.#verify = verify;
    if (target.reuseConnection) {
      this.#agent = target.tls !== undefined ? new https.Agent({ keepAlive: true, maxSockets: 1, ...target.tls }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
    }
  }

  probe(timeoutMs: number): Promise<ProbeOutcome> {
    const t = this.#target;
    const c = this.#config;
    return new Promise((resolve) => {
      const headers = httpCheckHeaders(c, t.authority);
      if (this.#agent === undefined) headers.connection = 'close';
      const options = { host: t.address, port: t.port, method: c.method ?? 'GET', path: c.path, headers, agent: this.#agent ?? false };
      let done = false;
      const finish = (o: ProbeOutcome, closeConnection: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (closeConnection) req.destroy();
        resolve(o);
      };
      const onResponse = (res: http.IncomingMessage): void => {
        const status = res.statusCode ?? 0;
        const header = res.headers[HEALTHCHECKED_CLUSTER_HEADER];
        res.on('end', () => finish(classifyHttpResponse(status, typeof header === 'string' ? header : undefined, c, this.#verify), false));
        res.on('error', () => finish('networkFailure', true));
        res.resume();
      };
      const req = t.tls !== undefined && this.#agent === undefined ? https.request({ ...options, ...t.tls }, onResponse) : (t.tls !== undefined ? https : http).request(options, onResponse);
      const timer = setTimeout(() => finish('timeout', true), timeoutMs);
      req.on('error', () => finish('networkFailure', true));
      req.end();
    });
  }

  close(): void {
    this.#agent?.destroy();
  }
}

/**
 * Envoy's TcpHealthChecker: connect; send the payload; healthy once every expected block has
 * come back, in order (a fuzzy match over what arrived during this check). Without expected
 * blocks a check only connects, and the connection is closed after it. A close during a check
 * is a network failure.
 */
export class TcpProber implements HealthProber {
  readonly #target: ProbeTarget;
  readonly #send: Buffer | undefined;
  readonly #want: readonly Buffer[];
  #socket: net.Socket | undefined = undefined;
  #connected = false;

  constructor(target: ProbeTarget, config: TcpHealthCheck) {
    this.#target = target;
    this.#send = config.send === undefined ? undefined : payloadBytes(config.send);
    this.#want = config.receive.map(payloadBytes);
  }

  probe(timeoutMs: number): Promise<ProbeOutcome> {
    return new Promise((resolve) => {
      let socket = this.#socket;
      const fresh = socket === undefined || socket.destroyed;
      if (fresh) {
        socket = net.connect({ host: this.#target.address, port: this.#target.port, noDelay: true });
        this.#socket = socket;
        this.#connected = false;
        socket.on('error', () => socket?.destroy());
        socket.on('close', () => {
          if (this.#socket === socket) this.#socket = undefined;
        });
      }
      const s = socket as net.Socket;
      s.ref();
      let got: Buffer = Buffer.alloc(0);
      let done = false;
      const finish = (o: ProbeOutcome): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        s.off('data', onData);
        s.off('close', onClose);
        s.off('connect', onConnect);
        if (o !== 'healthy' || !this.#target.reuseConnection || this.#want.length === 0) s.destroy();
        else s.unref();
        resolve(o);
      };
      const onConnect = (): void => {
        this.#connected = true;
        if (this.#want.length === 0) finish('healthy');
        else if (this.#send !== undefined) s.write(this.#send);
      };
      const onData = (chunk: Buffer): void => {
        got = got.length === 0 ? chunk : Buffer.concat([got, chunk]);
        let at = 0;
        for (const w of this.#want) {
          const i = got.indexOf(w, at);
          if (i < 0) return;
          at = i + w.length;
        }
        finish('healthy');
      };
      const onClose = (): void => finish('networkFailure');
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      s.on('data', onData);
      s.on('close', onClose);
      if (!fresh && this.#connected) onConnect();
      else s.once('connect', onConnect);
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }
}
