import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkLabelKey,
  formatLabelSelector,
  labelSelectorFromMap,
  labelSelectorFromObject,
  matchesLabels,
  parseLabelSelector,
} from './label-selector.ts';
import type { LabelSelector, LabelSelectorObject } from './label-selector.ts';

function parsed(text: string): LabelSelector {
  const r = parseLabelSelector(text);
  if (!r.ok) assert.fail(r.error);
  return r.value;
}

function parseError(text: string): string {
  const r = parseLabelSelector(text);
  assert.equal(r.ok, false, `expected "${text}" to be rejected`);
  return r.ok ? '' : r.error;
}

const WEB = { app: 'web', tier: 'frontend', replicas: '3' };
const DB = { app: 'db', tier: 'backend' };
const BARE = {};

test('string selectors match as in Kubernetes', () => {
  // [selector, matches WEB, matches DB, matches BARE]
  const cases: [string, boolean, boolean, boolean][] = [
    ['', true, true, true],
    ['app=web', true, false, false],
    ['app==web', true, false, false],
    ['app!=web', false, true, true], // != also matches objects without the key
    ['app in (web,db)', true, true, false],
    ['app in (web, db)', true, true, false],
    ['app notin (web)', false, true, true],
    ['app', true, true, false],
    ['!app', false, false, true],
    ['app=web,tier=frontend', true, false, false],
    ['app=web,tier=backend', false, false, false],
    ['  app = web ,  !missing ', true, false, false],
    ['replicas>2', true, false, false],
    ['replicas<3', false, false, false],
    ['replicas<4', true, false, false],
    ['tier>1', false, false, false], // not an integer: Gt/Lt never match
    ['example.com/team', false, false, false],
  ];
  for (const [text, web, db, bare] of cases) {
    const sel = parsed(text);
    assert.deepEqual(
      [matchesLabels(sel, WEB), matchesLabels(sel, DB), matchesLabels(sel, BARE)],
      [web, db, bare],
      `selector "${text}"`,
    );
  }
  assert.equal(matchesLabels(parsed('app'), undefined), false);
  assert.equal(matchesLabels(parsed('!app'), undefined), true);
});

test('empty values follow Kubernetes: "a=" and "a in ()" mean the empty value', () => {
  assert.equal(matchesLabels(parsed('a='), { a: '' }), true);
  assert.equal(matchesLabels(parsed('a='), { a: 'x' }), false);
  assert.equal(matchesLabels(parsed('a in ()'), { a: '' }), true);
  assert.equal(matchesLabels(parsed('a in (x,)'), { a: '' }), true);
  assert.equal(matchesLabels(parsed('a in (x,)'), { a: 'x' }), true);
  assert.equal(matchesLabels(parsed('a=,b'), { a: '', b: '1' }), true);
});

test('invalid string selectors give a clear error naming the selector and position', () => {
  assert.match(parseError('app in web'), /invalid label selector "app in web": found "web" at position 7, expected "\("/);
  assert.match(parseError('app in (web'), /found end of input at position 11/);
  assert.match(parseError('app in (a b)'), /found "b" at position 10, expected "," or "\)"/);
  assert.match(parseError('=web'), /found "=" at position 0, expected a label key/);
  assert.match(parseError('app=web,'), /found end of input at position 8, expected a label key/);
  assert.match(parseError('app=a=b'), /found "=" at position 5, expected "," or end of input/);
  assert.match(parseError('!app=web'), /found "=" at position 4/);
  assert.match(parseError('app>x'), /expected an integer/);
  assert.match(parseError('app=(x)'), /expected a label value/);
  assert.match(parseError('in=x'), /expected a label key/);
  assert.match(parseError('Bad_/x=y'), /invalid label key "Bad_\/x": prefix part must be a lowercase DNS subdomain/);
  assert.match(parseError('app=-web'), /invalid label value "-web"/);
  assert.match(parseError(`app=${'v'.repeat(64)}`), /at most 63 characters/);
});

test('label keys: qualified names with an optional DNS prefix', () => {
  assert.equal(checkLabelKey('app.kubernetes.io/name'), undefined);
  assert.match(checkLabelKey('k8s:io.kubernetes.pod.namespace') ?? '', /name part must consist of/);
  assert.match(checkLabelKey('/x') ?? '', /prefix part must not be empty/);
  assert.match(checkLabelKey('x/') ?? '', /name part must not be empty/);
  assert.match(checkLabelKey('a b') ?? '', /name part must consist of/);
});

test('format gives a canonical string that parses back to the same selector', () => {
  const sel = parsed('tier notin (b,a), app=web, !gone, has, n>1, m<5, env in (prod,dev)');
  assert.equal(formatLabelSelector(sel), 'app=web,env in (dev,prod),!gone,has,m<5,n>1,tier notin (a,b)');
  assert.deepEqual(parsed(formatLabelSelector(sel)).requirements.map((r) => r.key), sel.requirements.map((r) => r.key));
});

test('metav1.LabelSelector objects: matchLabels and matchExpressions', () => {
  const obj: LabelSelectorObject = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'replicas', operator: 'Exists' },
      { key: 'zone', operator: 'NotIn', values: ['z9'] },
    ],
  };
  const r = labelSelectorFromObject(obj);
  assert.ok(r.ok);
  assert.equal(matchesLabels(r.value, WEB), true);
  assert.equal(matchesLabels(r.value, { ...WEB, canary: 'true' }), false);
  assert.equal(matchesLabels(r.value, { ...WEB, zone: 'z9' }), false);
  assert.equal(matchesLabels(r.value, DB), false);
});

test('metav1.LabelSelector: {} selects everything, null selects nothing', () => {
  const all = labelSelectorFromObject({});
  const none = labelSelectorFromObject(null);
  assert.ok(all.ok && none.ok);
  assert.equal(matchesLabels(all.value, BARE), true);
  assert.equal(matchesLabels(all.value, WEB), true);
  assert.equal(matchesLabels(none.value, WEB), false);
  assert.equal(matchesLabels(none.value, BARE), false);
});

test('metav1.LabelSelector: invalid expressions are errors with the field path', () => {
  const cases: [LabelSelectorObject, RegExp][] = [
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, /matchExpressions\[0\]\.values: must be non-empty/],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, /matchExpressions\[0\]\.values: must be empty/],
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, /matchExpressions\[0\]\.operator: "Gt" is not a valid operator/],
    [{ matchLabels: { 'bad key': 'x' } }, /invalid label key "bad key"/],
  ];
  for (const [obj, re] of cases) {
    const r = labelSelectorFromObject(obj);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, re);
  }
});

test('validate: false accepts Cilium source-prefixed keys', () => {
  const obj = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system' } };
  assert.equal(labelSelectorFromObject(obj).ok, false);
  const r = labelSelectorFromObject(obj, { validate: false });
  assert.ok(r.ok);
  assert.equal(matchesLabels(r.value, { 'k8s:io.kubernetes.pod.namespace': 'kube-system' }), true);
  assert.equal(parseLabelSelector('reserved:host', { validate: false }).ok, true);
});

test('maps (Service.spec.selector): all pairs must match; empty map selects everything', () => {
  const r = labelSelectorFromMap({ app: 'web', tier: 'frontend' });
  assert.ok(r.ok);
  assert.equal(matchesLabels(r.value, WEB), true);
  assert.equal(matchesLabels(r.value, { app: 'web' }), false);
  const empty = labelSelectorFromMap({});
  assert.ok(empty.ok);
  assert.equal(matchesLabels(empty.value, BARE), true);
  assert.equal(labelSelectorFromMap({ app: 'we b' }).ok, false);
});
