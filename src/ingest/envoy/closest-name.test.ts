import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestName, editDistance } from './closest-name.ts';

test('editDistance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('abc', 'abc'), 0);
  assert.equal(editDistance('abc', 'acb'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
});

test('closestName ignores case and underscores, and gives up when nothing is near', () => {
  const fields = ['weighted_clusters', 'cluster', 'cluster_header', 'prefix_rewrite'];
  assert.equal(closestName('weighted_cluster', fields), 'weighted_clusters');
  assert.equal(closestName('weightedClusters', fields), 'weighted_clusters');
  assert.equal(closestName('prefix_rewrit', fields), 'prefix_rewrite');
  assert.equal(closestName('timeout', fields), undefined);
  assert.equal(closestName('', fields), undefined);
  assert.equal(closestName('ROUND_ROBINN', ['ROUND_ROBIN', 'RANDOM']), 'ROUND_ROBIN');
});
