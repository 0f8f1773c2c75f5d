import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoadBalancerContract, TestHostForTest } from './load-balancer-contract.ts';
import { SeededRandom } from './random.ts';
import { RingHashBalancer } from './ring-hash.ts';

runLoadBalancerContract({
  name: 'RING_HASH',
  // A larger ring than the 1024 default, so the ±1.5-point weight check measures the weighting
  // rather than the arcs' spread.
  create: (hosts, random, healthyPanicThreshold) => new RingHashBalancer(hosts, { random, healthyPanicThreshold, minimumRingSize: 16_384 }),
});

const tenHosts = () => Array.from({ length: 10 }, (_, i) => new TestHostForTest(`10.0.0.${i}:80`));

test('the same request hash always reaches the same host', () => {
  const lb = new RingHashBalancer([tenHosts()], { random: new SeededRandom(1) });
  for (const key of [0, 1, 12345, 0xffffffff]) {
    const first = lb.pick({ hashKey: key });
    for (let i = 0; i < 5; i++) assert.equal(lb.pick({ hashKey: key }), first);
  }
});

test('ring size follows Envoy: the lightest host gets minimum_ring_size × its share', () => {
  const lb = new RingHashBalancer([[new TestHostForTest('a', 1), new TestHostForTest('b', 3)]], { random: new SeededRandom(1) });
  // min share 0.25: scale = ceil(0.25 × 1024) / 0.25 = 1024 entries.
  assert.equal(lb.ringSize, 1024);
  const capped = new RingHashBalancer([tenHosts()], { random: new SeededRandom(1), minimumRingSize: 100_000, maximumRingSize: 5000 });
  assert.equal(capped.ringSize, 5000);
});

test('consistent: removing a host moves its keys and few others', () => {
  const hs = tenHosts();
  const lb = new RingHashBalancer([hs], { random: new SeededRandom(1) });
  const keys = new SeededRandom(4);
  const before = Array.from({ length: 5000 }, () => {
    const k = keys.nextUint32();
    return [k, lb.pick({ hashKey: k })?.hashKey] as const;
  });
  hs[3].healthy = false;
  lb.refresh();
  let moved = 0;
  for (const [k, host] of before) {
    const now = lb.pick({ hashKey: k })?.hashKey;
    if (host === hs[3].hashKey) assert.notEqual(now, host);
    else if (now !== host) moved++;
  }
  // Envoy sizes the ring from the lightest host's share, so with one host fewer every host gets a
  // few more entries (103 → 114 here) and those take some keys: ~9%, against ~90% for mod-N hashing.
  assert.ok(moved / (before.length * 0.9) < 0.12, `${moved} of the other hosts' keys moved`);
});

test('without a request hash the pick is random (and still a candidate)', () => {
  const lb = new RingHashBalancer([tenHosts()], { random: new SeededRandom(9) });
  const seen = new Set(Array.from({ length: 500 }, () => lb.pick()?.hashKey));
  assert.ok(seen.size >= 8);
});
