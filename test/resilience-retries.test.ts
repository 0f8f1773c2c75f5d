// Retries and timeouts with Envoy's semantics, over real sockets: retry_on 5xx against a backend
// that fails every other request, per_try_timeout, connect-failure with previous_hosts, body
// replay, max_retries overflow, and a 100 ms route timeout whose late answer never leaks.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import type { RetryPolicy } from '../src/model/index.ts';
import { httpRequest, jsonOf } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, refusedPort, snapshotOf, startHttpUpstream, staticCluster, type Upstream, counter } from './support/upstreams.ts';

function retry(p: Partial<RetryPolicy>): RetryPolicy {
  return { retryOn: ['5xx'], retriableStatusCodes: [], retriableHeaders: [], retriableRequestHeaders: [], retryHostPredicate: [], retryBackOff: { baseIntervalMs: 5 }, ...p };
}

/** Answers 503 to odd-numbered requests, 200 (with the body size) to even ones; `/hang-first` hangs its first. */
async function flakyBackend(): Promise<{ server: http.Server; address: string; seen: string[] }> {
  const seen: string[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    n++;
    const mine = n;
    seen.push(`${req.method} ${req.url} ${req.headers['x-envoy-attempt-count'] ?? ''}`);
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      if (req.url === '/hang-first' && seen.filter((s) => s.includes('/hang-first')).length === 1) return;
      const status = req.url?.startsWith('/flaky') && mine % 2 === 1 ? 503 : 200;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(`n=${mine} bytes=${bytes}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('retries and timeouts', () => {
  let flaky: Awaited<ReturnType<typeof flakyBackend>>;
  let slow: Upstream;
  let dp: DataPlane;
  let port: number;

  before(async () => {
    flaky = await flakyBackend();
    slow = await startHttpUpstream('slow');
    const refused = `127.0.0.1:${await refusedPort()}`;
    dp = new DataPlane({});
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          httpListener(
            'main',
            inlineHcm([
              prefixRoute('/flaky', 'flaky', { retryPolicy: retry({ numRetries: 3 }) }),
              prefixRoute('/hang-first', 'flaky', { retryPolicy: retry({ numRetries: 1, perTryTimeoutMs: 100 }) }),
              prefixRoute('/no-budget', 'no-budget', { retryPolicy: retry({ numRetries: 3 }), prefixRewrite: '/flaky' }),
              prefixRoute('/two-hosts', 'two-hosts', { retryPolicy: retry({ retryOn: ['connect-failure'], numRetries: 1, retryHostPredicate: [{ kind: 'previousHosts' }], hostSelectionRetryMaxAttempts: 5 }) }),
              prefixRoute('/delay', 'slow', { timeoutMs: 100 }),
              prefixRoute('/', 'slow'),
            ]),
          ),
        ],
        clusters: [
          staticCluster('flaky', [flaky.address]),
          staticCluster('no-budget', [flaky.address], { circuitBreakers: { thresholds: [{ maxRetries: 0 }] } }),
          staticCluster('two-hosts', [refused, slow.address]),
          staticCluster('slow', [slow.address]),
        ],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('main')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await slow.close();
    flaky.server.closeAllConnections();
    await new Promise<void>((r) => flaky.server.close(() => r()));
  });

  test('retry_on 5xx, num_retries 3, a backend failing every other request: always 200', async () => {
    const seenBefore = flaky.seen.length;
    for (let i = 0; i < 6; i++) {
      const r = await httpRequest({ port, path: `/flaky/${i}` });
      assert.equal(r.status, 200, r.text);
    }
    assert.equal(flaky.seen.length - seenBefore, 12, 'each request took one failure and one retry');
    assert.equal(counter(dp, 'cluster.flaky.upstream_rq_retry'), 6);
    assert.equal(counter(dp, 'cluster.flaky.upstream_rq_retry_success'), 6);
    assert.equal(counter(dp, 'cluster.flaky.upstream_rq_503'), 6);
    assert.equal(counter(dp, 'cluster.flaky.upstream_rq_200'), 6);
  });

  test('a POST body is replayed on the retry', async () => {
    // The next request to the backend is odd-numbered (503) after the even count above.
    const r = await httpRequest({ port, path: '/flaky/post', method: 'POST', body: 'x'.repeat(5000) });
    assert.equal(r.status, 200);
    assert.match(r.text, /bytes=5000$/);
  });

  test('max_retries 0: the retry overflows and the 503 passes through', async () => {
    const before = counter(dp, 'cluster.no-budget.upstream_rq_retry_overflow');
    const results = [await httpRequest({ port, path: '/no-budget' }), await httpRequest({ port, path: '/no-budget' })];
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 503]);
    assert.equal(counter(dp, 'cluster.no-budget.upstream_rq_retry_overflow') - before, 1);
    assert.equal(counter(dp, 'cluster.no-budget.upstream_rq_retry'), 0);
  });

  test('per_try_timeout: the hung first try is abandoned and retried', async () => {
    const r = await httpRequest({ port, path: '/hang-first' });
    assert.equal(r.status, 200);
    assert.equal(counter(dp, 'cluster.flaky.upstream_rq_per_try_timeout'), 1);
  });

  test('connect-failure with previous_hosts: the retry goes to the other host', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await httpRequest({ port, path: '/two-hosts' });
      assert.equal(r.status, 200, r.text);
    }
    assert.ok(counter(dp, 'cluster.two-hosts.upstream_rq_retry') >= 1);
  });

  test('route timeout 100 ms, backend 500 ms: 504 UT in ~150 ms; the late answer does not leak', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const started = performance.now();
      const r = await httpRequest({ port, path: '/delay/500', agent });
      const took = performance.now() - started;
      assert.equal(r.status, 504);
      assert.equal(r.text, 'upstream request timeout');
      assert.ok(took >= 95 && took < 250, `took ${took} ms`);
      // The same downstream connection, then the same cluster: each answer is its own.
      for (const path of ['/after-timeout/1', '/after-timeout/2']) {
        const next = await httpRequest({ port, path, agent });
        assert.equal(next.status, 200);
        assert.equal(jsonOf(next).url, path);
      }
      assert.equal(counter(dp, 'cluster.slow.upstream_rq_timeout'), 1);
    } finally {
      agent.destroy();
    }
  });
});
