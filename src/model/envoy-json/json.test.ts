import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duration, fractionalPercent, int64, obj, percentValue } from './json.ts';

test('durations print as protojson does: whole seconds, else 3, 6 or 9 fraction digits', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [5000, '5s'],
    [250, '0.250s'],
    [1500, '1.500s'],
    [86_400_000, '86400s'],
    [0.1, '0.000100s'],
    [1.5, '0.001500s'],
    [0.000001, '0.000000001s'],
    [-250, '-0.250s'],
  ];
  for (const [ms, text] of cases) assert.equal(duration(ms), text, `${ms} ms`);
});

test('fractions become FractionalPercent with the smallest exact denominator', () => {
  assert.deepEqual(fractionalPercent(0), {});
  assert.deepEqual(fractionalPercent(1), { numerator: 100 });
  assert.deepEqual(fractionalPercent(0.07), { numerator: 7 });
  assert.deepEqual(fractionalPercent(0.0025), { numerator: 25, denominator: 'TEN_THOUSAND' });
  assert.deepEqual(fractionalPercent(0.000001), { numerator: 1, denominator: 'MILLION' });
  // Finer than a millionth: rounded to the nearest millionth.
  assert.deepEqual(fractionalPercent(1 / 3), { numerator: 333_333, denominator: 'MILLION' });
});

test('percentages print short and divide back to the fraction ingest/envoy made of them', () => {
  for (const p of [0, 7, 10, 20, 30, 33.3, 50, 99.9, 100, 12.345, 0.1]) {
    assert.equal(percentValue(p / 100), p, `percent ${p}`);
  }
  for (const f of [0.3, 0.07, 0.25]) assert.equal(percentValue(f) / 100, f, `fraction ${f}`);
  // Not every fraction has a double that divides back to it (0.999 has none); the nearest is printed.
  assert.equal(percentValue(0.999), 99.9);
});

test('64-bit integers print as decimal strings', () => {
  assert.equal(int64(0), '0');
  assert.equal(int64(-10), '-10');
  assert.equal(int64(8_388_608), '8388608');
  assert.equal(int64(2 ** 53), '9007199254740992');
});

test('obj leaves out undefined values and keeps null, false and 0', () => {
  assert.deepEqual(obj({ a: undefined, b: null, c: false, d: 0, e: '' }), { b: null, c: false, d: 0, e: '' });
});
