// Request mirroring (request_mirror_policies) over real sockets: with 100% mirroring the mirror
// receives every request (body included) with `-shadow` appended to the host, the client sees
// only the primary's answer, and a slow or a down mirror neither slows nor fails the main request.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import { httpRequest, jsonOf } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, refusedPort, snapshotOf, startHttpUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

/** A backend that reads requests and never answers (the test's "slow mirror"). */
async function blackHole(): Promise<{ server: http.Server; address: string; seen: () => number }> {
  let seen = 0;
  const server = http.createServer((req) => {
    seen++;
    req.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen: () => seen };
}

function stat(dp: DataPlane, name: string): number {
  const m = dp.stats.get(name);
  return m !== undefined && (m.kind === 'counter' || m.kind === 'gauge') ? m.value : 0;
}

describe('request mirroring', () => {
  let primary: Upstream;
  let mirror: Upstream;
  let slow: Awaited<ReturnType<typeof blackHole>>;
  let dp: DataPlane;
  let port: number;

  before(async () => {
    primary = await startHttpUpstream('primary');
    mirror = await startHttpUpstream('mirror');
    slow = await blackHole();
    const down = `127.0.0.1:${await refusedPort()}`;
    dp = new DataPlane({});
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          httpListener(
            'main',
            inlineHcm([
              prefixRoute('/mirrored', 'primary', { requestMirrorPolicies: [{ cluster: 'mirror' as never }] }),
              prefixRoute('/to-slow', 'primary', { requestMirrorPolicies: [{ cluster: 'slow' as never }] }),
              prefixRoute('/to-down', 'primary', { requestMirrorPolicies: [{ cluster: 'down' as never }] }),
              prefixRoute('/never', 'primary', { requestMirrorPolicies: [{ cluster: 'mirror' as never, runtimeFraction: 0 }] }),
            ]),
          ),
        ],
        clusters: [staticCluster('primary', [primary.address]), staticCluster('mirror', [mirror.address]), staticCluster('slow', [slow.address]), staticCluster('down', [down])],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('main')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await primary.close();
    await mirror.close();
    slow.server.closeAllConnections();
    await new Promise<void>((r) => slow.server.close(() => r()));
  });

  test('100%: the mirror receives every request, with -shadow on the host; the client sees only the primary', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await httpRequest({ port, path: `/mirrored/${i}` });
      assert.equal(r.status, 200);
      assert.equal(jsonOf(r).upstream, 'primary');
    }
    const body = 'x'.repeat(100_000);
    const posted = await httpRequest({ port, path: '/mirrored/post', method: 'POST', body });
    assert.equal(jsonOf(posted).bodyBytes, body.length);
    for (let i = 0; i < 5; i++) {
      const m = await mirror.waitForRequest((r) => r.url === `/mirrored/${i}`);
      assert.equal(m.headers.host, `127.0.0.1-shadow:${port}`);
    }
    const mp = await mirror.waitForRequest((r) => r.url === '/mirrored/post');
    assert.equal(mp.method, 'POST');
    // The recorded body size is filled in once the mirror has read it all.
    for (let i = 0; i < 100 && mp.bodyBytes !== body.length; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(mp.bodyBytes, body.length, 'the mirror got the whole body');
    assert.equal(stat(dp, 'cluster.mirror.upstream_rq_total'), 6);
  });

  test('runtime_fraction 0: nothing is mirrored', async () => {
    assert.equal((await httpRequest({ port, path: '/never' })).status, 200);
    assert.equal(mirror.requests.filter((r) => r.url === '/never').length, 0);
    assert.equal(stat(dp, 'cluster.mirror.upstream_rq_total'), 6);
  });

  test('a mirror that never answers does not slow the main request', async () => {
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) assert.equal((await httpRequest({ port, path: '/to-slow', method: 'POST', body: 'abc' })).status, 200);
    for (let i = 0; i < 100 && slow.seen() < 3; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(slow.seen(), 3, 'the slow mirror did get the copies');
    assert.ok(performance.now() - t0 < 1000, 'answers came at the primary\'s pace');
  });

  test('a mirror that is down does not fail the main request', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await httpRequest({ port, path: '/to-down' });
      assert.equal(r.status, 200);
      assert.equal(jsonOf(r).upstream, 'primary');
    }
  });
});
