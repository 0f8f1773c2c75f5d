/**
 * Cilium's `json-mock` (json-server with a two-collection database), as Cilium's service-mesh
 * examples use it (`echo-service-1`, `echo-service-2`, the circuit-breaker `echo-service`).
 * `/` answers 200 with the JSON echo of the request (which names the serving Pod, so a tutorial's
 * `curl ... | grep echo-service` shows who answered; the original shows json-server's home page);
 * `/public`, `/private` (and `/<collection>/<id>`), `/db`, `/client-ip` and `/hostname` answer as
 * json-server and the image's middleware do; `/auth-header-required...` wants
 * `Authorization: Bearer 123456`; any other path is json-server's own 404, body `{}`.
 * Listens on `PORT` (80 when unset).
 */
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { serve } from '../http/serve.ts';
import { echoContext, echoDocument, type EchoContext } from './echo-document.ts';

const DB: Readonly<Record<string, readonly { id: number; body: string }[]>> = {
  private: [{ id: 1, body: 'secret information' }],
  public: [{ id: 1, body: 'public information' }],
};

/** Headers Express and json-server add to every answer. */
const EXPRESS_HEADERS = {
  'x-powered-by': 'Express',
  vary: 'Origin, Accept-Encoding',
  'access-control-allow-credentials': 'true',
  'cache-control': 'no-cache',
  pragma: 'no-cache',
  expires: '-1',
  'x-content-type-options': 'nosniff',
} as const;

function defaultPorts(env: Readonly<Record<string, string>>): number[] {
  return [env.PORT && /^\d+$/.test(env.PORT) ? Number(env.PORT) : 80];
}

function lookup(path: string): unknown {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 1 && parts[0] === 'db') return DB;
  const collection = parts.length >= 1 && parts.length <= 2 ? DB[parts[0]] : undefined;
  if (!collection || !Object.hasOwn(DB, parts[0])) return undefined;
  if (parts.length === 1) return collection;
  return collection.find((item) => String(item.id) === parts[1]);
}

export function createJsonMockHandler(context: EchoContext, hostname: string): (req: AppRequest, res: AppResponse) => void {
  const json = (res: AppResponse, status: number, value: unknown): void =>
    res.send(status, { ...EXPRESS_HEADERS, 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value, null, 2));
  return (req, res) => {
    const { path } = req;
    if (path.startsWith('/auth-header-required') && req.headers.authorization !== 'Bearer 123456') {
      res.send(401, { ...EXPRESS_HEADERS, 'content-type': 'text/html; charset=utf-8' }, 'Invalid Authorization header, try setting it to "Bearer 123456"');
    } else if (path.startsWith('/client-ip')) json(res, 200, { 'client-ip': req.remoteAddress });
    else if (path.startsWith('/hostname')) json(res, 200, { hostname });
    else if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) json(res, 200, echoDocument(req, context));
    else {
      const found = req.method === 'GET' || req.method === 'HEAD' ? lookup(path) : undefined;
      if (found === undefined) json(res, 404, {});
      else json(res, 200, found);
    }
  };
}

export function createJsonMockApp(repository: string): AppSpec {
  return {
    kind: 'app',
    app: 'json-mock',
    repository,
    defaultPorts,
    start: (options: AppStartOptions): Promise<RunningApp> =>
      serve({
        host: options.host,
        ports: options.ports.length > 0 ? options.ports : defaultPorts(options.env),
        handler: createJsonMockHandler(echoContext(options.env, options.podName, options.namespace), options.env.HOSTNAME || options.podName),
      }),
  };
}
