import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { PortAllocator, isPortFree } from './ports.ts';

test('a port something listens on is skipped', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const busy = (server.address() as AddressInfo).port;
  try {
    assert.equal(await isPortFree(busy), false);
    const ports = new PortAllocator(busy);
    const first = await ports.take();
    assert.ok(first !== undefined && first > busy);
    const second = await ports.take();
    assert.ok(second !== undefined && second > first);
  } finally {
    server.close();
  }
});
