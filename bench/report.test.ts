import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Measurement } from './measure.ts';
import { formatTable, rateLabel, reportRows, tableNotes } from './report.ts';
import type { TargetResult } from './report.ts';

function measurement(rps: number, cpuSeconds: number, extra: Partial<Measurement> = {}): Measurement {
  return {
    saturation: { requestsPerSecond: rps, requests: rps * 10, p50Ms: 0.5, p99Ms: 1.5, errors: 0 },
    fixedRate: {
      rate: 1000, seconds: 10, connections: 16, scheduled: 10_000, completed: 10_000, achievedRate: 1000,
      non2xx: 0, failed: 0, unfinished: 0,
      latencyMs: { count: 10_000, p50: 0.2, p90: 0.4, p99: 0.9, p999: 2, max: 3 },
      sendLagMs: { count: 10_000, p50: 0.001, p90: 0.01, p99: 0.05, p999: 1, max: 2 },
      generatorCpuPercent: 40,
    },
    problems: [],
    cpuSecondsSaturation: cpuSeconds,
    cpuSecondsFixedRate: 0.5,
    fixedRateRequests: 11_000,
    upstreamCpuSecondsSaturation: 2,
    peakRssKb: 10 * 1024,
    foreignCpuPercentSaturation: 1,
    foreignCpuPercentFixedRate: 1,
    ...extra,
  };
}

const RESULTS: TargetResult[] = [
  { kind: 'measured', target: 'direct', label: 'direct', measurement: measurement(80_000, 4), notes: [] },
  { kind: 'measured', target: 'nginx', label: 'nginx', measurement: measurement(40_000, 8), notes: [] },
  { kind: 'measured', target: 'node-undici', label: 'node-undici', measurement: measurement(10_000, 10), notes: [] },
  { kind: 'unavailable', target: 'weft', label: 'weft', reason: "error: unknown option '--bootstrap'" },
];

test('ratios are to direct and to nginx; CPU per request is CPU time over requests served', () => {
  const rows = reportRows(RESULTS, 10);
  const undici = rows.find((r) => r.label === 'node-undici');
  assert.ok(undici);
  assert.equal(undici.ratioToDirect, 0.125);
  assert.equal(undici.ratioToNginx, 0.25);
  assert.equal(undici.cpuMicrosPerRequest, 100); // 10 s of CPU over 100,000 requests
  assert.equal(undici.cpuPercentOfCore, 100);
  assert.equal(undici.peakRssMb, 10);
  assert.equal(undici.fixedRateP99Ms, 0.9);
  assert.equal(rows.length, 3);
});

test('the table has the asked columns, one line per target, and the reason a target did not run', () => {
  const table = formatTable(RESULTS, 10, 1000);
  const lines = table.split('\n');
  assert.match(lines[0], /^target\s+req\/s\s+p50 ms\s+p99 ms\s+p50@1k ms\s+p99@1k ms\s+cpu µs\/req\s+rss MB\s+×direct\s+×nginx\s+errors$/);
  assert.match(lines[1], /^direct\s+80000\s+0\.50\s+1\.50\s+0\.20\s+0\.90\s+5\.0\s+10\.0\s+1\.00\s+2\.00\s+0$/);
  assert.match(lines[3], /^node-undici\s+10000 .* 0\.13\s+0\.25\s+0$/);
  assert.equal(lines[4], "weft          not available (error: unknown option '--bootstrap')");
});

test('without a direct or nginx row the ratios are blank, not invented', () => {
  const table = formatTable([RESULTS[2]], 10, 1000);
  assert.match(table.split('\n')[1], /\s-\s+-\s+0$/);
});

test('notes flag a short fixed rate, errors, foreign load and problems', () => {
  const m = measurement(5000, 10, { problems: ['wrk exited with code 1'], foreignCpuPercentSaturation: 40 });
  const slow: TargetResult = {
    kind: 'measured', target: 'caddy', label: 'caddy', notes: [],
    measurement: {
      ...m,
      fixedRate: m.fixedRate && { ...m.fixedRate, achievedRate: 700, unfinished: 3, sendLagMs: { ...m.fixedRate.sendLagMs, p99: 12 } },
    },
  };
  const notes = tableNotes([slow], 10, 1000).join('\n');
  assert.match(notes, /caddy: wrk exited with code 1/);
  assert.match(notes, /reached only 700 of 1000/);
  assert.match(notes, /caddy: 3 errors/);
  assert.match(notes, /other processes used 40%/);
  assert.match(notes, /caddy: the generator fell behind its schedule \(send lag p99 12\.0 ms\)/);
  assert.match(notes, /send lag p99 .* caddy 12\.00 ms/);
});

test('rateLabel', () => {
  assert.equal(rateLabel(1000), '1k');
  assert.equal(rateLabel(2500), '2.5k');
  assert.equal(rateLabel(500), '500');
  assert.equal(rateLabel(1234), '1234');
});
