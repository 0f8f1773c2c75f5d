/**
 * fortio's server (`fortio server`, the image's default command): every path echoes the request
 * body back, shaped by the query (`status`, `delay`, `size`, `close`, `header`; see
 * echo-params.ts), as the circuit-breaker tutorials use it; `/debug` prints fortio's plain-text
 * debug echo of the request; `/fortio/` a minimal UI page. HTTP/1.1 and h2c on the same port, as
 * fortio's server does. Listens on 8080.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { formatGoDuration } from '../../lib/duration.ts';
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { canonicalHeaderKey } from '../http/go-header.ts';
import { serve } from '../http/serve.ts';
import { FORTIO_VERSION } from './version.ts';
import { DEFAULT_ROLL, echoChance, echoDelay, echoSize, echoStatus, MAX_PAYLOAD_SIZE, type Roll } from './echo-params.ts';

const DEFAULT_PORT = 8080;
const BODY_LIMIT = MAX_PAYLOAD_SIZE;

/** fortio's payload: printable bytes, the same on every run. */
const PAYLOAD = Buffer.from(Array.from({ length: MAX_PAYLOAD_SIZE }, (_, i) => 33 + ((i * 7919) % 94)));

/** fortio's DebugSummary: the body escaped, or its length and both ends when longer than `max`. */
export function debugSummary(body: Buffer, max: number): string {
  const esc = (b: Buffer): string => JSON.stringify(b.toString('latin1')).slice(1, -1);
  if (body.length <= max + 3) return esc(body);
  const half = Math.floor(max / 2);
  return `${body.length}: ${esc(body.subarray(0, half))}...${esc(body.subarray(body.length - half))}`;
}

export interface DebugContext {
  readonly hostname: string;
  readonly startedAt: number;
  readonly now: () => number;
}

export function debugText(req: AppRequest, body: Buffer, ctx: DebugContext): string {
  const uptime = formatGoDuration(Math.round((ctx.now() - ctx.startedAt) / 100) * 100);
  const lines = [
    `Φορτίο version ${FORTIO_VERSION} echo debug server up for ${uptime} on ${ctx.hostname} - request from ${req.remoteAddress}:${req.remotePort}`,
    '',
    `${req.method} ${req.target} HTTP/${req.httpVersion}`,
    '',
    'headers:',
    '',
    `Host: ${req.authority}`,
  ];
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const key = canonicalHeaderKey(req.rawHeaders[i]);
    if (key !== 'Host') headers.set(key, [...(headers.get(key) ?? []), req.rawHeaders[i + 1]]);
  }
  for (const key of [...headers.keys()].sort()) lines.push(`${key}: ${headers.get(key)!.join(',')}`);
  return `${lines.join('\n')}\n\nbody:\n\n${debugSummary(body, 512)}\n`;
}

async function echo(req: AppRequest, res: AppResponse, body: Buffer, roll: Roll): Promise<void> {
  const q = req.query;
  const delay = echoDelay(q.get('delay') ?? '', roll);
  if (delay > 0) await sleep(delay);
  const status = q.has('status') ? echoStatus(q.get('status') ?? '', roll) : 200;
  const headers: Record<string, string | string[]> = {};
  if (echoChance(q.get('close') ?? '', roll)) headers.connection = 'close';
  for (const h of q.getAll('header')) {
    const colon = h.indexOf(':');
    if (colon <= 0) continue;
    const name = h.slice(0, colon).toLowerCase();
    const prev = headers[name];
    headers[name] = prev === undefined ? h.slice(colon + 1) : [...(Array.isArray(prev) ? prev : [prev]), h.slice(colon + 1)];
  }
  const size = echoSize(q.get('size') ?? '', roll);
  if (size >= 0) {
    res.send(status, { ...headers, 'content-type': 'application/octet-stream' }, PAYLOAD.subarray(0, size));
    return;
  }
  if (typeof req.headers['content-type'] === 'string') headers['content-type'] = req.headers['content-type'];
  res.send(status, headers, body);
}

const UI_PAGE = `<!DOCTYPE html>
<html><head><title>Φορτίο</title></head>
<body><h1>Φορτίο (fortio) version ${FORTIO_VERSION}</h1>
<p>Echo server running in weft. Load generation: <code>weft load</code> or <code>fortio load</code> through <code>weft exec</code>.</p>
<p><a href="../debug">debug echo</a></p>
</body></html>
`;

export function createFortioHandler(ctx: DebugContext, roll: Roll = DEFAULT_ROLL): (req: AppRequest, res: AppResponse) => Promise<void> {
  return async (req, res) => {
    let body: Buffer;
    try {
      body = await req.readBody(BODY_LIMIT);
    } catch (e) {
      res.send(500, { 'content-type': 'text/plain; charset=utf-8' }, `${(e as Error).message}\n`);
      return;
    }
    if (req.path === '/debug') res.send(200, { 'content-type': 'text/plain; charset=UTF-8' }, debugText(req, body, ctx));
    else if (req.path === '/fortio' || req.path === '/fortio/') res.send(200, { 'content-type': 'text/html; charset=UTF-8' }, UI_PAGE);
    else await echo(req, res, body, roll);
  };
}

export function createFortioServerApp(repository: string): AppSpec {
  return {
    kind: 'app',
    app: 'fortio-server',
    repository,
    defaultPorts: () => [DEFAULT_PORT],
    start: (options: AppStartOptions): Promise<RunningApp> =>
      serve({
        host: options.host,
        ports: options.ports.length > 0 ? options.ports : [DEFAULT_PORT],
        handler: createFortioHandler({ hostname: options.env.HOSTNAME || options.podName, startedAt: Date.now(), now: Date.now }),
        protocol: 'http1+h2c',
      }),
  };
}
