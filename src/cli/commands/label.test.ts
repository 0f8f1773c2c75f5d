import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliExit } from '../exit-codes.ts';
import { labelKeyErrors, parseLabelSpecs, planLabels, splitResourcesAndPairs } from './label.ts';

const refused = (code: number, message: RegExp) => (e: unknown) => e instanceof CliExit && e.code === code && message.test(e.message);

test('resources come first, then k=v and k- changes', () => {
  assert.deepEqual(splitResourcesAndPairs(['namespace', 'ns1', 'istio-injection=enabled', 'old-']), { resources: ['namespace', 'ns1'], pairs: ['istio-injection=enabled', 'old-'] });
  assert.deepEqual(splitResourcesAndPairs(['pod/a', 'pod/b', 'x=1']), { resources: ['pod/a', 'pod/b'], pairs: ['x=1'] });
  assert.throws(() => splitResourcesAndPairs(['pod', 'x=1', 'b']), refused(2, /all resources must be specified before label changes: pod x=1 b/));
});

test('label specs as kubectl parses them', () => {
  assert.deepEqual(parseLabelSpecs(['a=1', 'example.com/b=', 'c-']), { set: { a: '1', 'example.com/b': '' }, remove: ['c'] });
  assert.throws(() => parseLabelSpecs(['a=1=2']), refused(1, /invalid label spec: a=1=2/));
  assert.throws(() => parseLabelSpecs(['a=b c']), refused(1, /invalid label value: "a=b c"/));
  assert.throws(() => parseLabelSpecs(['-a=b']), refused(1, /invalid label spec: -a=b/));
  assert.throws(() => parseLabelSpecs(['a=1', 'a-']), refused(1, /can not both modify and remove label in the same command/));
  assert.deepEqual(labelKeyErrors('node-role.kubernetes.io/control-plane'), []);
  assert.equal(labelKeyErrors('Bad_Prefix/x').length, 1);
});

test('an existing key changes only with --overwrite (even to the same value, as kubectl)', () => {
  const current = { 'istio-injection': 'enabled' };
  assert.throws(() => planLabels(current, { set: { 'istio-injection': 'disabled' }, remove: [] }, false), refused(1, /^error: 'istio-injection' already has a value \(enabled\), and --overwrite is false$/));
  assert.throws(() => planLabels(current, { set: { 'istio-injection': 'enabled' }, remove: [] }, false), refused(1, /already has a value \(enabled\)/));
  const p = planLabels(current, { set: { 'istio-injection': 'disabled' }, remove: [] }, true);
  assert.deepEqual(p.patch, { metadata: { labels: { 'istio-injection': 'disabled' } } });
  assert.equal(p.message, 'labeled');
  assert.equal(planLabels(current, { set: { 'istio-injection': 'enabled' }, remove: [] }, true).message, 'not labeled');
});

test('removing: unlabeled, a missing key is reported, nothing changed is not labeled', () => {
  const p = planLabels({ a: '1', b: '2' }, { set: {}, remove: ['a', 'zz'] }, false);
  assert.deepEqual(p.patch, { metadata: { labels: { a: null } } });
  assert.deepEqual(p.labels, { b: '2' });
  assert.equal(p.message, 'unlabeled');
  assert.deepEqual(p.notFound, ['zz']);
  const none = planLabels(undefined, { set: {}, remove: ['zz'] }, false);
  assert.equal(none.patch, undefined);
  assert.equal(none.message, 'not labeled');
  assert.equal(planLabels({ a: '1' }, { set: { n: 'x' }, remove: ['a'] }, false).message, 'labeled');
});
