import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, DEFAULT_HISTOGRAM_BUCKETS, Gauge, Histogram } from './metric.ts';

test('counter and gauge are plain numbers with Envoy used-semantics', () => {
  const c = new Counter('c');
  assert.equal(c.used, false);
  c.inc();
  c.add(4);
  assert.equal(c.value, 5);
  assert.equal(c.used, true);
  const g = new Gauge('g');
  assert.equal(g.used, false);
  g.inc();
  g.dec();
  assert.equal(g.value, 0);
  assert.equal(g.used, true, 'a gauge set back to 0 still counts as used');
  g.set(7);
  g.sub(2);
  assert.equal(g.value, 5);
});

test('Envoy default buckets', () => {
  assert.deepEqual(
    [...DEFAULT_HISTOGRAM_BUCKETS],
    [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000],
  );
});

test('histogram buckets are cumulative counts of samples <= bound', () => {
  const h = new Histogram('h', 'milliseconds');
  for (const v of [0, 0.5, 0.7, 1, 3, 10, 11, 4000000]) h.record(v);
  const s = h.statistics();
  assert.equal(s.sampleCount, 8);
  assert.equal(s.sampleSum, 0 + 0.5 + 0.7 + 1 + 3 + 10 + 11 + 4000000);
  // le: 0.5 1 5 10 25 ...
  assert.deepEqual(s.cumulativeBuckets.slice(0, 5), [2, 4, 5, 6, 7]);
  assert.equal(s.cumulativeBuckets[s.cumulativeBuckets.length - 1], 7, 'the 4e6 sample is only in +Inf');
});

test('quantiles interpolate inside circllhist buckets as Envoy prints them', () => {
  const h = new Histogram('h');
  h.record(1);
  const q = h.statistics().cumulativeQuantiles;
  // Envoy: P0(nan,1) P25(nan,1.025) P50(nan,1.05) ... P100(nan,1.1)
  assert.equal(q[0], 1);
  assert.ok(Math.abs(q[1] - 1.025) < 1e-12);
  assert.ok(Math.abs(q[2] - 1.05) < 1e-12);
  assert.ok(Math.abs(q[9] - 1.1) < 1e-12);

  const h2 = new Histogram('h2');
  for (let i = 1; i <= 100; i++) h2.record(i);
  const q2 = h2.statistics().cumulativeQuantiles;
  assert.equal(q2[0], 1);
  assert.ok(Math.abs(q2[2] - 50) <= 1, `p50 ${q2[2]}`);
  assert.ok(Math.abs(q2[6] - 99) <= 2, `p99 ${q2[6]}`);
  assert.equal(q2[9], 110, 'P100 is the top of the [100,110) bucket');
});

test('zero and sub-millisecond samples', () => {
  const h = new Histogram('h');
  h.record(0);
  h.record(0);
  const q = h.statistics().cumulativeQuantiles;
  assert.deepEqual(q, q.map(() => 0));
  const h2 = new Histogram('h2');
  h2.record(0.3);
  const [p0] = h2.statistics().cumulativeQuantiles;
  assert.ok(Math.abs(p0 - 0.3) < 1e-12, `0.3 lands in [0.30, 0.31): ${p0}`);
});

test('interval statistics cover the samples between flushes', () => {
  const h = new Histogram('h');
  h.record(5);
  let s = h.statistics();
  assert.ok(Number.isNaN(s.intervalQuantiles[0]), 'no interval closed yet');
  h.flushInterval();
  h.record(200);
  s = h.statistics();
  assert.equal(s.intervalQuantiles[0], 5, 'the closed interval held only the 5');
  assert.equal(s.cumulativeQuantiles[0], 5);
  assert.equal(s.intervalBuckets[2], 1);
  h.flushInterval();
  s = h.statistics();
  assert.equal(s.intervalQuantiles[0], 200);
  h.flushInterval();
  assert.ok(Number.isNaN(h.statistics().intervalQuantiles[0]), 'an empty interval is nan');
  assert.equal(h.statistics().sampleCount, 2);
});
