import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoadBalancerContract, TestHostForTest } from './load-balancer-contract.ts';
import { RandomBalancer } from './random-balancer.ts';
import type { Random } from './random.ts';

runLoadBalancerContract({
  name: 'RANDOM',
  create: (hosts, random, healthyPanicThreshold) => new RandomBalancer(hosts, { random, healthyPanicThreshold }),
});

test('weighted random maps [0, 1) onto cumulative weights', () => {
  let v = 0;
  const random: Random = { next: () => v };
  const lb = new RandomBalancer([[new TestHostForTest('a', 1), new TestHostForTest('b', 3)]], { random });
  v = 0.2499;
  assert.equal(lb.pick()?.hashKey, 'a');
  v = 0.25;
  assert.equal(lb.pick()?.hashKey, 'b');
  v = 0.9999;
  assert.equal(lb.pick()?.hashKey, 'b');
});
