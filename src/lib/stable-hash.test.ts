import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { stableHash, stableStringify } from './stable-hash.ts';

test('object keys are sorted at every depth, so insertion order does not matter', () => {
  const a = { b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } };
  const b = { a: { c: 'x', d: [1, { y: 2, z: 1 }] }, b: 1 };
  assert.equal(stableStringify(a), '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
  assert.equal(stableStringify(a), stableStringify(b));
  assert.equal(stableHash(a), stableHash(b));
});

test('follows JSON.stringify for values it cannot represent', () => {
  assert.equal(stableStringify({ a: undefined, b: () => 1, c: null }), '{"c":null}');
  assert.equal(stableStringify([undefined, NaN, Infinity, 1]), '[null,null,null,1]');
  assert.equal(stableStringify('a"b\n'), JSON.stringify('a"b\n'));
  assert.equal(stableStringify({ t: new Date(0) }), '{"t":"1970-01-01T00:00:00.000Z"}');
  assert.equal(stableStringify(true), 'true');
});

test('array order is kept (it carries meaning: routes, filters)', () => {
  assert.notEqual(stableHash([1, 2]), stableHash([2, 1]));
});

test('the hash is sha256 hex of the stable text', () => {
  const v = { name: 'x', list: [3, 2] };
  const expected = createHash('sha256').update('{"list":[3,2],"name":"x"}').digest('hex');
  assert.equal(stableHash(v), expected);
  assert.match(stableHash(v), /^[0-9a-f]{64}$/);
});

test('omitKeys drops a key at every depth', () => {
  const a = { name: 'c', sources: [{ kind: 'A' }], inner: { sources: [1], x: 1 } };
  const b = { name: 'c', sources: [{ kind: 'B' }], inner: { sources: [2], x: 1 } };
  const omit = new Set(['sources']);
  assert.equal(stableStringify(a, { omitKeys: omit }), '{"inner":{"x":1},"name":"c"}');
  assert.equal(stableHash(a, { omitKeys: omit }), stableHash(b, { omitKeys: omit }));
  assert.notEqual(stableHash(a), stableHash(b));
});

test('a cycle or a bigint is a programming error', () => {
  const o: Record<string, unknown> = {};
  o.self = o;
  assert.throws(() => stableStringify(o), /cycle/);
  assert.throws(() => stableStringify({ n: 1n }), /bigint/);
  const shared = { x: 1 };
  assert.equal(stableStringify([shared, shared]), '[{"x":1},{"x":1}]');
});

test('murmur3Hash32 is deterministic, seeded and spreads similar keys', async () => {
  const { murmur3Hash32 } = await import('./stable-hash.ts');
  assert.equal(murmur3Hash32(''), 0);
  assert.equal(murmur3Hash32('abc'), murmur3Hash32('abc'));
  assert.notEqual(murmur3Hash32('abc'), murmur3Hash32('abc', 1));
  assert.notEqual(murmur3Hash32('user-1'), murmur3Hash32('user-2'));
  // 10,000 sequential keys into 16 buckets: every bucket within 20% of the mean.
  const buckets = new Array<number>(16).fill(0);
  for (let i = 0; i < 10_000; i++) buckets[murmur3Hash32(`key-${i}`) % 16]++;
  for (const b of buckets) assert.ok(b > 625 * 0.8 && b < 625 * 1.2, `bucket ${b}`);
  for (let i = 0; i < 100; i++) {
    const h = murmur3Hash32(`k${i}`);
    assert.ok(Number.isInteger(h) && h >= 0 && h <= 0xffffffff);
  }
});
