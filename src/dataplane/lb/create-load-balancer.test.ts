import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLoadBalancer } from './create-load-balancer.ts';
import { LeastRequestBalancer } from './least-request.ts';
import { TestHostForTest } from './load-balancer-contract.ts';
import { MaglevBalancer } from './maglev.ts';
import { RandomBalancer } from './random-balancer.ts';
import { SeededRandom } from './random.ts';
import { RingHashBalancer } from './ring-hash.ts';
import { RoundRobinBalancer } from './round-robin.ts';

const hosts = [[new TestHostForTest('a'), new TestHostForTest('b', 1, false), new TestHostForTest('c', 1, false)]];
const random = new SeededRandom(1);

test('lb_policy picks the strategy; ROUND_ROBIN is the default', () => {
  assert.ok(createLoadBalancer({}, hosts, random) instanceof RoundRobinBalancer);
  assert.ok(createLoadBalancer({ lbPolicy: 'LEAST_REQUEST' }, hosts, random) instanceof LeastRequestBalancer);
  assert.ok(createLoadBalancer({ lbPolicy: 'RANDOM' }, hosts, random) instanceof RandomBalancer);
  assert.ok(createLoadBalancer({ lbPolicy: 'RING_HASH' }, hosts, random) instanceof RingHashBalancer);
  assert.ok(createLoadBalancer({ lbPolicy: 'MAGLEV' }, hosts, random) instanceof MaglevBalancer);
});

test('lb_config and common_lb_config reach the strategy', () => {
  const m = createLoadBalancer({ lbPolicy: 'MAGLEV', lbConfig: { kind: 'maglevLbConfig', maglevLbConfig: { tableSize: 307 } } }, hosts, random);
  assert.equal((m as MaglevBalancer<TestHostForTest>).tableSize, 307);
  const lr = createLoadBalancer({ lbPolicy: 'LEAST_REQUEST', lbConfig: { kind: 'leastRequestLbConfig', leastRequestLbConfig: { activeRequestBias: 0.5 } } }, hosts, random);
  assert.equal((lr as LeastRequestBalancer<TestHostForTest>).activeRequestBias, 0.5);
  // 1 of 3 healthy is below the default 50%: panic. With a 30% threshold it is not.
  assert.equal((createLoadBalancer({}, hosts, random) as RoundRobinBalancer<TestHostForTest>).panic, true);
  assert.equal((createLoadBalancer({ commonLbConfig: { healthyPanicThreshold: 0.3 } }, hosts, random) as RoundRobinBalancer<TestHostForTest>).panic, false);
});
