// The max_connections circuit breaker is the cluster's, across all its hosts (Envoy: per cluster
// and priority), counted at the backends' accept: when a new connection would pass the limit,
// `upstream_cx_overflow` counts it and the request waits for a connection of its host's pool (a
// `max_pending_requests` slot), or, with that budget spent, gets 503 UO with
// `x-envoy-overloaded: true`. As Envoy documents, a host the balancer picks always gets one
// connection even at the limit (so its waiters are never stranded): the cluster holds at most
// max_connections + one connection per pool. tcp_proxy makes no connection at the limit.
//
// The backends park every /hold request until the test releases it, so each step is observed,
// not timed.
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, afterEach, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import { newFilterChain, newListener } from '../src/model/index.ts';
import { httpRequest, type HttpResult } from './support/http-client.ts';
import { httpListener, inlineHcm, LogCapture, prefixRoute, refusedPort, snapshotOf, startTcpEchoUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

/** Open-socket counts shared by a test's backends. */
class SocketCounts {
  open = 0;
  maxOpen = 0;
}

/** An HTTP/1.1 backend that counts sockets (open now, most at once, accepted) and parks /hold requests. */
class HoldBackend {
  readonly server: http.Server;
  address = '';
  open = 0;
  maxOpen = 0;
  accepted = 0;
  seen = 0;
  readonly #parked: http.ServerResponse[] = [];
  readonly #waiters: { n: number; resolve: () => void }[] = [];

  constructor(readonly name: string, shared: SocketCounts) {
    this.server = http.createServer((req, res) => {
      this.seen++;
      req.resume();
      if (req.url?.startsWith('/hold')) this.#parked.push(res);
      else res.end(this.name);
      for (let i = this.#waiters.length - 1; i >= 0; i--) if (this.#parked.length >= this.#waiters[i].n) this.#waiters.splice(i, 1)[0].resolve();
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (s: net.Socket) => {
      this.accepted++;
      this.open++;
      shared.open++;
      this.maxOpen = Math.max(this.maxOpen, this.open);
      shared.maxOpen = Math.max(shared.maxOpen, shared.open);
      s.on('close', () => {
        this.open--;
        shared.open--;
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.address = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get parked(): number {
    return this.#parked.length;
  }

  /** Resolves once `n` requests are parked here. */
  waitParked(n: number): Promise<void> {
    if (this.#parked.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: ${this.#parked.length} parked, wanted ${n}`)), 5000);
      this.#waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Answers the oldest parked request. */
  releaseOne(): void {
    const res = this.#parked.shift();
    assert.ok(res !== undefined, `${this.name}: nothing parked`);
    res.end(this.name);
  }

  close(): Promise<void> {
    for (const r of this.#parked.splice(0)) r.destroy();
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

function stat(dp: DataPlane, name: string): number {
  const m = dp.stats.get(name);
  return m !== undefined && (m.kind === 'counter' || m.kind === 'gauge') ? m.value : 0;
}

/** Waits (bounded) until `cond` holds; the proxy updates its stats a few event-loop turns after the sockets move. */
async function until(cond: () => boolean, what: () => string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), what());
}

interface Setup {
  readonly dp: DataPlane;
  readonly port: number;
  readonly backends: HoldBackend[];
  readonly counts: SocketCounts;
  readonly log: LogCapture;
}

let current: Setup | undefined;

async function setup(hosts: number, thresholds: { maxConnections: number; maxPendingRequests?: number }): Promise<Setup> {
  const counts = new SocketCounts();
  const backends = Array.from({ length: hosts }, (_, i) => new HoldBackend(`b${i}`, counts));
  for (const b of backends) await b.start();
  const log = new LogCapture();
  const dp = new DataPlane({ defaultAccessLog: true, accessLogStdout: log });
  const applied = await dp.apply(
    snapshotOf({
      listeners: [httpListener('main', inlineHcm([prefixRoute('/', 'svc')]))],
      clusters: [staticCluster('svc', backends.map((b) => b.address), { circuitBreakers: { thresholds: [{ ...thresholds, trackRemaining: true }] } })],
    }),
  );
  assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
  current = { dp, port: dp.boundAddress('main')!.port, backends, counts, log };
  return current;
}

afterEach(async () => {
  const s = current;
  current = undefined;
  if (s === undefined) return;
  await s.dp.stop({ drainTimeoutMs: 100 });
  for (const b of s.backends) await b.close();
});

function send(s: Setup, n: number, path = '/hold'): Promise<HttpResult>[] {
  return Array.from({ length: n }, () => httpRequest({ port: s.port, path }));
}

describe('max_connections, cluster-wide', () => {
  test('max_connections 1 over one host, concurrency 4: one connection ever, the rest wait for it', async () => {
    const s = await setup(1, { maxConnections: 1 });
    const [b] = s.backends;
    const replies = send(s, 4);
    await b.waitParked(1);
    await until(() => stat(s.dp, 'cluster.svc.upstream_rq_pending_active') === 3, () => `pending ${stat(s.dp, 'cluster.svc.upstream_rq_pending_active')}`);
    assert.equal(b.accepted, 1);
    assert.ok(stat(s.dp, 'cluster.svc.upstream_cx_overflow') >= 3, `cx overflow ${stat(s.dp, 'cluster.svc.upstream_cx_overflow')}`);
    assert.equal(stat(s.dp, 'cluster.svc.circuit_breakers.default.cx_open'), 1);
    assert.equal(stat(s.dp, 'cluster.svc.circuit_breakers.default.remaining_cx'), 0);
    for (let i = 1; i <= 4; i++) {
      b.releaseOne();
      if (i < 4) await b.waitParked(1);
    }
    const done = await Promise.all(replies);
    assert.deepEqual(done.map((r) => r.status), [200, 200, 200, 200]);
    assert.equal(b.accepted, 1, 'every request went over the one connection');
    assert.equal(b.maxOpen, 1);
    assert.equal(stat(s.dp, 'cluster.svc.upstream_rq_pending_active'), 0);
    assert.equal(stat(s.dp, 'cluster.svc.upstream_rq_pending_overflow'), 0);
    assert.equal(stat(s.dp, 'cluster.svc.upstream_cx_total'), 1);
  });

  test('max_connections 2 over two hosts, concurrency 8: two connections in all, not two per host', async () => {
    const s = await setup(2, { maxConnections: 2 });
    const replies = send(s, 8);
    await Promise.all(s.backends.map((b) => b.waitParked(1)));
    await until(() => stat(s.dp, 'cluster.svc.upstream_rq_pending_active') === 6, () => `pending ${stat(s.dp, 'cluster.svc.upstream_rq_pending_active')}`);
    assert.equal(s.counts.maxOpen, 2, 'at most max_connections sockets open at once across the hosts');
    assert.deepEqual(s.backends.map((b) => b.accepted), [1, 1]);
    assert.equal(stat(s.dp, 'cluster.svc.circuit_breakers.default.cx_open'), 1);
    assert.ok(stat(s.dp, 'cluster.svc.upstream_cx_overflow') >= 6);
    // Each answer frees its connection for the next request waiting in that host's pool.
    let answered = 0;
    while (answered < 8) {
      for (const b of s.backends) {
        if (b.parked > 0) {
          b.releaseOne();
          answered++;
        }
      }
      if (answered < 8) await until(() => s.backends.some((b) => b.parked > 0), () => 'a waiting request reaches a backend');
    }
    const done = await Promise.all(replies);
    assert.deepEqual(done.map((r) => r.status), Array(8).fill(200));
    assert.equal(s.counts.maxOpen, 2);
    assert.deepEqual(s.backends.map((b) => b.accepted), [1, 1]);
  });

  test('max_connections 1 over two hosts, concurrency 4: one connection per host at most (Envoy: a picked host always gets one)', async () => {
    const s = await setup(2, { maxConnections: 1 });
    const replies = send(s, 4);
    await Promise.all(s.backends.map((b) => b.waitParked(1)));
    await until(() => stat(s.dp, 'cluster.svc.upstream_rq_pending_active') === 2, () => `pending ${stat(s.dp, 'cluster.svc.upstream_rq_pending_active')}`);
    assert.deepEqual(s.backends.map((b) => b.maxOpen), [1, 1]);
    assert.equal(s.counts.maxOpen, 2, 'max_connections + one per pool, no more');
    // The second host's connection was made over the limit: counted as overflow.
    assert.ok(stat(s.dp, 'cluster.svc.upstream_cx_overflow') >= 3);
    for (const b of s.backends) b.releaseOne();
    await Promise.all(s.backends.map((b) => b.waitParked(1)));
    for (const b of s.backends) b.releaseOne();
    const done = await Promise.all(replies);
    assert.deepEqual(done.map((r) => r.status), [200, 200, 200, 200]);
    assert.deepEqual(s.backends.map((b) => b.accepted), [1, 1]);
  });

  test('max_connections 1, max_pending_requests 1: one runs, one waits, the others get 503 UO at once', async () => {
    const s = await setup(1, { maxConnections: 1, maxPendingRequests: 1 });
    const [b] = s.backends;
    const replies = send(s, 4);
    await b.waitParked(1);
    const settled: HttpResult[] = [];
    for (const p of replies) void p.then((r) => settled.push(r));
    await until(() => settled.length === 2, () => `${settled.length} answered while the connection is busy`);
    for (const r of settled) {
      assert.equal(r.status, 503);
      assert.equal(r.headers['x-envoy-overloaded'], 'true');
      assert.equal(r.text, 'upstream connect error or disconnect/reset before headers. reset reason: overflow');
    }
    assert.equal(stat(s.dp, 'cluster.svc.upstream_rq_pending_overflow'), 2);
    assert.ok(stat(s.dp, 'cluster.svc.upstream_cx_overflow') >= 3);
    assert.equal(stat(s.dp, 'cluster.svc.upstream_rq_pending_active'), 1);
    assert.equal(stat(s.dp, 'cluster.svc.circuit_breakers.default.rq_pending_open'), 1);
    await s.log.waitFor((l) => l.includes('"GET /hold HTTP/1.1" 503 UO '));
    b.releaseOne();
    await b.waitParked(1);
    b.releaseOne();
    const done = await Promise.all(replies);
    assert.deepEqual(done.map((r) => r.status).sort(), [200, 200, 503, 503]);
    assert.equal(b.seen, 2, 'overflowed requests never reached the backend');
    assert.equal(b.accepted, 1);
    // upstream_rq_total counts requests that went to a connection or waited for one, not overflows.
    assert.equal(stat(s.dp, 'cluster.svc.upstream_rq_total'), 2);
  });

  test('a waiting request that gives up leaves the queue and its pending slot', async () => {
    const s = await setup(1, { maxConnections: 1, maxPendingRequests: 1 });
    const [b] = s.backends;
    const first = httpRequest({ port: s.port, path: '/hold' });
    await b.waitParked(1);
    const gone = new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: s.port, path: '/hold/abandoned', agent: false });
      req.on('error', () => resolve());
      req.end();
      void until(() => stat(s.dp, 'cluster.svc.upstream_rq_pending_active') === 1, () => 'the second request waits').then(() => req.destroy());
    });
    await gone;
    await until(() => stat(s.dp, 'cluster.svc.upstream_rq_pending_active') === 0, () => 'the abandoned request left the queue');
    assert.equal(stat(s.dp, 'cluster.svc.upstream_rq_cancelled'), 1);
    // Its slot is free again: another request may wait.
    const third = httpRequest({ port: s.port, path: '/hold' });
    await until(() => stat(s.dp, 'cluster.svc.upstream_rq_pending_active') === 1, () => 'the third request waits');
    b.releaseOne();
    await b.waitParked(1);
    b.releaseOne();
    assert.deepEqual([(await first).status, (await third).status], [200, 200]);
    assert.equal(b.seen, 2, 'the abandoned request was never sent');
  });

  test('gauges: cx_open and remaining_cx follow the connections back when they close', async () => {
    const s = await setup(1, { maxConnections: 1 });
    const [b] = s.backends;
    assert.equal(stat(s.dp, 'cluster.svc.circuit_breakers.default.remaining_cx'), 1);
    const r = await httpRequest({ port: s.port, path: '/' });
    assert.equal(r.status, 200);
    assert.equal(stat(s.dp, 'cluster.svc.circuit_breakers.default.cx_open'), 1);
    assert.equal(stat(s.dp, 'cluster.svc.circuit_breakers.default.remaining_cx'), 0);
    b.server.closeIdleConnections();
    await until(() => stat(s.dp, 'cluster.svc.upstream_cx_active') === 0, () => 'the proxy saw the close');
    assert.equal(stat(s.dp, 'cluster.svc.circuit_breakers.default.cx_open'), 0);
    assert.equal(stat(s.dp, 'cluster.svc.circuit_breakers.default.remaining_cx'), 1);
    // A fresh connection is made for the next request.
    assert.equal((await httpRequest({ port: s.port, path: '/' })).status, 200);
    assert.equal(b.accepted, 2);
  });

  test('a connection that fails to open gives its slot back', async () => {
    const dead = `127.0.0.1:${await refusedPort()}`;
    const dp = new DataPlane({});
    const applied = await dp.apply(
      snapshotOf({
        listeners: [httpListener('main', inlineHcm([prefixRoute('/', 'dead')]))],
        clusters: [staticCluster('dead', [dead], { circuitBreakers: { thresholds: [{ maxConnections: 1, trackRemaining: true }] } })],
      }),
    );
    assert.ok(applied.ok);
    current = { dp, port: dp.boundAddress('main')!.port, backends: [], counts: new SocketCounts(), log: new LogCapture() };
    for (let i = 0; i < 3; i++) assert.equal((await httpRequest({ port: current.port, path: '/' })).status, 503);
    assert.equal(stat(dp, 'cluster.dead.upstream_cx_connect_fail'), 3);
    assert.equal(stat(dp, 'cluster.dead.circuit_breakers.default.cx_open'), 0);
    assert.equal(stat(dp, 'cluster.dead.circuit_breakers.default.remaining_cx'), 1);
    assert.equal(stat(dp, 'cluster.dead.upstream_cx_overflow'), 0);
  });
});

describe('max_connections and tcp_proxy', () => {
  let echo: Upstream;
  let dp: DataPlane;
  let port: number;

  after(async () => {
    await dp?.stop({ drainTimeoutMs: 100 });
    await echo?.close();
  });

  /** Connects and round-trips `ping`: 'echoed', or 'closed' when the proxy closed the connection first. */
  function probe(): Promise<{ outcome: 'echoed' | 'closed'; socket: net.Socket }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let got = '';
      const timer = setTimeout(() => reject(new Error('probe timed out')), 5000);
      socket.on('connect', () => socket.write('ping'));
      socket.on('data', (c: Buffer) => {
        got += c.toString();
        if (got.endsWith('ping')) {
          clearTimeout(timer);
          resolve({ outcome: 'echoed', socket });
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ outcome: 'closed', socket });
      });
    });
  }

  test('at max_connections no upstream connection is made: the downstream is closed, upstream_cx_overflow counted', async () => {
    echo = await startTcpEchoUpstream('echo');
    dp = new DataPlane({});
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          newListener({
            name: 'tcp',
            address: { kind: 'socketAddress', address: '127.0.0.1', portValue: 0 },
            filterChains: [newFilterChain({ filters: [{ kind: 'tcpProxy', name: 'tcp', typedConfig: { statPrefix: 'tcp', clusterSpecifier: { kind: 'cluster', cluster: 'echo' as never }, accessLog: [] } }] })],
          }),
        ],
        clusters: [staticCluster('echo', [echo.address], { circuitBreakers: { thresholds: [{ maxConnections: 1 }] } })],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('tcp')!.port;
    const a = await probe();
    assert.equal(a.outcome, 'echoed');
    assert.equal(stat(dp, 'cluster.echo.circuit_breakers.default.cx_open'), 1);
    const b = await probe();
    assert.equal(b.outcome, 'closed');
    assert.equal(stat(dp, 'cluster.echo.upstream_cx_overflow'), 1);
    assert.equal(echo.connections, 1, 'the refused connection never reached the upstream');
    a.socket.destroy();
    await until(() => stat(dp, 'cluster.echo.circuit_breakers.default.cx_open') === 0, () => 'the slot comes back when the relay closes');
    const c = await probe();
    assert.equal(c.outcome, 'echoed');
    c.socket.destroy();
  });
});
