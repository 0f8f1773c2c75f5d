import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchConfig } from './config.ts';
import { DEFAULT_TARGETS } from './targets/target-name.ts';

test("defaults: 10 s runs, 1,000 req/s, the issue's targets, pinning on", () => {
  const r = parseBenchConfig({});
  assert.ok(r.ok);
  assert.equal(r.value.seconds, 10);
  assert.equal(r.value.rateSeconds, 10);
  assert.equal(r.value.rate, 1000);
  assert.equal(r.value.connections, 32);
  assert.equal(r.value.pin, 'auto');
  assert.equal(r.value.rateTiming, 'precise');
  assert.equal(r.value.weftWorkers, undefined);
  assert.deepEqual(r.value.targets, DEFAULT_TARGETS);
});

test('knobs are read and BENCH_RATE_SECONDS follows BENCH_SECONDS', () => {
  const r = parseBenchConfig({ BENCH_SECONDS: '3', BENCH_TARGETS: 'direct, weft node-hello', WEFT_WORKERS: '2', BENCH_PIN: 'off' });
  assert.ok(r.ok);
  assert.equal(r.value.rateSeconds, 3);
  assert.deepEqual(r.value.targets, ['direct', 'weft', 'node-hello']);
  assert.equal(r.value.weftWorkers, 2);
  assert.equal(r.value.pin, 'off');
});

test('every bad knob is named, none is silently replaced', () => {
  const r = parseBenchConfig({ BENCH_SECONDS: '0', BENCH_RATE: 'fast', BENCH_TARGETS: 'nginx envoy', BENCH_RATE_TIMING: 'exact', WEFT_WORKERS: '-1' });
  assert.ok(!r.ok);
  const text = r.error.join('\n');
  for (const name of ['BENCH_SECONDS', 'BENCH_RATE ', 'BENCH_TARGETS', 'envoy', 'BENCH_RATE_TIMING', 'WEFT_WORKERS']) {
    assert.ok(text.includes(name), `${name} in ${text}`);
  }
});

test('more generator connections than requests per second is refused', () => {
  const r = parseBenchConfig({ BENCH_RATE: '10', BENCH_RATE_CONNS: '16' });
  assert.ok(!r.ok);
  assert.match(r.error[0], /BENCH_RATE_CONNS/);
});
