// Active health checks over real sockets: an HTTP check (path, expected statuses, interval,
// timeout, healthy/unhealthy thresholds) takes a host whose /healthz fails out of the load
// balancer and brings it back when it passes again; /clusters shows /failed_active_hc; a TCP
// check marks a refused endpoint unhealthy. The cluster warms (first round) before apply returns.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import type { HealthCheck } from '../src/model/index.ts';
import { renderClusters } from '../src/observe/admin/index.ts';
import { httpRequest } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, refusedPort, snapshotOf, startTcpEchoUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

function stat(dp: DataPlane, name: string): number {
  const m = dp.stats.get(name);
  return m !== undefined && (m.kind === 'counter' || m.kind === 'gauge') ? m.value : 0;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** A backend named `name` whose /healthz answers 200 while `healthy`, else 503. */
async function backend(name: string): Promise<{ server: http.Server; address: string; state: { healthy: boolean; served: number; checks: number; lastCheckHost: string } }> {
  const state = { healthy: true, served: 0, checks: 0, lastCheckHost: '' };
  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') {
      state.checks++;
      state.lastCheckHost = req.headers.host ?? '';
      res.writeHead(state.healthy ? 200 : 503);
      res.end();
      return;
    }
    state.served++;
    res.end(name);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}`, state };
}

describe('active health checks', () => {
  let a: Awaited<ReturnType<typeof backend>>;
  let b: Awaited<ReturnType<typeof backend>>;
  let echo: Upstream;
  let refused: string;
  let dp: DataPlane;
  let port: number;

  before(async () => {
    a = await backend('a');
    b = await backend('b');
    echo = await startTcpEchoUpstream('echo');
    refused = `127.0.0.1:${await refusedPort()}`;
    const httpCheck: HealthCheck = {
      timeoutMs: 500,
      intervalMs: 20,
      // Envoy checks a cluster that has made no connection yet every no_traffic_interval (60 s by default).
      noTrafficIntervalMs: 20,
      unhealthyThreshold: 2,
      healthyThreshold: 2,
      healthChecker: { kind: 'httpHealthCheck', httpHealthCheck: { path: '/healthz', expectedStatuses: [{ start: 200, end: 300 }], retriableStatuses: [], requestHeadersToAdd: [], requestHeadersToRemove: [] } },
    };
    const tcpCheck: HealthCheck = { timeoutMs: 500, intervalMs: 20, noTrafficIntervalMs: 20, unhealthyThreshold: 1, healthyThreshold: 1, healthChecker: { kind: 'tcpHealthCheck', tcpHealthCheck: { receive: [] } } };
    dp = new DataPlane({});
    const applied = await dp.apply(
      snapshotOf({
        listeners: [httpListener('main', inlineHcm([prefixRoute('/', 'web')]))],
        clusters: [staticCluster('web', [a.address, b.address], { healthChecks: [httpCheck] }), staticCluster('tcp', [echo.address, refused], { healthChecks: [tcpCheck] })],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('main')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    for (const s of [a.server, b.server]) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    await echo.close();
  });

  test('after warming both hosts passed their first check and take traffic; the check carries the cluster name as host', async () => {
    assert.equal(stat(dp, 'cluster.web.health_check.healthy'), 2);
    assert.ok(stat(dp, 'cluster.web.health_check.success') >= 2);
    assert.equal(a.state.lastCheckHost, 'web');
    for (let i = 0; i < 4; i++) assert.equal((await httpRequest({ port, path: '/x' })).status, 200);
    assert.ok(a.state.served > 0 && b.state.served > 0);
  });

  test('a host failing unhealthy_threshold checks leaves the load balancer, and comes back after healthy_threshold passes', async () => {
    b.state.healthy = false;
    await until(() => stat(dp, 'cluster.web.health_check.healthy') === 1, 'b to be marked unhealthy');
    const text = renderClusters(dp.clustersView(), new URLSearchParams()).body;
    assert.ok(text.includes(`web::${b.address}::health_flags::/failed_active_hc`), text);
    assert.equal(stat(dp, 'cluster.web.membership_healthy'), 1);
    const before = b.state.served;
    for (let i = 0; i < 6; i++) assert.equal((await httpRequest({ port, path: '/y' })).status, 200);
    assert.equal(b.state.served, before, 'no traffic to the unhealthy host');
    assert.ok(stat(dp, 'cluster.web.health_check.failure') >= 2);

    b.state.healthy = true;
    await until(() => stat(dp, 'cluster.web.health_check.healthy') === 2, 'b to come back');
    for (let i = 0; i < 4; i++) await httpRequest({ port, path: '/z' });
    assert.ok(b.state.served > before, 'traffic again');
  });

  test('TCP check: the refused endpoint is unhealthy, the echo one healthy', async () => {
    await until(() => stat(dp, 'cluster.tcp.health_check.network_failure') >= 1, 'a network failure');
    assert.equal(stat(dp, 'cluster.tcp.health_check.healthy'), 1);
    assert.equal(stat(dp, 'cluster.tcp.membership_healthy'), 1);
    const text = renderClusters(dp.clustersView(), new URLSearchParams()).body;
    assert.ok(text.includes(`tcp::${refused}::health_flags::/failed_active_hc`), text);
    assert.ok(text.includes(`tcp::${echo.address}::health_flags::healthy`), text);
  });
});
