import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { test } from 'node:test';
import { serve } from './serve.ts';


function h2get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request({ ':path': path });
    stream.on('error', (e) => {
      session.destroy();
      reject(e);
    });
    let body = '';
    let status = 0;
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.on('data', (d: Buffer) => (body += d.toString()));
    stream.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    stream.end();
  });
}

test('http1+h2c: both protocols on one port, told apart by the first bytes, with the peer address', async () => {
  const app = await serve({
    host: '127.0.0.1',
    ports: [0, 0],
    protocol: 'http1+h2c',
    handler: (req, res) => res.send(200, { 'content-type': 'text/plain' }, `${req.httpVersion} ${req.method} ${req.target} ${req.authority} ${req.remoteAddress}`),
  });
  try {
    assert.equal(app.ports.length, 2);
    assert.notEqual(app.ports[0], app.ports[1]);
    const r1 = await fetch(`http://127.0.0.1:${app.ports[1]}/a?b=1`);
    assert.equal(await r1.text(), `1.1 GET /a?b=1 127.0.0.1:${app.ports[1]} 127.0.0.1`);
    const r2 = await h2get(app.ports[0], '/h2');
    assert.deepEqual(r2, { status: 200, body: `2.0 GET /h2 127.0.0.1:${app.ports[0]} 127.0.0.1` });
  } finally {
    await app.close();
  }
});

test('http1 only: an h2c preface is not understood', async () => {
  const app = await serve({ host: '127.0.0.1', ports: [0], handler: (_req, res) => res.send(200, {}, 'x') });
  try {
    await assert.rejects(h2get(app.ports[0], '/'));
  } finally {
    await app.close();
  }
});

test('close() stops listening and drops kept-alive connections; it is idempotent', async () => {
  const app = await serve({ host: '127.0.0.1', ports: [0], handler: (_req, res) => res.send(200, {}, 'x') });
  // A raw keep-alive connection that has had one answer.
  const socket = net.connect(app.ports[0], '127.0.0.1');
  socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await Promise.all([app.close(), app.close()]);
  await socketClosed;
  await assert.rejects(
    new Promise((resolve, reject) => net.connect(app.ports[0], '127.0.0.1').on('connect', resolve).on('error', reject)),
    /ECONNREFUSED/,
  );
});

test('a port that cannot be bound rejects start and releases the ports already bound', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const taken = (blocker.address() as net.AddressInfo).port;
  const free = net.createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
  const freePort = (free.address() as net.AddressInfo).port;
  await new Promise<void>((r) => free.close(() => r()));
  await assert.rejects(serve({ host: '127.0.0.1', ports: [freePort, taken], handler: () => {} }), /EADDRINUSE/);
  const again = await serve({ host: '127.0.0.1', ports: [freePort], handler: (_q, s) => s.send(204, {}) });
  await again.close();
  blocker.close();
});

test('a handler that throws answers 500 instead of leaving the request hanging', async () => {
  const app = await serve({
    host: '127.0.0.1',
    ports: [0],
    handler: () => {
      throw new Error('boom');
    },
  });
  try {
    const r = await fetch(`http://127.0.0.1:${app.ports[0]}/`);
    assert.equal(r.status, 500);
    assert.match(await r.text(), /boom/);
  } finally {
    await app.close();
  }
});
