/**
 * httpbin's common endpoints, in two flavours: `python` (kennethreitz/httpbin, kong/httpbin: header
 * and query values are strings, JSON indented and key-sorted, port 80) and `go`
 * (mccutchen/go-httpbin: values are lists, port 8080 or `PORT`). Endpoints: `/get`, `/post`,
 * `/put`, `/patch`, `/delete`, `/anything[/...]`, `/headers`, `/ip`, `/user-agent`, `/uuid`,
 * `/status/{codes}` (a comma list picks one at random), `/delay/{n}` (at most 10 s),
 * `/bytes/{n}` (at most 100 KiB), and `/`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { serve } from '../http/serve.ts';
import { canonicalHeaderKey } from '../http/go-header.ts';

export type HttpbinFlavor = 'python' | 'go';

const MAX_DELAY_S = 10;
const MAX_BYTES = 100 * 1024;
const BODY_LIMIT = 1024 * 1024;
const BODY_METHODS: Readonly<Record<string, string>> = { '/post': 'POST', '/put': 'PUT', '/patch': 'PATCH', '/delete': 'DELETE' };

function defaultPorts(flavor: HttpbinFlavor, env: Readonly<Record<string, string>>): number[] {
  if (flavor === 'go') return [env.PORT && /^\d+$/.test(env.PORT) ? Number(env.PORT) : 8080];
  return [80];
}

class HttpbinView {
  constructor(
    readonly flavor: HttpbinFlavor,
    readonly req: AppRequest,
  ) {}

  headers(): Record<string, string | string[]> {
    const out: Record<string, string[]> = {};
    for (let i = 0; i + 1 < this.req.rawHeaders.length; i += 2) (out[canonicalHeaderKey(this.req.rawHeaders[i])] ??= []).push(this.req.rawHeaders[i + 1]);
    return this.flavor === 'go' ? out : Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join(',')]));
  }

  args(): Record<string, string | string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of this.req.query) (out[k] ??= []).push(v);
    return this.flavor === 'go' ? out : Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
  }

  origin(): string {
    const xff = this.req.headers['x-forwarded-for'];
    return typeof xff === 'string' && xff !== '' ? xff : this.req.remoteAddress;
  }

  url(): string {
    const proto = this.req.headers['x-forwarded-proto'];
    return `${typeof proto === 'string' ? proto : 'http'}://${this.req.authority}${this.req.target}`;
  }

  async withBody(method: boolean): Promise<Record<string, unknown>> {
    const raw = (await this.req.readBody(BODY_LIMIT)).toString('utf8');
    const type = String(this.req.headers['content-type'] ?? '');
    let json: unknown = null;
    if (type.includes('json')) {
      try {
        json = JSON.parse(raw);
      } catch {
        json = null;
      }
    }
    const isForm = type.startsWith('application/x-www-form-urlencoded');
    const form = isForm ? Object.fromEntries(new URLSearchParams(raw)) : {};
    const doc: Record<string, unknown> = { args: this.args(), data: isForm ? '' : raw, files: {}, form, headers: this.headers(), json };
    if (method) doc.method = this.req.method;
    return { ...doc, origin: this.origin(), url: this.url() };
  }
}

function sendJson(flavor: HttpbinFlavor, res: AppResponse, value: unknown, status = 200): void {
  const body = flavor === 'python' ? `${JSON.stringify(sortKeys(value), null, 2)}\n` : `${JSON.stringify(value)}\n`;
  res.send(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }, body);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

function pickStatus(codes: string): number | undefined {
  const list = codes.split(',').map((c) => c.trim());
  if (list.some((c) => !/^\d{3}$/.test(c))) return undefined;
  return Number(list[Math.floor(Math.random() * list.length)]);
}

export function createHttpbinHandler(flavor: HttpbinFlavor): (req: AppRequest, res: AppResponse) => Promise<void> {
  return async (req, res) => {
    const view = new HttpbinView(flavor, req);
    const { path, method } = req;
    const json = (value: unknown, status = 200): void => sendJson(flavor, res, value, status);
    const only = (m: string): boolean => {
      if (method === m || (m === 'GET' && method === 'HEAD')) return true;
      res.send(405, { 'content-type': 'text/html', allow: m }, '<h1>Method Not Allowed</h1>\n');
      return false;
    };
    let m: RegExpExecArray | null;
    if (path === '/') res.send(200, { 'content-type': 'text/html; charset=utf-8' }, '<!DOCTYPE html>\n<html><head><title>httpbin.org</title></head><body><h1>httpbin.org</h1><p>A simple HTTP Request &amp; Response Service.</p></body></html>\n');
    else if (path === '/get') only('GET') && json({ args: view.args(), headers: view.headers(), ...(flavor === 'go' ? { method } : {}), origin: view.origin(), url: view.url() });
    else if (BODY_METHODS[path]) only(BODY_METHODS[path]) && json(await view.withBody(flavor === 'go'));
    else if (path === '/anything' || path.startsWith('/anything/')) json(await view.withBody(true));
    else if (path === '/headers') json({ headers: view.headers() });
    else if (path === '/ip') json({ origin: view.origin() });
    else if (path === '/user-agent') json({ 'user-agent': req.headers['user-agent'] ?? '' });
    else if (path === '/uuid') json({ uuid: randomUUID() });
    else if ((m = /^\/status\/([^/]+)$/.exec(path))) {
      const status = pickStatus(m[1]);
      if (status === undefined || status < 100 || status > 599) res.send(400, { 'content-type': 'text/plain' }, 'Invalid status code\n');
      else res.send(status, { 'content-type': 'text/html; charset=utf-8' }, status === 418 ? '\n    -=[ teapot ]=-\n' : '');
    } else if ((m = /^\/delay\/(\d+(?:\.\d+)?)$/.exec(path))) {
      await sleep(Math.min(Number(m[1]), MAX_DELAY_S) * 1000);
      json(await view.withBody(flavor === 'go'));
    } else if ((m = /^\/bytes\/(\d+)$/.exec(path))) {
      res.send(200, { 'content-type': 'application/octet-stream' }, randomBytes(Math.min(Number(m[1]), MAX_BYTES)));
    } else res.send(404, { 'content-type': 'text/html' }, '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n');
  };
}

export function createHttpbinApp(repository: string, flavor: HttpbinFlavor): AppSpec {
  return {
    kind: 'app',
    app: 'httpbin',
    repository,
    defaultPorts: (env) => defaultPorts(flavor, env),
    start: (options: AppStartOptions): Promise<RunningApp> =>
      serve({
        host: options.host,
        ports: options.ports.length > 0 ? options.ports : defaultPorts(flavor, options.env),
        handler: createHttpbinHandler(flavor),
        serverHeader: flavor === 'python' ? 'gunicorn/19.9.0' : undefined,
      }),
  };
}
