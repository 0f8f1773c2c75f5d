// Bookinfo composed for real: productpage calls details and reviews, and reviews calls ratings,
// each call a plain HTTP proxy request to a tiny test proxy that routes by host name (standing in
// for weft's outbound proxy), so the whole traffic graph is observable.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { RunningApp } from '../src/apps/app.ts';
import { matchImage } from '../src/apps/image-registry.ts';

interface Call {
  readonly caller: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

const apps: RunningApp[] = [];
const calls: Call[] = [];
const routes = new Map<string, number[]>(); // host → app ports (round robin)
const down = new Set<string>();
let proxy: http.Server;
let proxyPort = 0;
let productpage = '';

function callerOf(req: http.IncomingMessage): string {
  const auth = req.headers['proxy-authorization'] ?? '';
  return Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString().split(':')[0];
}

async function startApp(image: string, podName: string): Promise<number> {
  const spec = matchImage(image);
  assert.ok(spec?.kind === 'app', image);
  const app = await spec.start({
    host: '127.0.0.1',
    ports: [0],
    env: {},
    podName,
    namespace: 'ns1',
    labels: {},
    upstreamProxy: `http://${podName}:token@127.0.0.1:${proxyPort}`,
  });
  apps.push(app);
  return app.ports[0];
}

before(async () => {
  let turn = 0;
  proxy = http.createServer((req, res) => {
    const url = new URL(req.url ?? '');
    calls.push({ caller: callerOf(req), url: url.href, headers: req.headers });
    const ports = routes.get(url.hostname);
    if (!ports || down.has(url.hostname)) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('no healthy upstream');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = http.request({ host: '127.0.0.1', port: ports[turn++ % ports.length], path: `${url.pathname}${url.search}`, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
  routes.set('details', [await startApp('docker.io/istio/examples-bookinfo-details-v1:1.20.2', 'details-v1-7d88846999-hhstb')]);
  routes.set('ratings', [await startApp('docker.io/istio/examples-bookinfo-ratings-v1:1.20.2', 'ratings-v1-754f9c4975-hj6v2')]);
  routes.set('reviews', [
    await startApp('docker.io/istio/examples-bookinfo-reviews-v2:1.20.2', 'reviews-v2-858f99c99-zwxz7'),
    await startApp('docker.io/istio/examples-bookinfo-reviews-v3:1.20.2', 'reviews-v3-7886dd86b9-4rh77'),
  ]);
  productpage = `http://127.0.0.1:${await startApp('docker.io/istio/examples-bookinfo-productpage-v1:1.20.2', 'productpage-v1-7795568889-l5r9x')}`;
});

after(async () => {
  await Promise.all(apps.map((a) => a.close()));
  proxy.closeAllConnections();
  proxy.close();
});

test('/productpage composes details and reviews fetched through the proxy; v2 black stars, v3 red stars', async () => {
  calls.length = 0;
  const pages = [await (await fetch(`${productpage}/productpage`)).text(), await (await fetch(`${productpage}/productpage`)).text()];
  for (const page of pages) {
    assert.equal(page.match(/<title>.*<\/title>/)?.[0], '<title>Simple Bookstore App</title>');
    assert.match(page, /The Comedy of Errors/);
    assert.match(page, /Book Details/);
    assert.match(page, /PublisherA/);
    assert.match(page, /1234567890/);
    assert.match(page, /Book Reviews/);
    assert.match(page, /An extremely entertaining play by Shakespeare/);
    assert.equal((page.match(/glyphicon glyphicon-star"/g) ?? []).length, 9, 'ratings 5 and 4');
  }
  const colors = pages.map((p) => p.match(/<font color="(\w+)">/)?.[1]).sort();
  assert.deepEqual(colors, ['black', 'red']);
  assert.ok(pages.some((p) => p.includes('Reviews served by: <u>reviews-v2-858f99c99-zwxz7</u>')));
  assert.ok(pages.some((p) => p.includes('Reviews served by: <u>reviews-v3-7886dd86b9-4rh77</u>')));
  // The traffic graph: productpage → details, productpage → reviews, reviews → ratings.
  const edges = new Set(calls.map((c) => `${c.caller} -> ${new URL(c.url).hostname}${new URL(c.url).pathname}`));
  assert.deepEqual([...edges].sort(), [
    'productpage-v1-7795568889-l5r9x -> details/details/0',
    'productpage-v1-7795568889-l5r9x -> reviews/reviews/0',
    'reviews-v2-858f99c99-zwxz7 -> ratings/ratings/0',
    'reviews-v3-7886dd86b9-4rh77 -> ratings/ratings/0',
  ]);
  assert.ok(calls.every((c) => c.url.startsWith('http://') && c.url.includes(':9080/')), 'absolute-form requests to port 9080');
});

test('tracing headers and the signed-in user travel along every hop', async () => {
  calls.length = 0;
  const login = await fetch(`${productpage}/login`, { method: 'POST', body: 'username=jason&passwd=x', headers: { 'content-type': 'application/x-www-form-urlencoded', referer: '/productpage' }, redirect: 'manual' });
  assert.equal(login.status, 302);
  assert.equal(login.headers.get('location'), '/productpage');
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  assert.equal(cookie, 'user=jason');
  const page = await (await fetch(`${productpage}/productpage`, { headers: { cookie, 'x-request-id': 'req-42', 'x-b3-traceid': 'abc' } })).text();
  assert.match(page, /jason/);
  assert.equal(calls.length, 3);
  for (const c of calls) assert.equal(c.headers['x-request-id'], 'req-42', c.url);
  const toReviews = calls.find((c) => c.url.includes('/reviews/'));
  assert.equal(toReviews?.headers['end-user'], 'jason');
  assert.equal(calls.find((c) => c.url.includes('/ratings/'))?.headers['end-user'], 'jason');
});

test('when details is unavailable the page shows the original error text', async () => {
  down.add('details');
  try {
    const page = await (await fetch(`${productpage}/productpage`)).text();
    assert.match(page, /Error fetching product details!/);
    assert.match(page, /Sorry, product details are currently unavailable for this book\./);
    assert.match(page, /Book Reviews/);
    const api = await fetch(`${productpage}/api/v1/products/0`);
    assert.equal(api.status, 503);
  } finally {
    down.delete('details');
  }
});

test('the JSON API, the index, /health and the sign-in page', async () => {
  const products = (await (await fetch(`${productpage}/api/v1/products`)).json()) as { id: number; title: string }[];
  assert.deepEqual(products.map((p) => [p.id, p.title]), [[0, 'The Comedy of Errors']]);
  const details = (await (await fetch(`${productpage}/api/v1/products/0`)).json()) as { author: string };
  assert.equal(details.author, 'William Shakespeare');
  const reviews = (await (await fetch(`${productpage}/api/v1/products/0/reviews`)).json()) as { reviews: unknown[] };
  assert.equal(reviews.reviews.length, 2);
  assert.deepEqual(await (await fetch(`${productpage}/api/v1/products/0/ratings`)).json(), { id: 0, ratings: { Reviewer1: 5, Reviewer2: 4 } });
  assert.match(await (await fetch(`${productpage}/`)).text(), /<title>Simple Bookstore App<\/title>/);
  assert.equal(await (await fetch(`${productpage}/health`)).text(), 'Product page is healthy');
  assert.match(await (await fetch(`${productpage}/login`)).text(), /<form method="post" action="login"/);
  assert.equal((await fetch(`${productpage}/nope`)).status, 404);
});
