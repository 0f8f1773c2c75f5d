import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileJsonPath } from './jsonpath.ts';

const list = {
  kind: 'PodList',
  items: [
    { metadata: { name: 'client-abc', labels: { name: 'client' } }, status: { podIP: '127.244.0.5', conditions: [{ type: 'Ready', status: 'True' }] } },
    { metadata: { name: 'hello-v1', labels: { app: 'helloworld' } }, status: { podIP: '127.244.0.6', conditions: [{ type: 'Ready', status: 'False' }] } },
  ],
};

test('the tutorial idiom: first item name', () => {
  assert.equal(compileJsonPath('{.items[0].metadata.name}')(list), 'client-abc');
});

test('wildcards join with spaces, as kubectl does', () => {
  assert.equal(compileJsonPath('{.items[*].metadata.name}')(list), 'client-abc hello-v1');
});

test('range with literals', () => {
  assert.equal(
    compileJsonPath('{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}')(list),
    'client-abc\t127.244.0.5\nhello-v1\t127.244.0.6\n',
  );
});

test('filters, negative indexes, slices and recursive descent', () => {
  assert.equal(compileJsonPath('{.items[?(@.status.conditions[0].status=="True")].metadata.name}')(list), 'client-abc');
  assert.equal(compileJsonPath('{.items[-1].metadata.name}')(list), 'hello-v1');
  assert.equal(compileJsonPath('{.items[0:1].metadata.name}')(list), 'client-abc');
  assert.equal(compileJsonPath('{..podIP}')(list), '127.244.0.5 127.244.0.6');
  assert.equal(compileJsonPath("{.items[0].metadata.labels['name']}")(list), 'client');
});

test('text around expressions, objects as JSON, missing fields empty, relaxed form', () => {
  assert.equal(compileJsonPath('name={.items[0].metadata.name}!')(list), 'name=client-abc!');
  assert.equal(compileJsonPath('{.items[0].metadata.labels}')(list), '{"name":"client"}');
  assert.equal(compileJsonPath('{.items[0].spec.nope}')(list), '');
  assert.equal(compileJsonPath('.kind')(list), 'PodList');
});

test('errors: out-of-range index and unbalanced templates', () => {
  assert.throws(() => compileJsonPath('{.items[5].metadata.name}')(list), /out of bounds/);
  assert.throws(() => compileJsonPath('{range .items[*]}{.x}'), /without \{end\}/);
  assert.throws(() => compileJsonPath('{.items[0]'), /unclosed/);
});
