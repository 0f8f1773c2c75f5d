// Active health check knobs with Envoy's semantics, over real sockets, counted at the backends:
// no_traffic_interval until the cluster has made a connection; unhealthy_interval and the edge
// intervals; an unexpected status ejects at once while network failures and retriable statuses
// count toward unhealthy_threshold; reuse_connection (default true) keeps one connection;
// service_name_matcher; always_log_health_check_failures on the `weft:health-check:failed`
// channel; gRPC checks (grpc.health.v1.Health/Check over h2c) and HTTP checks over HTTP/2.
//
// Timing assertions only bound gaps from below where the config asks for a long wait (a timer
// never fires early) and compare them with the short ones; no test sleeps to see nothing happen.
import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import type { Cluster, HealthCheck, HttpHealthCheck } from '../src/model/index.ts';
import { httpRequest } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, snapshotOf, staticCluster } from './support/upstreams.ts';

function stat(dp: DataPlane, name: string): number {
  const m = dp.stats.get(name);
  return m !== undefined && (m.kind === 'counter' || m.kind === 'gauge') ? m.value : 0;
}

/** Waits (bounded) for `cond`, checking on every check a backend sees and every 5 ms. */
async function until(cond: () => boolean, what: () => string, limitMs = 5000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!cond() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), what());
}

/** An HTTP/1.1 (or h2c) backend: /healthz answers `status`, each check's time is recorded. */
class CheckedBackend {
  readonly server: http.Server | http2.Http2Server;
  address = '';
  status = 200;
  clusterHeader: string | undefined = undefined;
  /** performance.now() of each health check received. */
  readonly checks: number[] = [];
  readonly authorities: string[] = [];
  connections = 0;
  served = 0;

