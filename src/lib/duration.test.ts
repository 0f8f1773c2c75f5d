import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  durationFromProto,
  formatGoDuration,
  formatProtoDuration,
  parseGatewayDuration,
  parseGoDuration,
  parseProtoDuration,
} from './duration.ts';

test('protobuf JSON durations (Envoy YAML, xDS)', () => {
  const cases: [string, number][] = [
    ['5s', 5000],
    ['0s', 0],
    ['0.25s', 250],
    ['0.250s', 250],
    ['1.5s', 1500],
    ['0.000001s', 0.001],
    ['-2s', -2000],
    ['300s', 300_000],
  ];
  for (const [text, ms] of cases) assert.deepEqual(parseProtoDuration(text), { ok: true, value: ms }, text);
  for (const bad of ['5', '5ms', '1m', '.5s', '1.s', '1.0000000001s', ' 5s', '315576000001s']) {
    assert.equal(parseProtoDuration(bad).ok, false, bad);
  }
});

test('protobuf Duration objects', () => {
  assert.deepEqual(durationFromProto({ seconds: 1, nanos: 500_000_000 }), { ok: true, value: 1500 });
  assert.deepEqual(durationFromProto({ seconds: '2' }), { ok: true, value: 2000 });
  assert.deepEqual(durationFromProto('0.1s'), { ok: true, value: 100 });
  assert.equal(durationFromProto({ seconds: 1.5 }).ok, false);
  assert.equal(durationFromProto({ seconds: 1, nanos: -1 }).ok, false);
  assert.equal(durationFromProto({ secs: 1 }).ok, false);
  assert.equal(durationFromProto(5).ok, false);
});

test('formatting protobuf durations uses 0, 3, 6 or 9 digits, as protojson', () => {
  assert.equal(formatProtoDuration(5000), '5s');
  assert.equal(formatProtoDuration(250), '0.250s');
  assert.equal(formatProtoDuration(1500.5), '1.500500s');
  assert.equal(formatProtoDuration(0.000001), '0.000000001s');
  assert.equal(formatProtoDuration(-1500), '-1.500s');
  assert.equal(formatProtoDuration(0), '0s');
  for (const ms of [0, 1, 250, 5000, 1234.5, 86_400_000]) {
    const back = parseProtoDuration(formatProtoDuration(ms));
    assert.ok(back.ok && back.value === ms, String(ms));
  }
});

test('Go durations (time.ParseDuration)', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['300ms', 300],
    ['1.5s', 1500],
    ['2h45m', 9_900_000],
    ['1h30m30s500ms', 5_430_500],
    ['-1m', -60_000],
    ['+5s', 5000],
    ['1us', 0.001],
    ['1µs', 0.001],
    ['100ns', 0.0001],
    ['.5s', 500],
  ];
  for (const [text, ms] of cases) {
    const r = parseGoDuration(text);
    assert.ok(r.ok, text);
    assert.ok(Math.abs(r.value - ms) < 1e-9, `${text}: ${r.value}`);
  }
  for (const bad of ['', '5', '1d', 's', '1.5', '-', '1 s', '.s']) assert.equal(parseGoDuration(bad).ok, false, bad);
});

test('Gateway API durations (GEP-2257) are a strict subset of Go durations', () => {
  assert.deepEqual(parseGatewayDuration('10s'), { ok: true, value: 10_000 });
  assert.deepEqual(parseGatewayDuration('1h30m'), { ok: true, value: 5_400_000 });
  assert.deepEqual(parseGatewayDuration('500ms'), { ok: true, value: 500 });
  assert.deepEqual(parseGatewayDuration('00060m'), { ok: true, value: 3_600_000 });
  for (const bad of ['1.5s', '-1s', '1us', '123456s', '1h1m1s1ms1h', '0', '']) {
    assert.equal(parseGatewayDuration(bad).ok, false, bad);
  }
});

test('formatting as Go does', () => {
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(250), '250ms');
  assert.equal(formatGoDuration(1500), '1.5s');
  assert.equal(formatGoDuration(3_723_500), '1h2m3.5s');
  assert.equal(formatGoDuration(60_000), '1m0s');
  assert.equal(formatGoDuration(0.0015), '1.5µs');
  assert.equal(formatGoDuration(-1500), '-1.5s');
});
