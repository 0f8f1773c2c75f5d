import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdfScheduler } from './edf-scheduler.ts';
import { runLoadBalancerContract, TestHostForTest } from './load-balancer-contract.ts';
import { SeededRandom } from './random.ts';
import { RoundRobinBalancer } from './round-robin.ts';

runLoadBalancerContract({
  name: 'ROUND_ROBIN',
  create: (hosts, random, healthyPanicThreshold) => new RoundRobinBalancer(hosts, { random, healthyPanicThreshold }),
});

test('weighted round robin is exact: 1:2:7 gives 1, 2 and 7 picks in every 10', () => {
  const hs = [new TestHostForTest('x', 1), new TestHostForTest('y', 2), new TestHostForTest('z', 7)];
  const lb = new RoundRobinBalancer([hs], { random: new SeededRandom(3) });
  for (let window = 0; window < 100; window++) {
    const c = new Map<string, number>();
    for (let i = 0; i < 10; i++) {
      const k = lb.pick()?.hashKey ?? '';
      c.set(k, (c.get(k) ?? 0) + 1);
    }
    assert.deepEqual([c.get('x'), c.get('y'), c.get('z')], [1, 2, 7], `window ${window}`);
  }
});

test('weighted round robin is smooth: the heavy host never takes more than its share in a row', () => {
  const hs = [new TestHostForTest('a', 1), new TestHostForTest('b', 1), new TestHostForTest('c', 2)];
  const lb = new RoundRobinBalancer([hs], { random: new SeededRandom(1) });
  let run = 0;
  for (let i = 0; i < 400; i++) {
    run = lb.pick()?.hashKey === 'c' ? run + 1 : 0;
    assert.ok(run <= 2, 'c picked more than twice in a row');
  }
});

test('equal weights rotate in order from a random start', () => {
  const hs = ['a', 'b', 'c'].map((n) => new TestHostForTest(n));
  const lb = new RoundRobinBalancer([hs], { random: new SeededRandom(5) });
  const first = lb.pick()?.hashKey ?? '';
  const order = ['a', 'b', 'c'];
  for (let i = 1; i < 30; i++) assert.equal(lb.pick()?.hashKey, order[(order.indexOf(first) + i) % 3]);
  const starts = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => new RoundRobinBalancer([hs], { random: new SeededRandom(s) }).pick()?.hashKey));
  assert.ok(starts.size > 1, 'the start is randomised');
});

test('EDF scheduler: earliest deadline first, ties in insertion order', () => {
  const edf = new EdfScheduler<string>();
  edf.add('a', 1);
  edf.add('b', 1);
  edf.add('c', 2);
  const w: Record<string, number> = { a: 1, b: 1, c: 2 };
  const seq = Array.from({ length: 8 }, () => edf.pick((x) => w[x]));
  assert.deepEqual(seq, ['c', 'a', 'b', 'c', 'c', 'a', 'b', 'c']);
  assert.equal(edf.size, 3);
});
