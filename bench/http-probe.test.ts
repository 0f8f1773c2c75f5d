import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { getRoot, waitForBody } from './http-probe.ts';

test('waitForBody: ready only on 200 with the exact body; the last answer explains a timeout', async () => {
  let body = 'not yet';
  const server = createServer((_req, res) => res.end(body)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  try {
    assert.deepEqual(await getRoot(port), { status: 200, body: 'not yet' });
    const late = await waitForBody(port, 'the body', { timeoutMs: 300, exited: () => false });
    assert.deepEqual(late, { kind: 'timeout', last: 'status 200, 7-byte body (not the upstream body)' });
    body = 'the body';
    assert.deepEqual(await waitForBody(port, 'the body', { timeoutMs: 300, exited: () => false }), { kind: 'ready' });
    assert.deepEqual(await waitForBody(port, 'x', { timeoutMs: 300, exited: () => true }), { kind: 'exited' });
  } finally {
    server.close();
  }
});
