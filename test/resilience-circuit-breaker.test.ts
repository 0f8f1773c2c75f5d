// Circuit breakers, as in the seeds' circuit-breaker tutorial: a cluster with max_requests 2 and
// max_pending_requests 1 in front of a backend that takes ~20 ms. `weft load -c 2 -n 20` stays
// within the limits; `-c 4 -n 20` overflows, every overflow is a 503 UO with
// `x-envoy-overloaded: true`, and `upstream_rq_pending_overflow` counts exactly those 503s.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseLoadArgs, runLoad, type LoadResult } from '../src/apps/load/index.ts';
import { DataPlane } from '../src/dataplane/index.ts';
import { httpRequest } from './support/http-client.ts';
import { httpListener, inlineHcm, LogCapture, prefixRoute, snapshotOf, startHttpUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

function metric(dp: DataPlane, name: string): number {
  const m = dp.stats.get(name);
  return m !== undefined && (m.kind === 'counter' || m.kind === 'gauge') ? m.value : 0;
}

async function load(argv: string[]): Promise<LoadResult> {
  const o = parseLoadArgs(argv);
  assert.ok(o.ok, o.ok ? '' : o.error);
  return runLoad(o.value, { write: () => {}, writeError: () => {} });
}

describe('circuit breakers (max_requests 2, max_pending_requests 1)', () => {
  let up: Upstream;
  let dp: DataPlane;
  let port: number;
  const log = new LogCapture();

  before(async () => {
    up = await startHttpUpstream('backend');
    dp = new DataPlane({ defaultAccessLog: true, accessLogStdout: log });
    const applied = await dp.apply(
      snapshotOf({
        listeners: [httpListener('main', inlineHcm([prefixRoute('/', 'backend')]))],
        clusters: [
          staticCluster('backend', [up.address], {
            circuitBreakers: { thresholds: [{ maxConnections: 100, maxPendingRequests: 1, maxRequests: 2, trackRemaining: true }] },
          }),
        ],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('main')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await up.close();
  });

  test('-c 2 -n 20: within the limits, mostly 200', async () => {
    const before = metric(dp, 'cluster.backend.upstream_rq_pending_overflow');
    const r = await load(['-c', '2', '-qps', '0', '-n', '20', `http://127.0.0.1:${port}/delay/20`]);
    const ok = r.codes.get(200) ?? 0;
    const overflowed = r.codes.get(503) ?? 0;
    assert.equal(ok + overflowed, 20, JSON.stringify([...r.codes]));
    assert.ok(overflowed <= 3, `at most a few 503, got ${overflowed}`);
    assert.equal(metric(dp, 'cluster.backend.upstream_rq_pending_overflow') - before, overflowed);
  });

  test('-c 4 -n 20: a substantial share of 503, each one counted as pending overflow', async () => {
    const before = metric(dp, 'cluster.backend.upstream_rq_pending_overflow');
    const seen = up.requests.length;
    const r = await load(['-c', '4', '-qps', '0', '-n', '20', `http://127.0.0.1:${port}/delay/20`]);
    const ok = r.codes.get(200) ?? 0;
    const overflowed = r.codes.get(503) ?? 0;
    assert.equal(ok + overflowed, 20, JSON.stringify([...r.codes]));
    assert.ok(overflowed >= 4, `a substantial share of 503, got ${overflowed} of 20`);
    assert.ok(ok >= 2, `some requests still pass, got ${ok}`);
    assert.equal(metric(dp, 'cluster.backend.upstream_rq_pending_overflow') - before, overflowed);
    // Overflowed requests never reached the backend.
    assert.equal(up.requests.length - seen, ok);
  });

  test('every overflow answer: 503, x-envoy-overloaded: true, flag UO', async () => {
    const before = metric(dp, 'cluster.backend.upstream_rq_pending_overflow');
    const results = await Promise.all(Array.from({ length: 6 }, () => httpRequest({ port, path: '/delay/50' })));
    const overflowed = results.filter((r) => r.status === 503);
    // 2 run, 1 waits, the other 3 overflow (all six arrive while the first two are still running).
    assert.equal(results.filter((r) => r.status === 200).length + overflowed.length, 6);
    assert.ok(overflowed.length >= 3, `expected at least 3 overflows, got ${overflowed.length}`);
    for (const r of overflowed) {
      assert.equal(r.headers['x-envoy-overloaded'], 'true');
      assert.equal(r.text, 'upstream connect error or disconnect/reset before headers. reset reason: overflow');
    }
    assert.equal(metric(dp, 'cluster.backend.upstream_rq_pending_overflow') - before, overflowed.length);
    await log.waitFor((l) => l.includes('"GET /delay/50 HTTP/1.1" 503 UO '));
  });

  test('gauges: remaining_* back to their limits, *_open back to 0 once idle', async () => {
    assert.equal(metric(dp, 'cluster.backend.circuit_breakers.default.remaining_rq'), 2);
    assert.equal(metric(dp, 'cluster.backend.circuit_breakers.default.remaining_pending'), 1);
    assert.equal(metric(dp, 'cluster.backend.circuit_breakers.default.rq_open'), 0);
    assert.equal(metric(dp, 'cluster.backend.circuit_breakers.default.rq_pending_open'), 0);
    assert.equal(metric(dp, 'cluster.backend.upstream_rq_pending_active'), 0);
    assert.ok(metric(dp, 'cluster.backend.upstream_rq_pending_total') >= 1);
    assert.equal(metric(dp, 'cluster.backend.circuit_breakers.default.remaining_retries'), 3);
  });
});