  constructor(h2 = false) {
    const handle = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse): void => {
      if (req.url === '/healthz') {
        this.checks.push(performance.now());
        this.authorities.push(String(req.headers[':authority'] ?? req.headers.host ?? ''));
        const headers: Record<string, string> = this.clusterHeader === undefined ? {} : { 'x-envoy-upstream-healthchecked-cluster': this.clusterHeader };
        res.writeHead(this.status, headers);
        res.end();
        return;
      }
      this.served++;
      res.end('ok');
    };
    this.server = h2 ? http2.createServer({}, handle) : http.createServer(handle);
    this.server.on('connection', (s: Socket) => {
      this.connections++;
      s.on('error', () => {});
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.address = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Gaps between consecutive checks from index `from` on. */
  gaps(from: number): number[] {
    const out: number[] = [];
    for (let i = Math.max(1, from); i < this.checks.length; i++) out.push(this.checks[i] - this.checks[i - 1]);
    return out;
  }

  close(): Promise<void> {
    const s = this.server as http.Server;
    if (typeof s.closeAllConnections === 'function') s.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

function httpCheck(extra: Partial<HealthCheck> = {}, http: Partial<HttpHealthCheck> = {}): HealthCheck {
  return {
    timeoutMs: 1000,
    intervalMs: 10,
    noTrafficIntervalMs: 10,
    unhealthyThreshold: 3,
    healthyThreshold: 1,
    healthChecker: { kind: 'httpHealthCheck', httpHealthCheck: { path: '/healthz', expectedStatuses: [], retriableStatuses: [], requestHeadersToAdd: [], requestHeadersToRemove: [], ...http } },
    ...extra,
  };
}

let running: { dp: DataPlane; closers: (() => Promise<void>)[] } | undefined;

afterEach(async () => {
  const r = running;
  running = undefined;
  if (r === undefined) return;
  await r.dp.stop({ drainTimeoutMs: 100 });
  for (const c of r.closers) await c();
});

async function serve(clusters: Cluster[], closers: (() => Promise<void>)[]): Promise<{ dp: DataPlane; port: number }> {
  const dp = new DataPlane({});
  running = { dp, closers };
  const applied = await dp.apply(
    snapshotOf({ listeners: [httpListener('main', inlineHcm(clusters.map((c) => prefixRoute(`/${c.name}`, c.name))))], clusters }),
  );
  assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
  return { dp, port: dp.boundAddress('main')!.port };
}

describe('health check intervals', () => {
  test('no_traffic_interval until the cluster makes a connection, interval after', async () => {
    const quiet = await new CheckedBackend().start();
    const busy = await new CheckedBackend().start();
    const { dp, port } = await serve(
      [
        // Default no_traffic_interval (60 s): after warming, no check while nothing is sent.
        staticCluster('quiet', [quiet.address], { healthChecks: [httpCheck({ noTrafficIntervalMs: undefined })] }),
        staticCluster('busy', [busy.address], { healthChecks: [httpCheck({ noTrafficIntervalMs: 300 })] }),
      ],
      [() => quiet.close(), () => busy.close()],
    );
    assert.equal(quiet.checks.length, 1, 'warming ran the first check');
    assert.equal(busy.checks.length, 1);
    assert.equal((await httpRequest({ port, path: '/busy' })).status, 200);
    // busy's next check waits out no_traffic_interval (armed before the traffic), then runs every interval.
    await until(() => busy.checks.length >= 8, () => `busy saw ${busy.checks.length} checks`);
    assert.ok(busy.gaps(1)[0] >= 290, `first gap ${busy.gaps(1)[0]} ms: no_traffic_interval`);
    assert.ok(Math.min(...busy.gaps(2)) < 150, `then interval: ${busy.gaps(2).join(',')}`);
    assert.equal(quiet.checks.length, 1, 'a cluster without traffic is checked every no_traffic_interval');
    assert.equal(stat(dp, 'cluster.quiet.health_check.attempt'), 1);
  });

  test('unhealthy_interval while failing; an unexpected status ejects at once despite unhealthy_threshold', async () => {
    const b = await new CheckedBackend().start();
    const { dp, port } = await serve([staticCluster('svc', [b.address], { healthChecks: [httpCheck({ unhealthyIntervalMs: 250 })] })], [() => b.close()]);
    // The cluster must have made a connection, or every check waits no_traffic_interval.
    assert.equal((await httpRequest({ port, path: '/svc' })).status, 200);
    await until(() => b.checks.length >= 3, () => 'a few healthy checks');
    b.status = 500;
    const from = b.checks.length;
    await until(() => stat(dp, 'cluster.svc.health_check.healthy') === 0, () => 'ejected');
    assert.equal(stat(dp, 'cluster.svc.health_check.failure'), 1, 'one active failure is enough');
    await until(() => b.checks.length >= from + 3, () => 'more checks while unhealthy', 3000);
    for (const g of b.gaps(from + 1)) assert.ok(g >= 240, `unhealthy_interval between failing checks: ${b.gaps(from + 1).join(',')}`);
    b.status = 200;
    await until(() => stat(dp, 'cluster.svc.health_check.healthy') === 1, () => 'back');
  });

  test('retriable statuses count toward unhealthy_threshold, at unhealthy_edge_interval, then unhealthy_interval', async () => {
    const b = await new CheckedBackend().start();
    const { dp, port } = await serve(
      [staticCluster('svc', [b.address], { healthChecks: [httpCheck({ unhealthyEdgeIntervalMs: 250, unhealthyIntervalMs: 10 }, { retriableStatuses: [{ start: 503, end: 504 }] })] })],
      [() => b.close()],
    );
    assert.equal((await httpRequest({ port, path: '/svc' })).status, 200);
    await until(() => b.checks.length >= 2, () => 'healthy checks');
    b.status = 503;
    const firstFailure = b.checks.length;
    await until(() => stat(dp, 'cluster.svc.health_check.healthy') === 0, () => 'ejected after three retriable failures');
    assert.equal(stat(dp, 'cluster.svc.health_check.failure'), 3);
    await until(() => b.checks.length >= firstFailure + 6, () => 'checks after the ejection');
    const gaps = b.gaps(firstFailure + 1);
    // Failures 1 and 2 left the change pending: unhealthy_edge_interval; after the third, unhealthy_interval.
    assert.ok(gaps[0] >= 240 && gaps[1] >= 240, `edge gaps ${gaps.join(',')}`);
    assert.ok(Math.min(...gaps.slice(2)) < 150, `unhealthy_interval gaps ${gaps.join(',')}`);
  });

  test('healthy_edge_interval while healthy_threshold successes are pending', async () => {
    const b = await new CheckedBackend().start();
    const { dp, port } = await serve(
      [staticCluster('svc', [b.address], { healthChecks: [httpCheck({ healthyThreshold: 3, healthyEdgeIntervalMs: 250, unhealthyIntervalMs: 10 })] })],
      [() => b.close()],
    );
    assert.equal((await httpRequest({ port, path: '/svc' })).status, 200);
    b.status = 500;
    await until(() => stat(dp, 'cluster.svc.health_check.healthy') === 0, () => 'ejected');
    b.status = 200;
    const from = b.checks.length;
    await until(() => stat(dp, 'cluster.svc.health_check.healthy') === 1, () => 'healthy after three passes');
    await until(() => b.checks.length >= from + 5, () => 'checks after recovery');
    const gaps = b.gaps(from + 1);
    assert.ok(gaps[0] >= 240 && gaps[1] >= 240, `healthy_edge_interval gaps ${gaps.join(',')}`);
    assert.ok(Math.min(...gaps.slice(2)) < 150, `interval once healthy: ${gaps.join(',')}`);
  });
});

describe('health check connections and matching', () => {
  test('reuse_connection: one connection by default, one per check when false', async () => {
    const kept = await new CheckedBackend().start();
    const fresh = await new CheckedBackend().start();
    await serve(
      [
        staticCluster('kept', [kept.address], { healthChecks: [httpCheck()] }),
        staticCluster('fresh', [fresh.address], { healthChecks: [httpCheck({ reuseConnection: false })] }),
      ],
      [() => kept.close(), () => fresh.close()],
    );
    await until(() => kept.checks.length >= 6 && fresh.checks.length >= 6, () => 'checks on both');
    assert.equal(kept.connections, 1);
    assert.ok(fresh.connections >= 6 && fresh.connections >= fresh.checks.length - 1, `${fresh.connections} connections for ${fresh.checks.length} checks`);
  });

  test('service_name_matcher checks x-envoy-upstream-healthchecked-cluster; verify_cluster counts', async () => {
    const b = await new CheckedBackend().start();
    b.clusterHeader = 'backend-a';
    const { dp } = await serve(
      [staticCluster('svc', [b.address], { healthChecks: [httpCheck({}, { serviceNameMatcher: { kind: 'prefix', prefix: 'backend' } as never, host: 'hc.example' })] })],
      [() => b.close()],
    );
    assert.equal(stat(dp, 'cluster.svc.health_check.healthy'), 1);
    assert.equal(b.authorities[0], 'hc.example');
    b.clusterHeader = 'other';
    await until(() => stat(dp, 'cluster.svc.health_check.healthy') === 0, () => 'a wrong cluster header fails the check');
    assert.ok(stat(dp, 'cluster.svc.health_check.verify_cluster') >= 2);
  });

  test('always_log_health_check_failures: every failure is published, else only the first check and the ejection', async () => {
    const loud = await new CheckedBackend().start();
    const quiet = await new CheckedBackend().start();
    loud.status = 500;
    quiet.status = 500;
    const seen: { cluster: string; ejected: boolean; firstCheck: boolean; failureType: string }[] = [];
    const onMessage = (m: unknown): void => void seen.push(m as never);
    diagnosticsChannel.subscribe('weft:health-check:failed', onMessage);
    try {
      const { dp } = await serve(
        [
          staticCluster('loud', [loud.address], { healthChecks: [httpCheck({ alwaysLogHealthCheckFailures: true, unhealthyIntervalMs: 10 })] }),
          staticCluster('quiet', [quiet.address], { healthChecks: [httpCheck({ unhealthyIntervalMs: 10 })] }),
        ],
        [() => loud.close(), () => quiet.close()],
      );
      await until(() => stat(dp, 'cluster.loud.health_check.failure') >= 5 && stat(dp, 'cluster.quiet.health_check.failure') >= 5, () => 'failures');
      diagnosticsChannel.unsubscribe('weft:health-check:failed', onMessage);
      const loudCount = stat(dp, 'cluster.loud.health_check.failure');
      const loudSeen = seen.filter((m) => m.cluster === 'loud');
      assert.ok(loudSeen.length >= 5 && loudSeen.length <= loudCount, `${loudSeen.length} of ${loudCount}`);
      // A new host starts failed_active_hc: its failing first check is logged; there is no ejection to log.
      assert.deepEqual(
        seen.filter((m) => m.cluster === 'quiet').map((m) => [m.firstCheck, m.failureType]),
        [[true, 'ACTIVE']],
      );
    } finally {
      diagnosticsChannel.unsubscribe('weft:health-check:failed', onMessage);
    }
  });
});

/** A gRPC health service on h2c: grpc.health.v1.Health/Check answers `serving` for any service. */
async function grpcHealthServer(): Promise<{ server: http2.Http2Server; address: string; state: { serving: boolean; services: string[]; authorities: string[]; sessions: number } }> {
  const state = { serving: true, services: [] as string[], authorities: [] as string[], sessions: 0 };
  const server = http2.createServer();
  server.on('session', () => state.sessions++);
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (headers[':path'] !== '/grpc.health.v1.Health/Check') {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12' }, { endStream: true });
        return;
      }
      const body = Buffer.concat(chunks);
      // HealthCheckRequest { string service = 1; }
      state.services.push(body.length > 7 ? body.subarray(7).toString() : '');
      state.authorities.push(String(headers[':authority']));
      const msg = Buffer.from([0, 0, 0, 0, 2, 0x08, state.serving ? 1 : 2]);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(msg);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}`, state };
}

describe('gRPC and HTTP/2 health checks', () => {
  test('grpc_health_check: SERVING is healthy, NOT_SERVING ejects; service name and authority are sent; one session', async () => {
    const g = await grpcHealthServer();
    const { dp } = await serve(
      [
        staticCluster('grpc', [g.address], {
          healthChecks: [{ timeoutMs: 1000, intervalMs: 10, noTrafficIntervalMs: 10, unhealthyThreshold: 2, healthyThreshold: 2, healthChecker: { kind: 'grpcHealthCheck', grpcHealthCheck: { serviceName: 'echo.Echo', authority: 'grpc.local' } } }],
        }),
      ],
      [() => new Promise<void>((r) => g.server.close(() => r()))],
    );
    assert.equal(stat(dp, 'cluster.grpc.health_check.healthy'), 1);
    assert.equal(g.state.services[0], 'echo.Echo');
    assert.equal(g.state.authorities[0], 'grpc.local');
    g.state.serving = false;
    await until(() => stat(dp, 'cluster.grpc.health_check.healthy') === 0, () => 'NOT_SERVING ejects');
    assert.equal(stat(dp, 'cluster.grpc.membership_healthy'), 0);
    g.state.serving = true;
    await until(() => stat(dp, 'cluster.grpc.health_check.healthy') === 1, () => 'SERVING again');
    assert.equal(g.state.sessions, 1, 'the h2 session is reused between checks');
    assert.equal(stat(dp, 'cluster.grpc.health_check.network_failure'), 0);
  });

  test('a gRPC check against a dead port is a network failure', async () => {
    const g = await grpcHealthServer();
    const address = g.address;
    await new Promise<void>((r) => g.server.close(() => r()));
    const { dp } = await serve(
      [staticCluster('grpc', [address], { healthChecks: [{ timeoutMs: 1000, intervalMs: 10, noTrafficIntervalMs: 10, unhealthyThreshold: 1, healthyThreshold: 1, healthChecker: { kind: 'grpcHealthCheck', grpcHealthCheck: {} } }] })],
      [],
    );
    assert.equal(stat(dp, 'cluster.grpc.health_check.healthy'), 0);
    assert.ok(stat(dp, 'cluster.grpc.health_check.network_failure') >= 1);
  });

  test('codec_client_type HTTP2: the HTTP check goes over h2c', async () => {
    const b = await new CheckedBackend(true).start();
    const { dp } = await serve([staticCluster('svc', [b.address], { healthChecks: [httpCheck({}, { codecClientType: 'HTTP2' })] })], [() => b.close()]);
    assert.equal(stat(dp, 'cluster.svc.health_check.healthy'), 1);
    assert.equal(b.authorities[0], 'svc');
    b.status = 503;
    await until(() => stat(dp, 'cluster.svc.health_check.healthy') === 0, () => 'ejected over h2');
    assert.equal(b.connections, 1);
  });
});
