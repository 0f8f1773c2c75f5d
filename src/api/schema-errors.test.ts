import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError, describeSchemaErrors, pointerToPath } from './schema-errors.ts';

const data = {
  spec: { ports: [{ port: 'eighty', targetPort: true }], 'a/b': { '~x': 1 }, flag: 'on', n: '80' },
};

test('JSON pointers become field paths, indexes as numbers where the data has arrays', () => {
  assert.deepEqual(pointerToPath('', data), []);
  assert.deepEqual(pointerToPath('/spec/ports/0/port', data), ['spec', 'ports', 0, 'port']);
  assert.deepEqual(pointerToPath('/spec/a~1b/~0x', data), ['spec', 'a/b', '~x']);
  assert.deepEqual(pointerToPath('/metadata/labels/0', { metadata: { labels: { '0': 'x' } } }), ['metadata', 'labels', '0']);
});

test('type errors say what was expected and what was found, with a hint when quoting is the fix', () => {
  const e = describeError({ instancePath: '/spec/ports/0/port', keyword: 'type', params: { type: 'integer' } }, data);
  assert.equal(e.code, 'WEFT_WRONG_TYPE');
  assert.deepEqual(e.path, ['spec', 'ports', 0, 'port']);
  assert.equal(e.message, 'must be integer, got string "eighty"');
  assert.equal(e.hint, undefined);
  const quoted = describeError({ instancePath: '/spec/n', keyword: 'type', params: { type: 'integer' } }, data);
  assert.equal(quoted.hint, 'remove the quotes: 80');
  const bool = describeError({ instancePath: '/spec/ports/0/targetPort', keyword: 'type', params: { type: 'string' } }, data);
  assert.match(bool.hint ?? '', /quote the value: "true"/);
});

test('required, enum, pattern, limits and unique items read as sentences', () => {
  const req = describeError({ instancePath: '/spec', keyword: 'required', params: { missingProperty: 'parentRefs' } }, data);
  assert.equal(req.code, 'WEFT_REQUIRED_FIELD');
  assert.deepEqual(req.path, ['spec', 'parentRefs']);
  assert.equal(req.message, 'missing required field "parentRefs"');
  const en = describeError({ instancePath: '/spec/flag', keyword: 'enum', params: { allowedValues: ['A', 'B'] } }, data);
  assert.equal(en.message, 'must be one of "A", "B"; got string "on"');
  const pat = describeError({ instancePath: '/spec/flag', keyword: 'pattern', params: { pattern: '^[a-z]+$' } }, data);
  assert.equal(pat.message, 'must match the pattern ^[a-z]+$; got string "on"');
  const max = describeError({ instancePath: '/spec/ports/0/port', keyword: 'maximum', params: { comparison: '<=', limit: 65535 } }, { spec: { ports: [{ port: 70000 }] } });
  assert.equal(max.message, 'must be <= 65535, got number 70000');
  const items = describeError({ instancePath: '/spec/ports', keyword: 'maxItems', params: { limit: 0 } }, data);
  assert.equal(items.message, 'must have at most 0 item(s), got 1');
  const uniq = describeError({ instancePath: '/spec/ports', keyword: 'uniqueItems', params: { i: 1, j: 0 } }, data);
  assert.equal(uniq.message, 'must not contain duplicate items (items 0 and 1 are equal)');
  const extra = describeError({ instancePath: '/spec', keyword: 'additionalProperties', params: { additionalProperty: 'bogus' } }, data);
  assert.equal(extra.code, 'WEFT_UNKNOWN_FIELD');
  assert.deepEqual(extra.path, ['spec', 'bogus']);
});

test('a failed oneOf of scalar types (IntOrString) becomes one issue naming both types', () => {
  const errors = [
    { instancePath: '/spec/ports/0/targetPort', keyword: 'type', params: { type: 'string' } },
    { instancePath: '/spec/ports/0/targetPort', keyword: 'type', params: { type: 'integer' } },
    { instancePath: '/spec/ports/0/targetPort', keyword: 'oneOf', params: { passingSchemas: null } },
    { instancePath: '/spec/ports/0/port', keyword: 'type', params: { type: 'integer' } },
  ];
  const issues = describeSchemaErrors(errors, data);
  assert.deepEqual(
    issues.map((i) => [i.path.join('.'), i.message]),
    [
      ['spec.ports.0.targetPort', 'must be string or integer, got boolean true'],
      ['spec.ports.0.port', 'must be integer, got string "eighty"'],
    ],
  );
});

test('a oneOf that more than one branch passes names the fields that exclude each other', () => {
  const issues = describeSchemaErrors([{ instancePath: '/m', keyword: 'oneOf', params: { passingSchemas: [1, 2] } }], { m: { prefix: '/a', exact: '/b' } });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].message, 'matches more than one of the allowed forms (it sets exact, prefix)');
});

test('a oneOf of required-only branches asks for one of the fields', () => {
  const errors = [
    { instancePath: '/m', keyword: 'required', params: { missingProperty: 'exact' } },
    { instancePath: '/m', keyword: 'required', params: { missingProperty: 'prefix' } },
    { instancePath: '/m', keyword: 'anyOf', params: {} },
  ];
  const issues = describeSchemaErrors(errors, { m: {} });
  assert.deepEqual(
    issues.map((i) => [i.code, i.message]),
    [['WEFT_REQUIRED_FIELD', 'must set one of "exact", "prefix"']],
  );
});

test('other failed combinators keep a few branch messages as a hint; if/then noise is dropped', () => {
  const errors = [
    { instancePath: '/m/a', keyword: 'type', params: { type: 'string' } },
    { instancePath: '/m', keyword: 'anyOf', params: {} },
    { instancePath: '/x', keyword: 'if', params: { failingKeyword: 'then' } },
  ];
  const issues = describeSchemaErrors(errors, { m: { a: 1 }, x: 1 });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].message, 'does not match any of the allowed forms');
  assert.equal(issues[0].hint, 'the closest allowed forms fail with: a: must be string, got number 1');
});
