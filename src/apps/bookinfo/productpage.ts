/**
 * Bookinfo's productpage (Python/Flask in the original), port 9080. `/productpage` fetches the
 * book's details from `details:9080` and its reviews from `reviews:9080` for real, through the
 * upstream proxy (so the mesh routes, balances and observes those calls), and renders them; when a
 * call fails the page shows the original's error texts instead. Also `/`, `/health`, `/login`,
 * `/logout` and the JSON API under `/api/v1/products`.
 */
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { FLASK_HTML, sendFlaskMethodNotAllowed, sendFlaskNotFound } from '../http/flask.ts';
import { createOutboundClient, type OutboundClient } from '../http/outbound.ts';
import { serveOwning } from '../http/serve.ts';
import { BOOKINFO_PORT } from './details.ts';
import { PRODUCTS, renderIndexPage, renderLoginPage, renderProductPage, type Fetched } from './productpage-html.ts';
import { cookieValue, pickHeaders, PRODUCTPAGE_FORWARDED } from './trace-headers.ts';

const JSON_TYPE = 'application/json';
const CALL_TIMEOUT_MS = 3_000;

interface Backends {
  readonly details: string;
  readonly reviews: string;
  readonly ratings: string;
}

function backends(env: Readonly<Record<string, string>>): Backends {
  const domain = env.SERVICES_DOMAIN ? `.${env.SERVICES_DOMAIN}` : '';
  const url = (name: string): string => `http://${name}${domain}:9080/${name}`;
  return { details: url('details'), reviews: url('reviews'), ratings: url('ratings') };
}

function forwardHeaders(req: AppRequest): Record<string, string> {
  const headers = pickHeaders(req, PRODUCTPAGE_FORWARDED);
  const user = cookieValue(req, 'user');
  if (user) {
    headers.cookie = `user=${encodeURIComponent(user)}`;
    headers['end-user'] = user;
  }
  return headers;
}

async function fetchJson(client: OutboundClient, url: string, headers: Record<string, string>, what: string, attempts = 1): Promise<Fetched> {
  let status = 500;
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await client.get(url, headers, CALL_TIMEOUT_MS);
      status = res.status;
      if (res.status === 200) return { status: 200, value: JSON.parse(res.body.toString('utf8')) as Record<string, unknown> };
    } catch {
      status = 500;
    }
  }
  return { status, value: { error: `Sorry, product ${what} are currently unavailable for this book.` } };
}

function redirect(res: AppResponse, req: AppRequest, cookie: string): void {
  const location = typeof req.headers.referer === 'string' && req.headers.referer !== '' ? req.headers.referer : '/productpage';
  res.send(302, { location, 'set-cookie': cookie, 'content-type': FLASK_HTML }, `<p>Redirecting to <a href="${location}">${location}</a>.</p>\n`);
}

const API_PATH = /^\/api\/v1\/products(?:\/([^/]+)(?:\/(reviews|ratings))?)?$/;

/** `/api/v1/products[/<id>[/reviews|/ratings]]`; false when the path is not an API path. */
async function handleApi(client: OutboundClient, urls: Backends, req: AppRequest, res: AppResponse): Promise<boolean> {
  const api = API_PATH.exec(req.path);
  if (!api) return false;
  const headers = forwardHeaders(req);
  const [, id, sub] = api;
  if (id === undefined) {
    res.send(200, { 'content-type': JSON_TYPE }, JSON.stringify(PRODUCTS));
    return true;
  }
  let fetched: Fetched;
  if (sub === 'reviews') fetched = await fetchJson(client, `${urls.reviews}/${id}`, headers, 'reviews', 2);
  else if (sub === 'ratings') fetched = await fetchJson(client, `${urls.ratings}/${id}`, headers, 'ratings');
  else fetched = await fetchJson(client, `${urls.details}/${id}`, headers, 'details');
  res.send(fetched.status, { 'content-type': JSON_TYPE }, JSON.stringify(fetched.value));
  return true;
}

async function handleLogin(req: AppRequest, res: AppResponse): Promise<void> {
  if (req.method === 'POST') {
    const form = new URLSearchParams((await req.readBody(16 * 1024)).toString('utf8'));
    redirect(res, req, `user=${encodeURIComponent(form.get('username') ?? '')}; Path=/`);
  } else if (req.method === 'GET' || req.method === 'HEAD') res.send(200, { 'content-type': FLASK_HTML }, renderLoginPage());
  else sendFlaskMethodNotAllowed(res, ['GET', 'HEAD', 'OPTIONS', 'POST']);
}

async function handleProductPage(client: OutboundClient, urls: Backends, req: AppRequest, res: AppResponse): Promise<void> {
  const headers = forwardHeaders(req);
  const [details, reviews] = await Promise.all([
    fetchJson(client, `${urls.details}/0`, headers, 'details'),
    // The original asks reviews twice before giving up (its fault-injection tutorial depends on it).
    fetchJson(client, `${urls.reviews}/0`, headers, 'reviews', 2),
  ]);
  res.send(200, { 'content-type': FLASK_HTML }, renderProductPage(PRODUCTS[0], details, reviews, cookieValue(req, 'user') ?? ''));
}

function createHandler(client: OutboundClient, urls: Backends): (req: AppRequest, res: AppResponse) => Promise<void> {
  return async (req, res) => {
    const { path, method } = req;
    if (path === '/login') return handleLogin(req, res);
    if (method !== 'GET' && method !== 'HEAD') return sendFlaskMethodNotAllowed(res, ['GET', 'HEAD', 'OPTIONS']);
    if (path === '/' || path === '/index.html') res.send(200, { 'content-type': FLASK_HTML }, renderIndexPage());
    else if (path === '/health') res.send(200, { 'content-type': FLASK_HTML }, 'Product page is healthy');
    else if (path === '/logout') redirect(res, req, 'user=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/');
    else if (path === '/productpage') await handleProductPage(client, urls, req, res);
    else if (!(await handleApi(client, urls, req, res))) sendFlaskNotFound(res);
  };
}

function startProductpage(options: AppStartOptions): Promise<RunningApp> {
  const client = createOutboundClient(options.upstreamProxy);
  const ports = options.ports.length > 0 ? options.ports : [BOOKINFO_PORT];
  return serveOwning({ host: options.host, ports, handler: createHandler(client, backends(options.env)) }, client);
}

export function createProductpageApp(repository: string): AppSpec {
  return { kind: 'app', app: 'bookinfo-productpage', repository, defaultPorts: () => [BOOKINFO_PORT], start: startProductpage };
}
