import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { runFixedRate } from './fixed-rate-run.ts';
import type { FixedRateOptions } from './fixed-rate-run.ts';

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const BASE: Omit<FixedRateOptions, 'port'> = {
  host: '127.0.0.1', path: '/', rate: 200, seconds: 1, warmupSeconds: 0.2, connections: 4, drainMs: 1000, timing: 'precise',
};

test('sends at the asked rate and records every response', async () => {
  let seen = 0;
  const { server, port } = await serve((_req, res) => {
    seen++;
    res.end('ok');
  });
  try {
    const r = await runFixedRate({ ...BASE, port });
    assert.equal(r.scheduled, 200);
    assert.equal(r.completed, 200);
    assert.equal(seen, 240, 'warm-up requests are sent too, but not recorded');
    assert.equal(r.failed + r.unfinished + r.non2xx, 0);
    assert.ok(Math.abs(r.achievedRate - 200) < 20, `achieved ${r.achievedRate}`);
    assert.equal(r.latencyMs.count, 200);
    assert.ok(r.latencyMs.p50 > 0 && r.latencyMs.p50 < 50, `p50 ${r.latencyMs.p50}`);
    assert.ok(r.sendLagMs.count > 0);
  } finally {
    await close(server);
  }
});

test('timer timing also holds the rate', async () => {
  const { server, port } = await serve((_req, res) => res.end('ok'));
  try {
    const r = await runFixedRate({ ...BASE, port, timing: 'timer' });
    assert.equal(r.completed, 200);
    assert.ok(Math.abs(r.achievedRate - 200) < 20, `achieved ${r.achievedRate}`);
  } finally {
    await close(server);
  }
});

test('latency runs from the scheduled send time: a slow target is not excused (no coordinated omission)', async () => {
  // One connection, 30 ms per response, a request every 20 ms: requests queue up behind each
  // other. Request i is scheduled at 20·i ms and done at about 30·(i+1) ms, so the last of 50 waits
  // about 0.5 s. A closed-loop tool would report ~30 ms for all of them.
  const { server, port } = await serve((_req, res) => {
    setTimeout(() => res.end('slow'), 30);
  });
  try {
    const r = await runFixedRate({ ...BASE, port, rate: 50, warmupSeconds: 0, connections: 1, drainMs: 3000 });
    assert.equal(r.completed, 50);
    assert.ok(r.latencyMs.p50 > 200, `p50 ${r.latencyMs.p50}`);
    assert.ok(r.latencyMs.max > 400, `max ${r.latencyMs.max}`);
    assert.ok(r.achievedRate < 40, `achieved ${r.achievedRate}`);
  } finally {
    await close(server);
  }
});

test('requests that never get an answer count as unfinished, with the wait they had', async () => {
  let n = 0;
  const { server, port } = await serve((_req, res) => {
    if (n++ % 2 === 0) res.end('ok'); // every other request hangs
  });
  try {
    const r = await runFixedRate({ ...BASE, port, rate: 20, warmupSeconds: 0, connections: 20, drainMs: 300 });
    assert.equal(r.scheduled, 20);
    assert.equal(r.completed, 10);
    assert.equal(r.unfinished, 10);
    assert.equal(r.latencyMs.count, 20);
    assert.ok(r.latencyMs.max >= 300, `max ${r.latencyMs.max}`);
  } finally {
    await close(server);
  }
});

test('non-2xx answers and dropped connections are counted', async () => {
  let n = 0;
  const { server, port } = await serve((req, res) => {
    const i = n++;
    if (i % 4 === 0) req.socket.destroy();
    else if (i % 4 === 1) res.writeHead(503).end();
    else res.end('ok');
  });
  try {
    const r = await runFixedRate({ ...BASE, port, rate: 40, warmupSeconds: 0 });
    assert.equal(r.scheduled, 40);
    assert.equal(r.failed, 10);
    assert.equal(r.non2xx, 10);
    assert.equal(r.completed, 30);
  } finally {
    await close(server);
  }
});

test('a target that is not listening is an error, not a result', async () => {
  const { server, port } = await serve((_req, res) => res.end());
  await close(server);
  await assert.rejects(runFixedRate({ ...BASE, port }), /cannot connect/);
});
