// Edge-safe limits on real sockets: oversized or too many headers (431), request smuggling and
// malformed framing (400, never forwarded), header / request / idle timeouts (408), HTTP/1.0
// (426), underscores in header names, and the HTTP/2 stream limit advertised.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { after, before, describe, test } from 'node:test';
import { DataPlane, WEFT_EDGE_DEFAULTS } from '../src/dataplane/index.ts';
import { httpRequest, rawExchange } from './support/http-client.ts';
import { httpListener, inlineHcm, LogCapture, prefixRoute, snapshotOf, startHttpUpstream, staticCluster, type Upstream, counter } from './support/upstreams.ts';

describe('limits and malformed requests', () => {
  let up: Upstream;
  let dp: DataPlane;
  let port: number;
  let strictPort: number;
  const log = new LogCapture();

  before(async () => {
    up = await startHttpUpstream('backend');
    dp = new DataPlane({ defaultAccessLog: true, accessLogStdout: log });
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          httpListener('default', inlineHcm([prefixRoute('/', 'backend')])),
          httpListener(
            'strict',
            inlineHcm([prefixRoute('/idle', 'backend', { timeoutMs: 0 }), prefixRoute('/', 'backend')], {
              statPrefix: 'strict',
              requestHeadersTimeoutMs: 300,
              requestTimeoutMs: 200,
              streamIdleTimeoutMs: 300,
              commonHttpProtocolOptions: { headersWithUnderscoresAction: 'REJECT_REQUEST' },
            }),
            { ip: '127.0.0.2' },
          ),
        ],
        clusters: [staticCluster('backend', [up.address])],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('default')!.port;
    strictPort = dp.boundAddress('strict')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await up.close();
  });

  test('request headers over 60 KiB: 431, connection closed, nothing forwarded', async () => {
    const before = up.requests.length;
    const r = await rawExchange(port, `GET /big HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(61 * 1024)}\r\n\r\n`);
    assert.equal(r.status, 431);
    assert.equal(r.closed, true);
    assert.match(r.data, /server: envoy/);
    assert.equal(up.requests.length, before);
    assert.ok(counter(dp, 'http.ingress_http.downstream_cx_protocol_error') >= 1);
    await log.waitFor((l) => l.includes(' 431 DPE '));
  });

  test('more than 100 request headers: 431', async () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 101; i++) headers[`x-h${i}`] = String(i);
    const r = await httpRequest({ port, path: '/many', headers });
    assert.equal(r.status, 431);
    assert.equal(up.requests.some((x) => x.url === '/many'), false);
    const ok = await httpRequest({ port, path: '/few', headers: { 'x-one': '1' } });
    assert.equal(ok.status, 200);
  });

  test('CL.TE, TE.CL, duplicate Content-Length, odd transfer codings: refused, nothing reaches the upstream', async () => {
    const before = { requests: up.requests.length, connections: up.connections };
    const attacks: [string, number][] = [
      ['POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 6\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nhost: x\r\n\r\n', 400],
      ['POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n', 400],
      ['POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\ncontent-length: 3\r\n\r\nabc', 400],
      ['GET / HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n', 400],
      ['POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: xchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', 501],
      ['POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', 501],
    ];
    for (const [a, status] of attacks) {
      const r = await rawExchange(port, a);
      assert.equal(r.status, status, JSON.stringify(a));
      assert.equal(r.closed, true);
      assert.doesNotMatch(r.data, /smuggled|SMUGGLED/);
    }
    assert.equal(up.requests.length, before.requests, 'no request reached the upstream');
    assert.equal(up.connections, before.connections, 'no upstream connection was even opened');
  });

  test('a malformed chunked body fails the request; no second request is made of it', async () => {
    const before = up.requests.length;
    const r = await rawExchange(port, 'POST /chunks HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nGET /smuggled HTTP/1.1\r\n\r\n');
    assert.equal(r.closed, true);
    assert.ok(r.status === 400 || r.status === 0, r.data);
    // Envoy streams headers before the body, so the upstream may see the start of POST /chunks
    // (then a reset); never anything smuggled.
    assert.equal(up.requests.slice(before).some((x) => x.url === '/smuggled'), false);
  });

  test('HTTP/1.0 is refused with 426; a request without Host gets 400', async () => {
    const r = await rawExchange(port, 'GET / HTTP/1.0\r\nhost: x\r\n\r\n', { untilResponse: true });
    assert.equal(r.status, 426);
    const noHost = await rawExchange(port, 'GET / HTTP/1.1\r\n\r\n', { untilResponse: true });
    assert.equal(noHost.status, 400);
  });

  test('request headers that take too long: 408', async () => {
    const r = await rawExchange(strictPort, 'GET / HTTP/1.1\r\nhost: x\r\nx-slow: ', { host: '127.0.0.2' });
    assert.equal(r.status, 408);
    assert.equal(counter(dp, 'http.strict.downstream_rq_header_timeout'), 1);
  });

  test('a request body that takes too long: 408 (request_timeout)', async () => {
    const r = await rawExchange(strictPort, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nabc', { host: '127.0.0.2' });
    assert.equal(r.status, 408);
    assert.match(r.data, /\r\n\r\nrequest timeout$/);
    assert.equal(counter(dp, 'http.strict.downstream_rq_timeout'), 1);
  });

  test('a stream idle past stream_idle_timeout: 408 stream timeout, flag SI', async () => {
    const r = await httpRequest({ host: '127.0.0.2', port: strictPort, path: '/idle/hang' });
    // /idle/hang: the route has no timeout and the upstream never answers.
    assert.equal(r.status, 408);
    assert.equal(r.text, 'stream timeout');
    assert.equal(counter(dp, 'http.strict.downstream_rq_idle_timeout'), 1);
    await log.waitFor((l) => l.includes('"GET /idle/hang HTTP/1.1" 408 SI '));
  });

  test('headers_with_underscores_action REJECT_REQUEST: 400', async () => {
    const r = await httpRequest({ host: '127.0.0.2', port: strictPort, path: '/x', headers: { x_under: '1' } });
    assert.equal(r.status, 400);
    const ok = await httpRequest({ host: '127.0.0.2', port: strictPort, path: '/x', headers: { 'x-dash': '1' } });
    assert.equal(ok.status, 200);
  });

  test('HTTP/2 advertises the edge-safe stream limit', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      await new Promise<void>((resolve) => session.once('remoteSettings', () => resolve()));
      assert.equal(session.remoteSettings.maxConcurrentStreams, WEFT_EDGE_DEFAULTS.http2MaxConcurrentStreams);
    } finally {
      session.close();
    }
  });
});
