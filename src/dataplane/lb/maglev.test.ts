import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoadBalancerContract, TestHostForTest } from './load-balancer-contract.ts';
import { MaglevBalancer } from './maglev.ts';
import { SeededRandom } from './random.ts';

runLoadBalancerContract({
  name: 'MAGLEV',
  create: (hosts, random, healthyPanicThreshold) => new MaglevBalancer(hosts, { random, healthyPanicThreshold }),
});

const hostsN = (n: number) => Array.from({ length: n }, (_, i) => new TestHostForTest(`10.1.0.${i}:8080`));

test('the same request hash always reaches the same host; input order does not matter', () => {
  const hs = hostsN(7);
  const a = new MaglevBalancer([hs], { random: new SeededRandom(1), tableSize: 251 });
  const b = new MaglevBalancer([[...hs].reverse()], { random: new SeededRandom(2), tableSize: 251 });
  for (let k = 0; k < 2000; k += 7) assert.equal(a.pick({ hashKey: k }), b.pick({ hashKey: k }));
});

test('table slots follow the weights', () => {
  const hs = [new TestHostForTest('a', 1), new TestHostForTest('b', 2), new TestHostForTest('c', 7)];
  const lb = new MaglevBalancer([hs], { random: new SeededRandom(1) });
  const counts = new Map<string, number>();
  for (let slot = 0; slot < lb.tableSize; slot++) {
    const h = lb.pick({ hashKey: slot })?.hashKey ?? '';
    counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  for (const [n, share] of [['a', 0.1], ['b', 0.2], ['c', 0.7]] as const) {
    assert.ok(Math.abs((counts.get(n) ?? 0) / lb.tableSize - share) < 0.002, `${n}: ${counts.get(n)}`);
  }
});

test('consistent: removing one host of ten moves few of the other hosts’ keys', () => {
  const hs = hostsN(10);
  const lb = new MaglevBalancer([hs], { random: new SeededRandom(1) });
  const keys = new SeededRandom(8);
  const before = Array.from({ length: 20_000 }, () => {
    const k = keys.nextUint32();
    return [k, lb.pick({ hashKey: k })?.hashKey] as const;
  });
  hs[5].healthy = false;
  lb.refresh();
  let others = 0;
  let moved = 0;
  for (const [k, host] of before) {
    if (host === hs[5].hashKey) continue;
    others++;
    if (lb.pick({ hashKey: k })?.hashKey !== host) moved++;
  }
  // Maglev paper: minimal disruption, a few percent at most.
  assert.ok(moved / others < 0.05, `${((100 * moved) / others).toFixed(2)}% moved`);
});
