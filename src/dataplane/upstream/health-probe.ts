/**
 * One active health check probe against one host: HTTP (method, path, host, headers, expected
 * statuses) or TCP (connect, optionally send bytes and expect bytes back). Resolves with the
 * outcome; never rejects. Probes use their own connections (node:http / node:net), not the
 * cluster's pools, so they never count as traffic or against the circuit breakers.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { HealthCheckPayload, HttpHealthCheck, TcpHealthCheck } from '../../model/index.ts';
import type { UpstreamHost } from './upstream-host.ts';

export type ProbeOutcome = 'healthy' | 'unhealthy' | 'networkFailure' | 'timeout';

function payloadBytes(p: HealthCheckPayload): Buffer {
  // Envoy's `text` payload is hex; `binary` is base64 in JSON.
  return p.kind === 'text' ? Buffer.from(p.text, 'hex') : Buffer.from(p.binary, 'base64');
}

function expected(status: number, c: HttpHealthCheck): boolean {
  if (c.expectedStatuses.length === 0) return status === 200;
  for (const r of c.expectedStatuses) if (status >= r.start && status < r.end) return true;
  return false;
}

export function probeHttp(host: UpstreamHost, c: HttpHealthCheck, authority: string, timeoutMs: number, tls: ConnectionOptions | undefined): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { host: authority, 'user-agent': 'Envoy/HC' };
    for (const h of c.requestHeadersToAdd) headers[h.header.key.toLowerCase()] = h.header.value;
    for (const name of c.requestHeadersToRemove) delete headers[name.toLowerCase()];
    const options = { host: host.address, port: host.port, method: c.method ?? 'GET', path: c.path, headers, agent: false as const };
    let done = false;
    const finish = (o: ProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(o);
    };
    const onResponse = (res: http.IncomingMessage): void => {
      res.resume();
      res.on('end', () => finish(expected(res.statusCode ?? 0, c) ? 'healthy' : 'unhealthy'));
      res.on('error', () => finish('networkFailure'));
    };
    const req = tls !== undefined ? https.request({ ...options, ...tls }, onResponse) : http.request(options, onResponse);
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    req.on('error', () => finish('networkFailure'));
    req.end();
  });
}

export function probeTcp(host: UpstreamHost, c: TcpHealthCheck, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const want = c.receive.map(payloadBytes);
    let got = Buffer.alloc(0);
    let done = false;
    const socket = net.connect(host.port, host.address);
    const finish = (o: ProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('connect', () => {
      if (c.send !== undefined) socket.write(payloadBytes(c.send));
      if (want.length === 0) finish('healthy');
    });
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      // Every expected block, in order, somewhere in what came back (Envoy's fuzzy match).
      let at = 0;
      for (const w of want) {
        const i = got.indexOf(w, at);
        if (i < 0) return;
        at = i + w.length;
      }
      finish('healthy');
    });
    socket.on('error', () => finish('networkFailure'));
    socket.on('close', () => finish('unhealthy'));
  });
}
