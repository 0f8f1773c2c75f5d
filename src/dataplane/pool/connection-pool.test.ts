import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Dispatcher } from 'undici';
import { ConnectionPool, DISPATCHED, OVERFLOWED, QUEUED, type ConnectionLimit, type PoolObserver, type PoolOptions, type PoolRequest, type WaitBudget } from './connection-pool.ts';

class Limit implements ConnectionLimit {
  count = 0;
  constructor(readonly max: number) {}
  canCreate(): boolean {
    return this.count < this.max;
  }
  inc(): void {
    this.count++;
  }
  dec(): void {
    this.count--;
  }
}

class Budget implements WaitBudget {
  waiting = 0;
  overflows = 0;
  constructor(readonly max: number) {}
  tryWait(): boolean {
    if (this.waiting >= this.max) {
      this.overflows++;
      return false;
    }
    this.waiting++;
    return true;
  }
  endWait(): void {
    this.waiting--;
  }
}

class Observer implements PoolObserver {
  connects = 0;
  failures = 0;
  closes = 0;
  overflows = 0;
  connected(): void {
    this.connects++;
  }
  connectFailed(): void {
    this.failures++;
  }
  disconnected(): void {
    this.closes++;
  }
  connectionOverflow(): void {
    this.overflows++;
  }
}

/** A request whose outcome resolves `done` ('200' or the error code). */
class Req implements Dispatcher.DispatchHandler {
  readonly method = 'GET' as const;
  readonly headers: string[] = ['host', 'test'];
  readonly done: Promise<string>;
  #resolve!: (v: string) => void;
  #status = 0;
  constructor(readonly path: string) {
    this.done = new Promise((r) => (this.#resolve = r));
  }
  onConnect(): void {}
  onHeaders(status: number): boolean {
    this.#status = status;
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.#resolve(String(this.#status));
  }
  onError(err: Error): void {
    this.#resolve((err as { code?: string }).code ?? err.message);
  }
}

const OPTIONS: PoolOptions = {
  protocol: 'http1',
  tls: undefined,
  connectTimeoutMs: 1000,
  idleTimeoutMs: 0,
  maxConcurrentStreams: 100,
  maxRequestsPerConnection: 0,
  maxHeaderSize: 16384,
  monotonicMs: () => performance.now(),
};

let server: http.Server;
let port = 0;
let accepted = 0;
const parked: http.ServerResponse[] = [];
const parkWaiters: (() => void)[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/hold') {
      parked.push(res);
      parkWaiters.splice(0).forEach((w) => w());
    } else res.end('ok');
  });
  server.on('connection', () => accepted++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function parkedCount(n: number): Promise<void> {
  for (let i = 0; i < 100 && parked.length < n; i++) await new Promise<void>((r) => parkWaiters.push(r));
  assert.ok(parked.length >= n);
}

function pool(limit: Limit, observer = new Observer()): ConnectionPool {
  return new ConnectionPool('127.0.0.1', port, OPTIONS, observer, limit);
}

test('two pools share one limit; the second opens its first connection over it; waiters go FIFO', async () => {
  const limit = new Limit(1);
  const obs = new Observer();
  const a = pool(limit, obs);
  const b = pool(limit, obs);
  const budget = new Budget(10);
  const before = accepted;
  const r1 = new Req('/hold');
  assert.equal(a.dispatch(r1 as PoolRequest, budget), DISPATCHED);
  assert.equal(limit.count, 1);
  // b has no connection: Envoy opens one anyway, counting the overflow.
  const r2 = new Req('/hold');
  assert.equal(b.dispatch(r2 as PoolRequest, budget), DISPATCHED);
  assert.equal(obs.overflows, 1);
  assert.equal(limit.count, 2);
  // a has one (busy) connection and the limit is reached: wait.
  const r3 = new Req('/a3');
  const r4 = new Req('/a4');
  assert.equal(a.dispatch(r3 as PoolRequest, budget), QUEUED);
  assert.equal(a.dispatch(r4 as PoolRequest, budget), QUEUED);
  assert.equal(budget.waiting, 2);
  assert.equal(a.queued, 2);
  await parkedCount(2);
  for (const res of parked.splice(0)) res.end('ok');
  assert.deepEqual(await Promise.all([r1.done, r2.done, r3.done, r4.done]), ['200', '200', '200', '200']);
  assert.equal(budget.waiting, 0);
  assert.equal(accepted - before, 2);
  await Promise.all([a.close(), b.close()]);
  assert.equal(limit.count, 0, 'closed connections give their slots back');
  assert.equal(obs.closes, 2);
});

test('a spent budget overflows without touching the request; cancel and destroy end the waits', async () => {
  const limit = new Limit(1);
  const p = pool(limit);
  const budget = new Budget(1);
  const r1 = new Req('/hold');
  p.dispatch(r1 as PoolRequest, budget);
  const r2 = new Req('/x');
  const r3 = new Req('/y');
  assert.equal(p.dispatch(r2 as PoolRequest, budget), QUEUED);
  assert.equal(p.dispatch(r3 as PoolRequest, budget), OVERFLOWED);
  assert.equal(budget.overflows, 1);
  p.cancel(r2 as PoolRequest);
  assert.equal(budget.waiting, 0);
  assert.equal(p.queued, 0);
  assert.equal(p.dispatch(r3 as PoolRequest, budget), QUEUED);
  await parkedCount(1);
  await p.destroy();
  assert.equal(await r3.done, 'UND_ERR_CLOSED');
  assert.equal(budget.waiting, 0);
  assert.notEqual(await r1.done, '200');
  parked.splice(0);
  assert.equal(limit.count, 0);
  // A destroyed pool refuses at once, through the handler.
  const r4 = new Req('/z');
  assert.equal(p.dispatch(r4 as PoolRequest, budget), DISPATCHED);
  assert.equal(await r4.done, 'UND_ERR_CLOSED');
});

test('a refused connection gives its slot back; its request fails through the handler', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const limit = new Limit(1);
  const obs = new Observer();
  const p = new ConnectionPool('127.0.0.1', deadPort, OPTIONS, obs, limit);
  const r = new Req('/');
  assert.equal(p.dispatch(r as PoolRequest, new Budget(1)), DISPATCHED);
  assert.equal(await r.done, 'ECONNREFUSED');
  assert.equal(obs.failures, 1);
  assert.equal(limit.count, 0);
  assert.equal(p.size, 0);
  await p.close();
});
