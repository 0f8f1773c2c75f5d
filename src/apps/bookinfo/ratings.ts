/**
 * Bookinfo's ratings service (Node.js in the original), port 9080: `GET /ratings/<id>` answers
 * `{"id":<id>,"ratings":{"Reviewer1":5,"Reviewer2":4}}`; `POST /ratings/<id>` with a JSON body
 * replaces that product's ratings in memory (as ratings v1 does); `/health`.
 */
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { serve } from '../http/serve.ts';
import { BOOKINFO_PORT } from './details.ts';

const JSON_TYPE = 'application/json';
const RATINGS_PATH = /^\/ratings\/[0-9]*/;
/** Ratings posted by users are kept per product id; a bound keeps a misbehaving client from growing it forever. */
const MAX_STORED = 1000;

function defaultRatings(id: number): Record<string, unknown> {
  return { id, ratings: { Reviewer1: 5, Reviewer2: 4 } };
}

function createHandler(): (req: AppRequest, res: AppResponse) => Promise<void> {
  const stored = new Map<number, Record<string, unknown>>();
  const json = (res: AppResponse, status: number, value: unknown): void => res.send(status, { 'content-type': JSON_TYPE }, JSON.stringify(value));
  return async (req, res) => {
    if (req.path === '/health' && req.method === 'GET') {
      json(res, 200, { status: 'Ratings is healthy' });
      return;
    }
    if (!RATINGS_PATH.test(req.target) || (req.method !== 'GET' && req.method !== 'POST')) {
      res.send(404, { 'content-type': 'text/plain' }, 'Page Not Found');
      return;
    }
    const id = Number.parseInt(req.path.split('/').pop() ?? '', 10);
    if (Number.isNaN(id)) {
      json(res, 400, { error: 'please provide numeric product ID' });
      return;
    }
    if (req.method === 'GET') {
      json(res, 200, stored.get(id) ?? defaultRatings(id));
      return;
    }
    let ratings: unknown;
    try {
      ratings = JSON.parse((await req.readBody(64 * 1024)).toString('utf8'));
    } catch {
      json(res, 400, { error: 'please provide valid ratings JSON' });
      return;
    }
    if (stored.size >= MAX_STORED && !stored.has(id)) stored.delete(stored.keys().next().value as number);
    stored.set(id, { id, ratings });
    json(res, 200, stored.get(id));
  };
}

export function createRatingsApp(repository: string): AppSpec {
  return {
    kind: 'app',
    app: 'bookinfo-ratings',
    repository,
    defaultPorts: () => [BOOKINFO_PORT],
    start: (options: AppStartOptions): Promise<RunningApp> =>
      serve({ host: options.host, ports: options.ports.length > 0 ? options.ports : [BOOKINFO_PORT], handler: createHandler() }),
  };
}
