// Clusters on real sockets: EDS endpoints that change under a kept cluster, STRICT_DNS resolution,
// HTTP/2 to the upstream, weighted clusters and endpoint weights through the proxy, the admin
// cluster, CONNECT tunnels, and the views the admin endpoints render.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataPlane, SeededRandom } from '../src/dataplane/index.ts';
import type { Snapshot } from '../src/model/index.ts';
import { clusterName, newCluster, newLoadAssignment, newRoute, toCluster } from '../src/model/index.ts';
import { httpRequest, jsonOf, readUntil } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, snapshotOf, startH2cUpstream, startHttpUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

describe('clusters and upstreams', () => {
  let a: Upstream;
  let b: Upstream;
  let c: Upstream;
  let h2: Upstream;
  let admin: Upstream;
  let dp: DataPlane;
  let port: number;

  function snapshot(version: string, edsHosts: string[]): Snapshot {
    return snapshotOf(
      {
        listeners: [
          httpListener(
            'main',
            inlineHcm(
              [
                prefixRoute('/eds', 'eds'),
                prefixRoute('/dns', 'dns', { hostRewriteSpecifier: { kind: 'autoHostRewrite', autoHostRewrite: true } }),
                prefixRoute('/h2', 'h2'),
                prefixRoute('/weighted-hosts', 'weighted-hosts'),
                prefixRoute('/stats/prometheus', 'envoy-admin'),
                newRoute({ match: { pathSpecifier: { kind: 'connectMatcher' }, headers: [], queryParameters: [] }, action: toCluster('a') }),
                newRoute({
                  match: { pathSpecifier: { kind: 'prefix', prefix: '/split' }, headers: [], queryParameters: [] },
                  action: toCluster('a', {
                    clusterSpecifier: {
                      kind: 'weightedClusters',
                      weightedClusters: {
                        clusters: [
                          { name: clusterName('a'), weight: 90, requestHeadersToAdd: [{ header: { key: 'x-split', value: 'a' } }], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [], typedPerFilterConfig: {} },
                          { name: clusterName('b'), weight: 10, requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [], typedPerFilterConfig: {} },
                        ],
                      },
                    },
                  }),
                }),
                prefixRoute('/', 'a'),
              ],
              { upgradeConfigs: [{ upgradeType: 'CONNECT' }] },
            ),
          ),
        ],
        clusters: [
          staticCluster('a', [a.address]),
          staticCluster('b', [b.address]),
          staticCluster('weighted-hosts', [
            { address: a.address, weight: 1 },
            { address: b.address, weight: 2 },
            { address: c.address, weight: 7 },
          ]),
          newCluster({ name: 'eds', type: 'EDS' }),
          newCluster({ name: 'dns', type: 'STRICT_DNS', loadAssignment: newLoadAssignment('dns', [`localhost:${c.port}`]), dnsLookupFamily: 'V4_ONLY' }),
          staticCluster('h2', [h2.address], {
            httpProtocolOptions: { upstreamProtocolOptions: { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'http2ProtocolOptions', http2ProtocolOptions: {} } } },
          }),
        ],
        endpoints: [newLoadAssignment('eds', edsHosts)],
      },
      version,
    );
  }

  before(async () => {
    a = await startHttpUpstream('a');
    b = await startHttpUpstream('b');
    c = await startHttpUpstream('c');
    h2 = await startH2cUpstream('h2');
    admin = await startHttpUpstream('admin');
    dp = new DataPlane({ random: new SeededRandom(42), adminAddress: { host: '127.0.0.1', port: admin.port } });
    const r = await dp.apply(snapshot('1', [a.address]));
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    port = dp.boundAddress('main')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await Promise.all([a.close(), b.close(), c.close(), h2.close(), admin.close()]);
  });

  test('EDS endpoints change under a kept cluster', async () => {
    assert.equal(jsonOf(await httpRequest({ port, path: '/eds' })).upstream, 'a');
    const cluster = dp.cluster('eds');
    assert.ok((await dp.apply(snapshot('2', [b.address]))).ok);
    assert.equal(dp.cluster('eds'), cluster, 'the cluster object is kept');
    assert.equal(jsonOf(await httpRequest({ port, path: '/eds' })).upstream, 'b');
    assert.ok((await dp.apply(snapshot('3', []))).ok);
    const none = await httpRequest({ port, path: '/eds' });
    assert.deepEqual([none.status, none.text], [503, 'no healthy upstream']);
    assert.ok((await dp.apply(snapshot('4', [a.address]))).ok);
  });

  test('STRICT_DNS resolves names; auto_host_rewrite sends the name as Host', async () => {
    const r = await httpRequest({ port, path: '/dns', headers: { host: 'original.test' } });
    assert.equal(r.status, 200);
    const seen = jsonOf(r);
    assert.equal(seen.upstream, 'c');
    assert.equal(seen.headers.host, 'localhost');
    assert.equal(dp.cluster('dns')?.hosts[0]?.address, '127.0.0.1');
  });

  test('HTTP/2 to the upstream (h2c) for an HTTP/1.1 client', async () => {
    const r = await httpRequest({ port, path: '/h2/x', method: 'POST', body: 'hello' });
    assert.equal(r.status, 200);
    const seen = jsonOf(r);
    assert.deepEqual([seen.upstream, seen.httpVersion, seen.bodyBytes], ['h2', '2.0', 5]);
    assert.ok((dp.stats.get('cluster.h2.upstream_cx_http2_total') as { value: number }).value >= 1);
  });

  test('weighted clusters 90/10 and endpoint weights 1:2:7 hold through the proxy', async () => {
    const split = new Map<string, number>();
    const hosts = new Map<string, number>();
    const n = 1000;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < n; i++) {
      const s = jsonOf(await httpRequest({ port, path: '/split', agent }));
      split.set(s.upstream, (split.get(s.upstream) ?? 0) + 1);
      if (s.upstream === 'a') assert.equal(s.headers['x-split'], 'a', 'the weighted entry adds its headers');
      const h = jsonOf(await httpRequest({ port, path: '/weighted-hosts', agent }));
      hosts.set(h.upstream, (hosts.get(h.upstream) ?? 0) + 1);
    }
    agent.destroy();
    // A random 90/10 pick over 1000 requests: within ±3 points (≈ 3 standard deviations).
    assert.ok(Math.abs((split.get('a') ?? 0) / n - 0.9) <= 0.03, JSON.stringify([...split]));
    // Round robin over weights is exact over whole cycles of 10.
    assert.deepEqual([hosts.get('a'), hosts.get('b'), hosts.get('c')], [100, 200, 700]);
  });

  test('the envoy-admin cluster points at the local API', async () => {
    const r = await httpRequest({ port, path: '/stats/prometheus' });
    assert.equal(jsonOf(r).upstream, 'admin');
  });

  test('CONNECT tunnels through to the upstream', async () => {
    const s = net.connect(port, '127.0.0.1');
    try {
      s.write('CONNECT example.test:443 HTTP/1.1\r\nhost: example.test:443\r\n\r\n');
      const head = await readUntil(s, (t) => t.includes('\r\n\r\n'));
      assert.match(head, /^HTTP\/1\.1 200/);
      s.write('bytes through the tunnel');
      assert.equal(await readUntil(s, (t) => t.includes('tunnel')), 'bytes through the tunnel');
      const seen = a.requests.find((r) => r.method === 'CONNECT');
      assert.equal(seen?.url, 'example.test:443');
    } finally {
      s.destroy();
    }
  });

  test('the /clusters and /listeners views', () => {
    const clusters = dp.clustersView();
    const weighted = clusters.find((x) => x.name === 'weighted-hosts');
    assert.deepEqual(
      weighted?.hosts.map((h) => [`${h.address}:${h.port}`, h.weight]),
      [
        [a.address, 1],
        [b.address, 2],
        [c.address, 7],
      ],
    );
    assert.ok((weighted?.hosts[2].stats.rqTotal ?? 0) >= 700);
    assert.ok(clusters.some((x) => x.name === 'envoy-admin' && !x.addedViaApi));
    assert.deepEqual(dp.listenersView(), [{ name: 'main', address: '127.0.0.1', port }]);
  });
});
