/**
 * The Gateway API conformance echo server (`echo-basic`; also the ingress-conformance
 * `echoserver`): every path answers the JSON echo of the request (see echo-document.ts), except
 * `/health` (`OK`) and `/status/NNN` (that status). `?delay=1s` waits first (Go duration, at most
 * a minute here); `X-Echo-Set-Header: Name: value, ...` adds response headers. Listens on
 * `HTTP_PORT` (3000) and `H2C_PORT` (3001), each speaking HTTP/1.1 and h2c.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseGoDuration } from '../../lib/duration.ts';
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { serve } from '../http/serve.ts';
import { echoContext, echoDocument, goJson, type EchoContext } from './echo-document.ts';

const MAX_DELAY_MS = 60_000;

function defaultPorts(env: Readonly<Record<string, string>>): number[] {
  const port = (v: string | undefined, d: number): number => (v && /^\d+$/.test(v) ? Number(v) : d);
  return [port(env.HTTP_PORT, 3000), port(env.H2C_PORT, 3001)];
}

function echoSetHeaders(req: AppRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = req.headers['x-echo-set-header'];
  for (const list of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
    for (const kv of list.split(',')) {
      const trimmed = kv.trim();
      const colon = trimmed.indexOf(':');
      const name = (colon === -1 ? trimmed : trimmed.slice(0, colon)).trim();
      const value = colon === -1 ? '' : trimmed.slice(colon + 1).trim();
      if (name === '') continue;
      out[name.toLowerCase()] = out[name.toLowerCase()] === undefined ? value : `${out[name.toLowerCase()]},${value}`;
    }
  }
  return out;
}

function jsonError(res: AppResponse, status: number, message: string): void {
  res.send(status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }, goJson({ message }));
}

export function createEchoBasicHandler(context: EchoContext): (req: AppRequest, res: AppResponse) => Promise<void> {
  return async (req, res) => {
    const path = req.path.replaceAll('//', '/');
    if (path === '/health') {
      res.send(200, { 'content-type': 'text/plain; charset=utf-8' }, 'OK');
      return;
    }
    if (path.startsWith('/status/')) {
      const m = /^\/status\/(\d\d\d)$/.exec(req.target);
      res.send(m ? Number(m[1]) : 400, {}, '');
      return;
    }
    const delay = req.query.get('delay');
    if (delay) {
      const d = parseGoDuration(delay);
      if (!d.ok) {
        jsonError(res, 500, `time: invalid duration "${delay}"`);
        return;
      }
      await sleep(Math.min(Math.max(d.value, 0), MAX_DELAY_MS));
    }
    const body = goJson(echoDocument(req, context), 1);
    res.send(200, { ...echoSetHeaders(req), 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }, body);
  };
}

export function createEchoBasicApp(repository: string): AppSpec {
  return {
    kind: 'app',
    app: 'echo-basic',
    repository,
    defaultPorts,
    start: (options: AppStartOptions): Promise<RunningApp> =>
      serve({
        host: options.host,
        ports: options.ports.length > 0 ? options.ports : defaultPorts(options.env),
        handler: createEchoBasicHandler(echoContext(options.env, options.podName, options.namespace)),
        protocol: 'http1+h2c',
      }),
  };
}
