import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv4Cidr } from './ipv4.ts';
import { PodAddressPool } from './pod-address-pool.ts';

function pool(cidr: string): PodAddressPool {
  const c = parseIpv4Cidr(cidr);
  assert.ok(c.ok);
  return new PodAddressPool(c.value);
}

test('hands out addresses in order, skipping the network address, and keeps an owner\'s', () => {
  const p = pool('127.244.0.0/16');
  assert.equal(p.claim('a'), '127.244.0.1');
  assert.equal(p.claim('b'), '127.244.0.2');
  assert.equal(p.claim('a'), '127.244.0.1');
  assert.equal(p.addressOf('b'), '127.244.0.2');
  assert.equal(p.used, 2);
});

test('a preferred address is honoured when free and in range (restarts keep IPs)', () => {
  const p = pool('127.244.0.0/16');
  assert.equal(p.claim('a', '127.244.9.9'), '127.244.9.9');
  assert.equal(p.claim('b', '127.244.9.9'), '127.244.0.1', 'taken');
  assert.equal(p.claim('c', '10.0.0.1'), '127.244.0.2', 'out of range');
  assert.equal(p.claim('d', '127.244.255.255'), '127.244.0.3', 'broadcast');
});

test('a freed address is not reused at once; a full range says so', () => {
  const p = pool('127.244.0.0/29');
  const got = ['a', 'b', 'c', 'd', 'e', 'f'].map((o) => p.claim(o));
  assert.deepEqual(got, ['127.244.0.1', '127.244.0.2', '127.244.0.3', '127.244.0.4', '127.244.0.5', '127.244.0.6']);
  assert.equal(p.claim('g'), undefined);
  p.release('b');
  p.release('e');
  assert.equal(p.claim('h'), '127.244.0.2', 'wraps around to the first free');
  assert.equal(p.claim('i'), '127.244.0.5');
  assert.equal(p.claim('j'), undefined);
});
