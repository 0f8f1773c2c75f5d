// Upstream failures end as Envoy ends them: the right status and body, response flag (read from
// the access log line), and stat; and the proxy keeps serving other requests meanwhile.
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import { newCluster } from '../src/model/index.ts';
import { h2Request, httpRequest, jsonOf } from './support/http-client.ts';
import { httpListener, inlineHcm, LogCapture, prefixRoute, refusedPort, snapshotOf, startHttpUpstream, staticCluster, type Upstream, counter } from './support/upstreams.ts';

/** A GET whose response may be cut short: the status, the body so far, and whether it aborted. */
function getMaybeAborted(port: number, path: string): Promise<{ status: number; body: string; aborted: boolean }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, aborted: !res.complete }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, aborted: true }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, body, aborted: true }));
    });
    req.on('error', () => resolve({ status: 0, body: '', aborted: true }));
  });
}

describe('upstream failures', () => {
  let up: Upstream;
  let silent: net.Server;
  const silentSockets = new Set<net.Socket>();
  let dp: DataPlane;
  let port: number;
  const log = new LogCapture();

  before(async () => {
    up = await startHttpUpstream('good');
    // Accepts TCP and says nothing: a TLS handshake to it never completes (a connect timeout).
    silent = net.createServer((s) => {
      silentSockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => silentSockets.delete(s));
      s.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentAddress = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const refused = `127.0.0.1:${await refusedPort()}`;
    dp = new DataPlane({ defaultAccessLog: true, accessLogStdout: log });
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          httpListener(
            'main',
            inlineHcm([
              prefixRoute('/refused', 'refused'),
              prefixRoute('/slow-connect', 'slow-connect'),
              prefixRoute('/hang', 'good', { timeoutMs: 300 }),
              prefixRoute('/empty', 'empty'),
              prefixRoute('/admin', 'envoy-admin'),
              prefixRoute('/', 'good'),
            ]),
          ),
        ],
        clusters: [
          staticCluster('good', [up.address]),
          staticCluster('refused', [refused]),
          staticCluster('slow-connect', [silentAddress], {
            connectTimeoutMs: 200,
            transportSocket: { commonTlsContext: { tlsCertificates: [], tlsCertificateSdsSecretConfigs: [], alpnProtocols: [] } },
          }),
          newCluster({ name: 'empty', type: 'EDS' }),
        ],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('main')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await up.close();
    for (const s of silentSockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  async function stillServing(): Promise<void> {
    const ok = await httpRequest({ port, path: '/fine' });
    assert.equal(ok.status, 200);
    assert.equal(jsonOf(ok).upstream, 'good');
  }

  test('connection refused: 503 UF, upstream_cx_connect_fail', async () => {
    const r = await httpRequest({ port, path: '/refused/x' });
    assert.equal(r.status, 503);
    assert.equal(r.text, 'upstream connect error or disconnect/reset before headers. reset reason: connection failure');
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.ok(counter(dp, 'cluster.refused.upstream_cx_connect_fail') >= 1);
    assert.equal(counter(dp, 'cluster.refused.upstream_rq_503'), 1);
    await log.waitFor((l) => l.includes('"GET /refused/x HTTP/1.1" 503 UF '));
    await stillServing();
  });

  test('connect timeout: 503 UF, upstream_cx_connect_timeout', async () => {
    const started = performance.now();
    const r = await httpRequest({ port, path: '/slow-connect' });
    const took = performance.now() - started;
    assert.ok(took >= 180 && took < 1500, `the 200 ms connect timeout took ${took} ms`);
    assert.equal(r.status, 503);
    assert.equal(r.text, 'upstream connect error or disconnect/reset before headers. reset reason: connection timeout');
    assert.equal(counter(dp, 'cluster.slow-connect.upstream_cx_connect_timeout'), 1);
    await log.waitFor((l) => l.includes('"GET /slow-connect HTTP/1.1" 503 UF '));
    await stillServing();
  });

  test('the upstream closes the connection before answering: 503 UC', async () => {
    const r = await httpRequest({ port, path: '/reset' });
    assert.equal(r.status, 503);
    assert.equal(r.text, 'upstream connect error or disconnect/reset before headers. reset reason: connection termination');
    assert.ok(counter(dp, 'cluster.good.upstream_rq_rx_reset') >= 1);
    await log.waitFor((l) => l.includes('"GET /reset HTTP/1.1" 503 UC '));
    await stillServing();
  });

  test('the upstream closes mid-response: the downstream response is cut, flag UC', async () => {
    const r = await getMaybeAborted(port, '/close-mid');
    assert.equal(r.status, 200);
    assert.equal(r.aborted, true);
    assert.ok(r.body.length < 1000);
    assert.ok(counter(dp, 'http.ingress_http.rq_reset_after_downstream_response_started') >= 1);
    await log.waitFor((l) => l.includes('"GET /close-mid HTTP/1.1" 200 UC '));
    await stillServing();
  });

  test('the upstream never answers: 504 UT after the route timeout, upstream_rq_timeout', async () => {
    const started = performance.now();
    const r = await httpRequest({ port, path: '/hang' });
    const took = performance.now() - started;
    assert.equal(r.status, 504);
    assert.equal(r.text, 'upstream request timeout');
    assert.ok(took >= 250 && took < 3000, `took ${took} ms`);
    assert.equal(counter(dp, 'cluster.good.upstream_rq_timeout'), 1);
    assert.equal(counter(dp, 'cluster.good.upstream_rq_504'), 1);
    await log.waitFor((l) => l.includes('"GET /hang HTTP/1.1" 504 UT '));
    await stillServing();
  });

  test('a cluster with no endpoints: 503 no healthy upstream, UH', async () => {
    const r = await httpRequest({ port, path: '/empty' });
    assert.equal(r.status, 503);
    assert.equal(r.text, 'no healthy upstream');
    assert.equal(counter(dp, 'cluster.empty.upstream_cx_none_healthy'), 1);
    await log.waitFor((l) => l.includes('"GET /empty HTTP/1.1" 503 UH '));
  });

  test('a cluster that does not exist at run time: 503 NC', async () => {
    // envoy-admin resolves only when the data plane knows the local API's address.
    const r = await httpRequest({ port, path: '/admin' });
    assert.equal(r.status, 503);
    assert.equal(counter(dp, 'http.ingress_http.no_cluster'), 1);
    await log.waitFor((l) => l.includes('"GET /admin HTTP/1.1" 503 NC '));
    await stillServing();
  });

  test('a client that goes away mid-request: flag DC, the upstream request is reset', async () => {
    const req = http.get({ host: '127.0.0.1', port, path: '/delay/2000', agent: false });
    req.on('error', () => undefined);
    await up.waitForRequest((x) => x.url === '/delay/2000');
    req.destroy();
    await log.waitFor((l) => l.includes('"GET /delay/2000 HTTP/1.1" 0 DC '));
    assert.ok(counter(dp, 'cluster.good.upstream_rq_tx_reset') >= 1);
    await stillServing();
  });

  test('over HTTP/2 the same failures are local replies or stream resets, and the session lives on', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const refused = await h2Request(session, { ':path': '/refused/h2' });
      assert.equal(refused.status, 503);
      assert.match(refused.text, /reset reason: connection failure$/);
      await assert.rejects(h2Request(session, { ':path': '/close-mid' }), /ERR_HTTP2_STREAM_ERROR/);
      const ok = await h2Request(session, { ':path': '/fine' });
      assert.equal(ok.status, 200);
    } finally {
      session.close();
    }
  });
});
