import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonDocument } from './json-document.ts';

function value(text: string): unknown {
  const r = parseJsonDocument(text);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.doc.value;
}

function failure(text: string): [number, string] {
  const r = parseJsonDocument(text);
  assert.ok(!r.ok, 'expected a syntax error');
  return [r.offset, r.message];
}

test('builds the same values JSON.parse does', () => {
  const texts = [
    '{"a": 1, "b": [true, false, null, -0.5e3, "x\\n\\u00e9\\"", {}], "c": {"d": []}}',
    '[1, 2, 3]',
    '"just a string"',
    ' \n\t 42 \r\n',
    '\uFEFF{"bom": 1}',
  ];
  for (const t of texts) assert.deepEqual(value(t), JSON.parse(t.replace(/^\uFEFF/, '')));
});

test('"__proto__" is an ordinary key', () => {
  const v = value('{"__proto__": {"x": 1}}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(v), ['__proto__']);
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
});

test('locates member keys and array items by path', () => {
  const text = '{\n  "spec": {\n    "ports": [\n      {"port": 80},\n      {"port": 81}\n    ]\n  }\n}';
  const r = parseJsonDocument(text);
  assert.ok(r.ok);
  assert.equal(r.doc.locate([]), 0);
  assert.equal(r.doc.locate(['spec']), text.indexOf('"spec"'));
  assert.equal(r.doc.locate(['spec', 'ports', 1]), text.indexOf('{"port": 81}'));
  assert.equal(r.doc.locate(['spec', 'ports', 1, 'port']), text.lastIndexOf('"port"'));
  assert.equal(r.doc.locate(['spec', 'nope']), undefined);
});

test('syntax errors stop at the first offending character with a plain message', () => {
  assert.deepEqual(failure('{"a": 1,}'), [8, 'expected a string key']);
  assert.deepEqual(failure('{"a" 1}'), [5, "expected ':' after the key"]);
  assert.deepEqual(failure('{"a": 1 "b": 2}'), [8, "expected ',' or '}'"]);
  assert.deepEqual(failure('[1, 2'), [5, "unexpected end of input: expected ',' or ']'"]);
  assert.deepEqual(failure('{"a": tru}'), [6, 'expected a value, found "t"']);
  assert.deepEqual(failure('{"a": "x'), [6, 'unterminated string']);
  assert.deepEqual(failure('{"a": "\\q"}'), [7, 'invalid escape sequence in string']);
  assert.deepEqual(failure('{"a": 1} x'), [9, 'unexpected text after the JSON value']);
  assert.deepEqual(failure('{"a": 1, "a": 2}'), [9, 'duplicate key "a"']);
  assert.deepEqual(failure(''), [0, 'unexpected end of input: expected a value']);
  assert.deepEqual(failure('{"a": 01}'), [7, "expected ',' or '}'"]);
});

test('deep nesting is an error, not a stack overflow', () => {
  const r = parseJsonDocument('['.repeat(10000));
  assert.ok(!r.ok);
  assert.match(r.message, /nested more than 512 levels deep/);
});
