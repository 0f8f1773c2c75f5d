import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HealthCheck } from '../../model/index.ts';
import { decodeHealthCheckStatus, encodeHealthCheckRequest } from './h2-health-probe.ts';
import { compileHealthCheckIntervals, DEFAULT_NO_TRAFFIC_INTERVAL_MS, initialCheckDelayMs, nextCheckDelayMs } from './health-check-intervals.ts';

const NO_JITTER = { next: () => 0 };
const TOP = { next: () => 0.999999 };

function hc(p: Partial<HealthCheck>): HealthCheck {
  return { timeoutMs: 1000, intervalMs: 100, unhealthyThreshold: 3, healthyThreshold: 2, healthChecker: { kind: 'tcpHealthCheck', tcpHealthCheck: { receive: [] } }, ...p };
}

test('defaults: unhealthy_interval = interval, unhealthy_edge = unhealthy_interval, healthy_edge = interval, no_traffic 60 s', () => {
  const iv = compileHealthCheckIntervals(hc({ unhealthyIntervalMs: 700 }));
  assert.equal(iv.noTrafficMs, DEFAULT_NO_TRAFFIC_INTERVAL_MS);
  assert.equal(iv.unhealthyMs, 700);
  assert.equal(iv.unhealthyEdgeMs, 700);
  assert.equal(iv.healthyEdgeMs, 100);
  assert.equal(compileHealthCheckIntervals(hc({})).unhealthyEdgeMs, 100);
});

test('the base interval by outcome and transition, as Envoy’s HealthCheckerImplBase::interval', () => {
  const iv = compileHealthCheckIntervals(hc({ noTrafficIntervalMs: 5000, unhealthyIntervalMs: 300, unhealthyEdgeIntervalMs: 40, healthyEdgeIntervalMs: 20 }));
  const cases: [boolean, 'unchanged' | 'changed' | 'changePending', boolean, number][] = [
    [true, 'unchanged', true, 100],
    [true, 'changed', true, 100],
    [true, 'changePending', true, 20],
    [false, 'unchanged', true, 300],
    [false, 'changed', true, 300],
    [false, 'changePending', true, 40],
    [true, 'changePending', false, 5000],
    [false, 'unchanged', false, 5000],
    [true, 'unchanged', false, 5000],
  ];
  for (const [passed, transition, traffic, want] of cases) {
    assert.equal(nextCheckDelayMs(iv, passed, transition, traffic, NO_JITTER), want, `${passed} ${transition} ${traffic}`);
  }
});

test('no_traffic_healthy_interval: without traffic, after a pass that leaves the host healthy', () => {
  const iv = compileHealthCheckIntervals(hc({ noTrafficIntervalMs: 5000, noTrafficHealthyIntervalMs: 9000 }));
  assert.equal(nextCheckDelayMs(iv, true, 'unchanged', false, NO_JITTER), 9000);
  assert.equal(nextCheckDelayMs(iv, true, 'changed', false, NO_JITTER), 9000);
  assert.equal(nextCheckDelayMs(iv, true, 'changePending', false, NO_JITTER), 5000);
  assert.equal(nextCheckDelayMs(iv, false, 'unchanged', false, NO_JITTER), 5000);
  assert.equal(nextCheckDelayMs(iv, true, 'unchanged', true, NO_JITTER), 100);
});

test('jitter: below interval_jitter_percent of the base, plus below interval_jitter; at least 1 ms', () => {
  const iv = compileHealthCheckIntervals(hc({ intervalMs: 1000, intervalJitterPercent: 10, intervalJitterMs: 50 }));
  assert.equal(nextCheckDelayMs(iv, true, 'unchanged', true, NO_JITTER), 1000);
  assert.equal(nextCheckDelayMs(iv, true, 'unchanged', true, TOP), 1000 + 99 + 49);
  const half = { next: () => 0.5 };
  assert.equal(nextCheckDelayMs(iv, true, 'unchanged', true, half), 1000 + 50 + 25);
  const zero = compileHealthCheckIntervals(hc({ intervalMs: 0 }));
  assert.equal(nextCheckDelayMs(zero, true, 'unchanged', true, NO_JITTER), 1);
});

test('initial_jitter: the first check at once without it, else below it', () => {
  assert.equal(initialCheckDelayMs(compileHealthCheckIntervals(hc({})), TOP), 0);
  const iv = compileHealthCheckIntervals(hc({ initialJitterMs: 200, intervalJitterPercent: 50 }));
  assert.equal(initialCheckDelayMs(iv, TOP), 199);
  assert.equal(initialCheckDelayMs(iv, NO_JITTER), 1);
});

test('grpc.health.v1 messages: the request frame and the response status', () => {
  assert.deepEqual([...encodeHealthCheckRequest(undefined)], [0, 0, 0, 0, 0]);
  assert.deepEqual([...encodeHealthCheckRequest('svc')], [0, 0, 0, 0, 5, 0x0a, 3, 0x73, 0x76, 0x63]);
  assert.equal(decodeHealthCheckStatus(Buffer.from([0, 0, 0, 0, 2, 0x08, 1])), 1);
  assert.equal(decodeHealthCheckStatus(Buffer.from([0, 0, 0, 0, 2, 0x08, 2])), 2);
  // An empty message is status UNKNOWN (0); unknown fields are skipped.
  assert.equal(decodeHealthCheckStatus(Buffer.from([0, 0, 0, 0, 0])), 0);
  assert.equal(decodeHealthCheckStatus(Buffer.from([0, 0, 0, 0, 5, 0x12, 1, 0x41, 0x08, 1])), 1);
  // Truncated, compressed or malformed: no status.
  assert.equal(decodeHealthCheckStatus(Buffer.from([0, 0, 0, 0, 3, 0x08])), undefined);
  assert.equal(decodeHealthCheckStatus(Buffer.from([1, 0, 0, 0, 2, 0x08, 1])), undefined);
  assert.equal(decodeHealthCheckStatus(Buffer.from([0, 0, 0, 0, 1, 0x08])), undefined);
});
