import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fortioLoadArgs, runLoadCommand } from './command.ts';

function io() {
  const sink = { out: '', err: '' };
  return { sink, io: { write: (t: string) => (sink.out += t), writeError: (t: string) => (sink.err += t) } };
}

test('fortioLoadArgs recognises the tutorials\' fortio invocations only', () => {
  assert.deepEqual(fortioLoadArgs(['/usr/bin/fortio', 'load', '-c', '2', 'http://x:8080']), ['-c', '2', 'http://x:8080']);
  assert.deepEqual(fortioLoadArgs(['fortio', 'load', 'x']), ['x']);
  assert.equal(fortioLoadArgs(['fortio', 'curl', 'x']), undefined);
  assert.equal(fortioLoadArgs(['curl', 'load']), undefined);
  assert.equal(fortioLoadArgs([]), undefined);
});

test('usage errors exit 2 with the usage; -h prints it and exits 0', async () => {
  const a = io();
  assert.equal(await runLoadCommand(['-bogus', 'x'], {}, a.io), 2);
  assert.match(a.sink.err, /flag provided but not defined: -bogus\nusage: weft load/);
  const b = io();
  assert.equal(await runLoadCommand(['-h'], {}, b.io), 0);
  assert.match(b.sink.out, /^usage: weft load/);
});

test('http_proxy from the environment carries the requests (as under weft exec)', async () => {
  const seen: string[] = [];
  const proxy = http.createServer((req, res) => {
    seen.push(`${req.url} ${req.headers['proxy-authorization'] ?? ''}`);
    res.end('via proxy');
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as AddressInfo).port;
  try {
    const a = io();
    const code = await runLoadCommand(['-c', '1', '-qps', '0', '-n', '3', 'echo-service:8080'], { http_proxy: `http://client2:tok@127.0.0.1:${port}`, no_proxy: '' }, a.io);
    assert.equal(code, 0);
    assert.deepEqual(seen, Array(3).fill(`http://echo-service:8080/ Basic ${Buffer.from('client2:tok').toString('base64')}`));
    assert.match(a.sink.out, /Code 200 : 3 \(100\.0 %\)/);
  } finally {
    proxy.closeAllConnections();
    proxy.close();
  }
});
