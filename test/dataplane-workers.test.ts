// The workers mode: two processes share one listening socket, both serve, their stats sum.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { DataPlaneWorkers } from '../src/dataplane/index.ts';
import { httpRequest, jsonOf } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, snapshotOf, startHttpUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

describe('workers mode', () => {
  let up: Upstream;
  let workers: DataPlaneWorkers;

  before(async () => {
    up = await startHttpUpstream('backend');
    workers = await DataPlaneWorkers.start({ workers: 2 });
  });

  after(async () => {
    await workers.stop({ drainTimeoutMs: 100 });
    await up.close();
  });

  test('two workers serve one port; a bad snapshot is refused by all; stats are summed', async () => {
    const r = await workers.apply(snapshotOf({ listeners: [httpListener('main', inlineHcm([prefixRoute('/', 'backend')]))], clusters: [staticCluster('backend', [up.address])] }));
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    const port = workers.boundAddress('main')!.port;
    assert.ok(port > 0);
    // Separate connections, so the kernel may hand them to either worker.
    const n = 40;
    const results = await Promise.all(Array.from({ length: n }, () => httpRequest({ port, path: '/w', agent: new http.Agent({ keepAlive: false }) })));
    assert.ok(results.every((x) => x.status === 200 && jsonOf(x).upstream === 'backend'));
    const stats = await workers.collectStats();
    const total = stats.get('http.ingress_http.downstream_rq_total');
    assert.equal(total?.kind === 'counter' ? total.value : -1, n);
    const bad = await workers.apply({ ...workers.snapshot!, version: 'bad', clusters: [] });
    assert.equal(bad.ok, false);
    assert.equal((await httpRequest({ port, path: '/after' })).status, 200);
    const views = await workers.collectViews();
    assert.equal(views.clusters.find((c) => c.name === 'backend')?.hosts[0].stats.rqTotal, n + 1);
  });
});
