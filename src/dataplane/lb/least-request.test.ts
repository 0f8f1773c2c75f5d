import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeastRequestBalancer } from './least-request.ts';
import { countPicksForTest, runLoadBalancerContract, TestHostForTest } from './load-balancer-contract.ts';
import { SeededRandom } from './random.ts';

runLoadBalancerContract({
  name: 'LEAST_REQUEST',
  create: (hosts, random, healthyPanicThreshold) => new LeastRequestBalancer(hosts, { random, healthyPanicThreshold }),
});

test('equal weights: power of two choices steers away from a busy host', () => {
  const hs = ['a', 'b', 'c', 'd'].map((n) => new TestHostForTest(n));
  hs[0].activeRequests = 50;
  const lb = new LeastRequestBalancer([hs], { random: new SeededRandom(11) });
  const c = countPicksForTest(lb, 10_000);
  // `a` wins only when both samples are `a`: (1/4)^2 = 6.25% of picks, against 25% for the others.
  const a = (100 * (c.get('a') ?? 0)) / 10_000;
  assert.ok(a > 4.5 && a < 8, `a got ${a}%`);
});

test('choice_count: more choices, fewer picks of the busy host', () => {
  const hs = ['a', 'b', 'c', 'd'].map((n) => new TestHostForTest(n));
  hs[0].activeRequests = 50;
  const lb = new LeastRequestBalancer([hs], { random: new SeededRandom(11), choiceCount: 4 });
  const a = (100 * (countPicksForTest(lb, 10_000).get('a') ?? 0)) / 10_000;
  // (1/4)^4 ≈ 0.4%.
  assert.ok(a < 1.2, `a got ${a}%`);
});

test('different weights: weight / (active + 1)^bias, re-read at each reschedule', () => {
  const hs = [new TestHostForTest('a', 2), new TestHostForTest('b', 1)];
  const lb = new LeastRequestBalancer([hs], { random: new SeededRandom(2) });
  // Idle: 2:1.
  const idle = countPicksForTest(lb, 3000);
  assert.ok(Math.abs((idle.get('a') ?? 0) - 2000) <= 2, JSON.stringify([...idle]));
  // a busy with 3 requests: effective weights 2/4 = 0.5 vs 1 → b gets two thirds.
  hs[0].activeRequests = 3;
  const busy = countPicksForTest(lb, 3000);
  assert.ok(Math.abs((busy.get('b') ?? 0) - 2000) <= 10, JSON.stringify([...busy]));
  // bias 0 ignores load.
  const flat = new LeastRequestBalancer([hs], { random: new SeededRandom(2), activeRequestBias: 0 });
  assert.ok(Math.abs((countPicksForTest(flat, 3000).get('a') ?? 0) - 2000) <= 2);
});
