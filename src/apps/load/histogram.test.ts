import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram } from './histogram.ts';

const PERCENTILES = [50, 75, 90, 99, 99.9];

// The expected lines are fortio 1.57.3's own output from the circuit-breaker seed (004).
test('function-time histogram: buckets and interpolated percentiles as fortio prints them', () => {
  const h = new Histogram(0, 0.001);
  const values = [
    0.001064346, ...Array.from({ length: 13 }, (_, i) => 0.0012 + i * 0.00005), 0.0025, 0.0026, 0.0035, 0.0065, 0.0105, 0.010990329,
  ];
  for (const v of values) h.record(v);
  const lines = h.lines('Aggregated Function Time', PERCENTILES);
  assert.equal(lines[1], '# range, mid point, percentile, count');
  assert.deepEqual(lines.slice(2), [
    '>= 0.00106435 <= 0.002 , 0.00153217 , 70.00, 14',
    '> 0.002 <= 0.003 , 0.0025 , 80.00, 2',
    '> 0.003 <= 0.004 , 0.0035 , 85.00, 1',
    '> 0.006 <= 0.007 , 0.0065 , 90.00, 1',
    '> 0.01 <= 0.0109903 , 0.0104952 , 100.00, 2',
    '# target 50% 0.00171211',
    '# target 75% 0.0025',
    '# target 90% 0.007',
    '# target 99% 0.0108913',
    '# target 99.9% 0.0109804',
  ]);
  assert.match(lines[0], /^Aggregated Function Time : count 20 avg \S+ \+\/- \S+ min 0.001064346 max 0.010990329 sum \S+$/);
});

test('connection-time histogram and counters match fortio digit for digit', () => {
  const h = new Histogram(0, 0.001);
  for (const v of [0.000187245, 0.000313168, 0.00018792]) h.record(v);
  assert.deepEqual(h.lines('Connection time histogram (s)', PERCENTILES), [
    'Connection time histogram (s) : count 3 avg 0.00022944433 +/- 5.92e-05 min 0.000187245 max 0.000313168 sum 0.000688333',
    '# range, mid point, percentile, count',
    '>= 0.000187245 <= 0.000313168 , 0.000250207 , 100.00, 3',
    '# target 50% 0.000218726',
    '# target 75% 0.000265947',
    '# target 90% 0.00029428',
    '# target 99% 0.000311279',
    '# target 99.9% 0.000312979',
  ]);
  const c = new Counter();
  c.record(0.000187245);
  c.record(0.000313168);
  assert.equal(c.line('[0]   2 socket used, resolved to 10.96.39.34:8080, connection timing'),
    '[0]   2 socket used, resolved to 10.96.39.34:8080, connection timing : count 2 avg 0.0002502065 +/- 6.296e-05 min 0.000187245 max 0.000313168 sum 0.000500413');
});

test('a single value: every percentile is that value; no values: "no data"', () => {
  const h = new Histogram(0, 0.001);
  h.record(0.001306888);
  assert.deepEqual(h.lines('Error cases', [50, 99.9]), [
    'Error cases : count 1 avg 0.001306888 +/- 0 min 0.001306888 max 0.001306888 sum 0.001306888',
    '# range, mid point, percentile, count',
    '>= 0.00130689 <= 0.00130689 , 0.00130689 , 100.00, 1',
    '# target 50% 0.00130689',
    '# target 99.9% 0.00130689',
  ]);
  assert.deepEqual(new Histogram(0, 0.001).lines('Error cases', PERCENTILES), ['Error cases : no data']);
});

test('values above the last bucket land in the overflow bucket ending at max', () => {
  const h = new Histogram(0, 0.001);
  h.record(150); // 150 s: beyond 100000 ms
  const [b] = h.buckets();
  assert.equal(b.start, 100);
  assert.equal(b.end, 150);
  assert.equal(b.count, 1);
});
