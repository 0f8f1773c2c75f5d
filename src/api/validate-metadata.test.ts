import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindInfo } from './kinds.ts';
import type { KindInfo } from './kinds.ts';
import { ANNOTATIONS_SIZE_LIMIT, nameRuleOf, validateMetadata } from './validate-metadata.ts';

function info(group: string, kind: string): KindInfo {
  const i = kindInfo(group, kind);
  assert.ok(i, `${group}/${kind} is served`);
  return i;
}

const SERVICE = info('', 'Service');
const NAMESPACE = info('', 'Namespace');
const HTTPROUTE = info('gateway.networking.k8s.io', 'HTTPRoute');

function issues(meta: unknown, i = HTTPROUTE) {
  return validateMetadata({ metadata: meta }, i).map((x) => [x.code, x.path.join('.'), x.message]);
}

test('name rules follow each kind: Service DNS-1035, Namespace DNS-1123 label, the rest subdomains', () => {
  assert.equal(nameRuleOf(SERVICE), 'dns1035-label');
  assert.equal(nameRuleOf(NAMESPACE), 'dns1123-label');
  assert.equal(nameRuleOf(info('', 'ConfigMap')), 'dns1123-subdomain');
  assert.equal(nameRuleOf(info('apps', 'Deployment')), 'dns1123-subdomain');
  assert.equal(nameRuleOf(HTTPROUTE), 'dns1123-subdomain');
  assert.equal(nameRuleOf(info('networking.istio.io', 'Gateway')), 'dns1123-subdomain');
  assert.deepEqual(issues({ name: 'a.b' }), []);
  assert.equal(issues({ name: 'a.b' }, SERVICE)[0][0], 'WEFT_INVALID_NAME');
  assert.equal(issues({ name: '1st' }, SERVICE).length, 1);
  assert.equal(issues({ name: '1st' }, NAMESPACE).length, 0);
  assert.equal(issues({ name: 'a.b' }, NAMESPACE).length, 1);
});

test('a missing name is required; generateName is refused as unsupported by apply', () => {
  assert.deepEqual(issues({}), [['WEFT_REQUIRED_FIELD', 'metadata.name', 'missing required field "name"']]);
  assert.deepEqual(issues(undefined), [['WEFT_REQUIRED_FIELD', 'metadata.name', 'missing required field "name"']]);
  const gen = issues({ generateName: 'web-' });
  assert.equal(gen.length, 1);
  assert.equal(gen[0][0], 'WEFT_UNSUPPORTED');
  assert.equal(gen[0][1], 'metadata.generateName');
  assert.match(gen[0][2], /generateName is not supported by apply/);
  assert.deepEqual(issues({ name: 'web', generateName: 'web-' }), []);
  // A wrong-typed name is the schema's to report.
  assert.deepEqual(issues({ name: 5 }), []);
});

test('namespaces of namespaced kinds are DNS-1123 labels', () => {
  assert.deepEqual(issues({ name: 'r', namespace: 'handson' }), []);
  const bad = issues({ name: 'r', namespace: 'Bad.NS' });
  assert.equal(bad.length, 1);
  assert.deepEqual(bad[0].slice(0, 2), ['WEFT_INVALID_NAME', 'metadata.namespace']);
});

test('label keys and values, annotation keys', () => {
  assert.deepEqual(issues({ name: 'r', labels: { 'app.kubernetes.io/name': 'web', version: '', k: 'v1.2_x' } }), []);
  const bad = issues({ name: 'r', labels: { 'bad key': 'ok', good: 'bad value' }, annotations: { 'x/y/z': 'anything at all: allowed' } });
  assert.deepEqual(
    bad.map((b) => b[1]),
    ['metadata.labels.bad key', 'metadata.labels.good', 'metadata.annotations.x/y/z'],
  );
  assert.match(bad[0][2], /^invalid label key "bad key"/);
  assert.match(bad[1][2], /^invalid label value "bad value"/);
  assert.match(bad[2][2], /^invalid annotation key "x\/y\/z"/);
});

test('annotations may hold 256 KiB in all, keys included', () => {
  const half = 'x'.repeat(ANNOTATIONS_SIZE_LIMIT / 2);
  assert.deepEqual(issues({ name: 'r', annotations: { a: half.slice(1), b: half.slice(1) } }), []);
  const over = issues({ name: 'r', annotations: { a: half, b: half } });
  assert.equal(over.length, 1);
  assert.deepEqual(over[0].slice(0, 2), ['WEFT_INVALID_VALUE', 'metadata.annotations']);
  assert.match(over[0][2], /262146 bytes in all; the limit is 262144/);
});
