// The HTTP path through the data plane on real sockets: HTTP/1.1 and h2c proxying, Envoy's
// request and response header handling, local answers (404 NR, direct response, redirect), path
// normalisation, rewrites, trailers, WebSocket and CONNECT tunnels.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import { newRoute } from '../src/model/index.ts';
import { h2Request, httpRequest, jsonOf, rawExchange, TestWebSocket } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, snapshotOf, startHttpUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('HTTP connection manager and router', () => {
  let up: Upstream;
  let dp: DataPlane;
  let port: number;
  let edgePort: number;

  before(async () => {
    up = await startHttpUpstream('backend');
    const routes = [
      newRoute({ match: { pathSpecifier: { kind: 'path', path: '/direct' }, headers: [], queryParameters: [] }, action: { kind: 'directResponse', directResponse: { status: 200, body: { kind: 'inlineString', inlineString: 'hello direct' } } } }),
      newRoute({ match: { pathSpecifier: { kind: 'prefix', prefix: '/old' }, headers: [], queryParameters: [] }, action: { kind: 'redirect', redirect: { pathRewriteSpecifier: { kind: 'prefixRewrite', prefixRewrite: '/new' }, responseCode: 'FOUND' } } }),
      prefixRoute('/rewrite/', 'backend', { prefixRewrite: '/inner/' }),
      prefixRoute('/api', 'backend', {}, { responseHeadersToAdd: [{ header: { key: 'x-route', value: 'api' } }], requestHeadersToAdd: [{ header: { key: 'x-client', value: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%' } }] }),
      prefixRoute('/ws', 'backend'),
      prefixRoute('/trailers', 'backend'),
      prefixRoute('/bytes/', 'backend'),
      prefixRoute('/a', 'backend'),
      prefixRoute('/b', 'backend'),
      prefixRoute('/echo', 'backend'),
    ];
    dp = new DataPlane();
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          httpListener('plain', inlineHcm(routes, { upgradeConfigs: [{ upgradeType: 'websocket' }] })),
          httpListener('edge', inlineHcm([prefixRoute('/', 'backend')], { useRemoteAddress: true, statPrefix: 'edge' }), { ip: '127.0.0.2' }),
        ],
        clusters: [staticCluster('backend', [up.address])],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('plain')!.port;
    edgePort = dp.boundAddress('edge')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await up.close();
  });

  test('HTTP/1.1 is proxied with Envoy request headers, hop-by-hop headers dropped', async () => {
    const res = await httpRequest({
      port,
      path: '/api/items?x=1',
      headers: { host: 'shop.test', connection: 'keep-alive, x-secret', 'x-secret': 'no', 'keep-alive': 'timeout=5', te: 'trailers', 'x-envoy-retry-on': '5xx', 'x-forwarded-for': '203.0.113.7' },
    });
    assert.equal(res.status, 200);
    const seen = jsonOf(res);
    assert.equal(seen.url, '/api/items?x=1');
    assert.equal(seen.headers.host, 'shop.test');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.match(seen.headers['x-request-id'], UUID);
    assert.equal(seen.headers['x-envoy-expected-rq-timeout-ms'], '15000');
    assert.equal(seen.headers['x-forwarded-for'], '203.0.113.7', 'without use_remote_address XFF is passed as is');
    // Without use_remote_address the client address is XFF's last entry (Envoy's rule).
    assert.equal(seen.headers['x-client'], '203.0.113.7', 'header values are formatted');
    assert.equal(seen.headers['x-secret'], undefined, 'headers nominated by Connection are hop-by-hop');
    assert.equal(seen.headers['keep-alive'], undefined);
    assert.equal(seen.headers.te, 'trailers');
    assert.equal(seen.headers['x-envoy-retry-on'], undefined, 'external x-envoy-* control headers are dropped');
    assert.equal(res.headers.server, 'envoy', 'the upstream server header is overwritten');
    assert.match(String(res.headers['x-envoy-upstream-service-time']), /^\d+$/);
    assert.equal(res.headers['x-route'], 'api');
  });

  test('an existing x-request-id is kept; use_remote_address appends the peer to XFF', async () => {
    const kept = jsonOf(await httpRequest({ port, path: '/api', headers: { 'x-request-id': 'abc-123' } }));
    assert.equal(kept.headers['x-request-id'], 'abc-123');
    const edge = jsonOf(await httpRequest({ host: '127.0.0.2', port: edgePort, path: '/', headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' } }));
    // A loopback peer is replaced by the listener's local address, as Envoy does.
    assert.equal(edge.headers['x-forwarded-for'], '203.0.113.7,127.0.0.2');
    assert.equal(edge.headers['x-forwarded-proto'], 'http', 'use_remote_address overwrites x-forwarded-proto');
    assert.equal(edge.headers['x-envoy-external-address'], '127.0.0.1');
  });

  test('no route: 404 with an empty body, flag NR, no_route counted', async () => {
    const before = (dp.stats.get('http.ingress_http.no_route')?.kind === 'counter' && (dp.stats.get('http.ingress_http.no_route') as { value: number }).value) || 0;
    const res = await httpRequest({ port, path: '/nowhere' });
    assert.equal(res.status, 404);
    assert.equal(res.body.length, 0);
    assert.equal(res.headers['content-length'], '0');
    assert.equal(res.headers.server, 'envoy');
    assert.equal((dp.stats.get('http.ingress_http.no_route') as { value: number }).value, before + 1);
    assert.equal(up.requests.some((r) => r.url === '/nowhere'), false);
  });

  test('direct_response and redirect routes are answered locally', async () => {
    const d = await httpRequest({ port, path: '/direct' });
    assert.equal(d.status, 200);
    assert.equal(d.text, 'hello direct');
    assert.equal(d.headers['content-type'], 'text/plain');
    const r = await httpRequest({ port, path: '/old/page?q=1', headers: { host: 'site.test' } });
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, 'http://site.test/new/page?q=1');
  });

  test('prefix_rewrite keeps the original path in x-envoy-original-path', async () => {
    const seen = jsonOf(await httpRequest({ port, path: '/rewrite/x?y=2' }));
    assert.equal(seen.url, '/inner/x?y=2');
    assert.equal(seen.headers['x-envoy-original-path'], '/rewrite/x?y=2');
  });

  test('paths are normalised before routing; escaped slashes and backslashes are refused', async () => {
    const seen = jsonOf(await httpRequest({ port, path: '/b/../a//x/./y' }));
    assert.equal(seen.url, '/a/x/y');
    const countBefore = up.requests.length;
    for (const bad of ['/a%2Fb', '/a%5cb', '/a\\b']) {
      const r = await rawExchange(port, `GET ${bad} HTTP/1.1\r\nhost: x\r\n\r\n`, { untilResponse: true });
      assert.equal(r.status, 400, bad);
    }
    assert.equal(up.requests.length, countBefore, 'nothing reached the upstream');
  });

  test('a request body is streamed upstream', async () => {
    const body = Buffer.alloc(300_000, 'b');
    const seen = jsonOf(await httpRequest({ port, method: 'POST', path: '/echo', body, headers: { 'content-type': 'application/octet-stream' } }));
    assert.equal(seen.bodyBytes, body.length);
    const chunked = jsonOf(await httpRequest({ port, method: 'PUT', path: '/echo', body: 'abc', headers: { 'transfer-encoding': 'chunked' } }));
    assert.equal(chunked.bodyBytes, 3);
  });

  test('h2c with prior knowledge on the same port', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const r = await h2Request(session, { ':path': '/api/h2', ':authority': 'h2.test' });
      assert.equal(r.status, 200);
      const seen = JSON.parse(r.text) as { url: string; headers: Record<string, string> };
      assert.equal(seen.url, '/api/h2');
      assert.equal(seen.headers.host, 'h2.test');
      assert.equal(r.headers.server, 'envoy');
      const post = await h2Request(session, { ':method': 'POST', ':path': '/echo' }, Buffer.alloc(100_000, 'z'));
      assert.equal((JSON.parse(post.text) as { bodyBytes: number }).bodyBytes, 100_000);
      const none = await h2Request(session, { ':path': '/nowhere' });
      assert.equal(none.status, 404);
    } finally {
      session.close();
    }
  });

  test('an h2c upgrade request is answered over HTTP/1.1', async () => {
    const r = await rawExchange(port, 'GET /api/up HTTP/1.1\r\nhost: x\r\nconnection: Upgrade, HTTP2-Settings\r\nupgrade: h2c\r\nhttp2-settings: AAMAAABkAAQAAP__\r\n\r\n');
    assert.equal(r.status, 200);
    assert.match(r.data, /"url":"\/api\/up"/);
    assert.doesNotMatch(r.data, /"upgrade"/);
  });

  test('response trailers are forwarded (HTTP/2 and chunked HTTP/1.1)', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const trailers = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
        const s = session.request({ ':path': '/trailers' });
        s.on('trailers', resolve);
        s.on('error', reject);
        s.resume();
        s.end();
      });
      assert.equal(trailers['x-upstream-trailer'], 'done');
    } finally {
      session.close();
    }
    const h1 = await httpRequest({ port, path: '/trailers', headers: { te: 'trailers' } });
    assert.equal(h1.text, 'body-with-trailers');
    assert.equal(h1.trailers['x-upstream-trailer'], 'done');
  });

  test('WebSocket upgrades tunnel through (echo), and are refused where not configured', async () => {
    const ws = await TestWebSocket.connect(port, '/ws');
    try {
      assert.match(ws.responseHead, /x-upstream: backend/);
      ws.send('hello');
      assert.equal(await ws.receive(), 'hello');
      ws.send('x'.repeat(1000));
      assert.equal(await ws.receive(), 'x'.repeat(1000));
    } finally {
      ws.close();
    }
    await assert.rejects(TestWebSocket.connect(edgePort, '/', 'example.test', '127.0.0.2'), /HTTP\/1\.1 403/);
  });
});
