// Outlier detection over real sockets, as on every example cluster of the seeds: consecutive_5xx 3
// ejects the failing endpoint of three; it gets no traffic until base_ejection_time has passed on
// the injected clock (the interval timer brings it back), /clusters shows it as
// failed_outlier_check, and the outlier_detection.* stats count it. A second ejection lasts twice
// as long. With split_external_local_origin_errors, a refused endpoint is ejected by
// consecutive_local_origin_failure.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import { renderClusters } from '../src/observe/admin/index.ts';
import { createManualClockForTest } from '../src/observe/clock.ts';
import { httpRequest } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, refusedPort, snapshotOf, startHttpUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

function stat(dp: DataPlane, name: string): number {
  const m = dp.stats.get(name);
  return m !== undefined && (m.kind === 'counter' || m.kind === 'gauge') ? m.value : 0;
}

/** Waits (bounded) until `cond` holds: the interval timer runs every 20 ms of real time. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function failingBackend(): Promise<{ server: http.Server; address: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('broken');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

describe('outlier detection', () => {
  const clock = createManualClockForTest(1_700_000_000_000, 1_000);
  let a: Upstream;
  let b: Upstream;
  let bad: Awaited<ReturnType<typeof failingBackend>>;
  let refused: string;
  let dp: DataPlane;
  let port: number;

  before(async () => {
    a = await startHttpUpstream('a');
    b = await startHttpUpstream('b');
    bad = await failingBackend();
    refused = `127.0.0.1:${await refusedPort()}`;
    dp = new DataPlane({ clock });
    const applied = await dp.apply(
      snapshotOf({
        listeners: [httpListener('main', inlineHcm([prefixRoute('/split', 'split'), prefixRoute('/', 'three')]))],
        clusters: [
          staticCluster('three', [a.address, b.address, bad.address], { outlierDetection: { consecutive5xx: 3, intervalMs: 20, baseEjectionTimeMs: 30_000 } }),
          staticCluster('split', [a.address, refused], {
            outlierDetection: { splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailure: 2, consecutive5xx: 100, intervalMs: 20, baseEjectionTimeMs: 10_000, maxEjectionPercent: 0.5 },
          }),
        ],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('main')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await a.close();
    await b.close();
    bad.server.closeAllConnections();
    await new Promise<void>((r) => bad.server.close(() => r()));
  });

  test('consecutive_5xx 3: the failing endpoint of three is ejected and gets no traffic until base_ejection_time', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await httpRequest({ port, path: `/x${i}` })).status);
    assert.equal(bad.hits(), 3, 'round robin sent it exactly three requests, then it was ejected');
    assert.equal(statuses.filter((s) => s === 500).length, 3);
    assert.equal(stat(dp, 'cluster.three.outlier_detection.ejections_enforced_consecutive_5xx'), 1);
    assert.equal(stat(dp, 'cluster.three.outlier_detection.ejections_active'), 1);
    assert.equal(stat(dp, 'cluster.three.outlier_detection.ejections_enforced_total'), 1);
    assert.equal(stat(dp, 'cluster.three.membership_healthy'), 2);
    const text = renderClusters(dp.clustersView(), new URLSearchParams()).body;
    assert.ok(text.includes(`three::${bad.address}::health_flags::/failed_outlier_check`), text);
    assert.ok(text.includes(`three::${a.address}::health_flags::healthy`), text);

    // Time passes on the injected clock, short of base_ejection_time: still out.
    clock.advance(29_000);
    await new Promise((r) => setTimeout(r, 60));
    for (let i = 0; i < 6; i++) assert.equal((await httpRequest({ port, path: '/y' })).status, 200);
    assert.equal(bad.hits(), 3);

    clock.advance(1_000);
    await until(() => stat(dp, 'cluster.three.outlier_detection.ejections_active') === 0, 'the host to come back');
    const back: number[] = [];
    for (let i = 0; i < 6; i++) back.push((await httpRequest({ port, path: '/z' })).status);
    assert.ok(bad.hits() > 3, 'it gets traffic again');
    assert.ok(renderClusters(dp.clustersView(), new URLSearchParams()).body.includes(`three::${bad.address}::health_flags::healthy`));
  });

  test('a second ejection lasts twice base_ejection_time', async () => {
    for (let i = 0; i < 12 && stat(dp, 'cluster.three.outlier_detection.ejections_active') === 0; i++) await httpRequest({ port, path: '/again' });
    assert.equal(stat(dp, 'cluster.three.outlier_detection.ejections_enforced_consecutive_5xx'), 2);
    clock.advance(30_000);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(stat(dp, 'cluster.three.outlier_detection.ejections_active'), 1, 'still out after one base_ejection_time');
    clock.advance(30_000);
    await until(() => stat(dp, 'cluster.three.outlier_detection.ejections_active') === 0, 'the host to come back after 2 × base');
  });

  test('split_external_local_origin_errors: a refused endpoint is ejected by consecutive_local_origin_failure', async () => {
    for (let i = 0; i < 10 && stat(dp, 'cluster.split.outlier_detection.ejections_active') === 0; i++) await httpRequest({ port, path: '/split' });
    assert.equal(stat(dp, 'cluster.split.outlier_detection.ejections_enforced_consecutive_local_origin_failure'), 1);
    assert.equal(stat(dp, 'cluster.split.outlier_detection.ejections_enforced_consecutive_5xx'), 0);
    for (let i = 0; i < 5; i++) assert.equal((await httpRequest({ port, path: '/split' })).status, 200);
    assert.ok(renderClusters(dp.clustersView(), new URLSearchParams()).body.includes(`split::${refused}::health_flags::/failed_outlier_check`));
  });
});
