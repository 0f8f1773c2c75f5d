import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestName, editDistance } from './suggest.ts';

test('edit distance counts insertions, deletions, substitutions and transpositions as one', () => {
  assert.equal(editDistance('port', 'port'), 0);
  assert.equal(editDistance('port', 'ports'), 1);
  assert.equal(editDistance('port', 'prt'), 1);
  assert.equal(editDistance('port', 'part'), 1);
  assert.equal(editDistance('port', 'prot'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('closest name ignores case and _/- so Envoy spellings find Kubernetes ones', () => {
  assert.equal(closestName('weighted_cluster', ['weightedClusters', 'cluster', 'weight']), 'weightedClusters');
  assert.equal(closestName('target_port', ['port', 'targetPort', 'protocol']), 'targetPort');
  assert.equal(closestName('labeles', ['annotations', 'labels', 'name']), 'labels');
  assert.equal(closestName('prot', ['port', 'protocol']), 'port');
});

test('no suggestion when nothing is close, or for the word itself', () => {
  assert.equal(closestName('weighted_cluster', ['filters', 'group', 'kind', 'name', 'namespace', 'port', 'weight']), undefined);
  assert.equal(closestName('xyz', ['port']), undefined);
  assert.equal(closestName('port', ['port']), undefined);
  assert.equal(closestName('a', []), undefined);
});

test('ties go to the alphabetically first candidate, so output is deterministic', () => {
  assert.equal(closestName('nam', ['name', 'nat']), 'name');
  assert.equal(closestName('nam', ['nat', 'name']), 'name');
});
