import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterName, type ClusterWeight } from '../../model/index.ts';
import { SeededRandom } from '../lb/random.ts';
import { pickCluster, singleClusterTarget, weightedClusterTarget } from './cluster-pick.ts';
import { fixedRandomForTest } from './test-helpers.ts';

function weights(...ws: [string, number][]): ClusterWeight[] {
  return ws.map(([name, weight]) => ({
    name: clusterName(name),
    weight,
    requestHeadersToAdd: [],
    requestHeadersToRemove: [],
    responseHeadersToAdd: [],
    responseHeadersToRemove: [],
    typedPerFilterConfig: {},
  }));
}

function shares(ws: [string, number][], picks: number, seed: number): Map<string, number> {
  const target = weightedClusterTarget({ clusters: weights(...ws) });
  const random = new SeededRandom(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < picks; i++) {
    const c = pickCluster(target, random).cluster;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return counts;
}

test('weighted clusters 90/10 over 10,000 picks land within ±1.5 points (several seeds)', () => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    const c = shares([['a', 90], ['b', 10]], 10_000, seed);
    const a = (100 * (c.get('a') ?? 0)) / 10_000;
    assert.ok(Math.abs(a - 90) <= 1.5, `seed ${seed}: a got ${a}%`);
  }
});

test('weights 1:2:7 over 10,000 picks land within ±1.5 points', () => {
  for (const seed of [7, 8, 9]) {
    const c = shares([['x', 1], ['y', 2], ['z', 7]], 10_000, seed);
    for (const [name, want] of [['x', 10], ['y', 20], ['z', 70]] as const) {
      const got = (100 * (c.get(name) ?? 0)) / 10_000;
      assert.ok(Math.abs(got - want) <= 1.5, `seed ${seed}: ${name} got ${got}%, want ${want}%`);
    }
  }
});

test('a weight of 0 is never picked; the ranges follow Envoy (random % total in [begin, end))', () => {
  const target = weightedClusterTarget({ clusters: weights(['zero', 0], ['a', 1], ['none', 0], ['b', 3]) });
  assert.equal(target.total, 4);
  // r = next() * 4: [0,1) → a, [1,4) → b.
  assert.equal(pickCluster(target, fixedRandomForTest(0)).cluster, 'a');
  assert.equal(pickCluster(target, fixedRandomForTest(0.2499)).cluster, 'a');
  assert.equal(pickCluster(target, fixedRandomForTest(0.25)).cluster, 'b');
  assert.equal(pickCluster(target, fixedRandomForTest(0.9999)).cluster, 'b');
  const c = shares([['zero', 0], ['a', 1]], 1000, 5);
  assert.equal(c.get('zero'), undefined);
});

test('a single cluster target needs no random draw and carries no weighted entry', () => {
  let draws = 0;
  const choice = pickCluster(singleClusterTarget(clusterName('only')), { next: () => (draws++, 0.5) });
  assert.equal(choice.cluster, 'only');
  assert.equal(choice.weighted, undefined);
  assert.equal(draws, 0);
  const w = pickCluster(weightedClusterTarget({ clusters: weights(['a', 1], ['b', 1]) }), fixedRandomForTest(0.9));
  assert.equal(w.weighted?.weight, 1);
});
