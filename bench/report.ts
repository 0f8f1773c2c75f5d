/**
 * Turns the measurements into the printed table and the JSON of bench/results/latest.json.
 * Pure: no I/O, so the arithmetic (ratios, CPU per request, error totals) is tested as a table.
 */
import { assertNever } from '../src/lib/assert-never.ts';
import type { Measurement } from './measure.ts';
import type { TargetName } from './targets/target-name.ts';

/** Other processes' CPU use (% of a core) from which a row gets a warning. */
export const FOREIGN_CPU_NOTE_PERCENT = 5;
/** Generator send lag p99 from which the fixed-rate latency is said to be the machine's, not the target's. */
export const GENERATOR_LAG_NOTE_MS = 10;

export type TargetResult =
  | { readonly kind: 'measured'; readonly target: TargetName; readonly label: string; readonly measurement: Measurement; readonly notes: readonly string[] }
  | { readonly kind: 'unavailable'; readonly target: TargetName; readonly label: string; readonly reason: string }
  | { readonly kind: 'not-run'; readonly target: TargetName; readonly label: string; readonly reason: string };

/** The figures of one measured target, as printed and as stored. NaN = not measured. */
export interface ReportRow {
  readonly label: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly fixedRateP50Ms: number;
  readonly fixedRateP99Ms: number;
  readonly fixedRateAchieved: number;
  readonly generatorLagP99Ms: number;
  readonly cpuMicrosPerRequest: number;
  readonly cpuPercentOfCore: number;
  readonly fixedRateCpuMicrosPerRequest: number;
  readonly upstreamCpuMicrosPerRequest: number;
  readonly peakRssMb: number;
  readonly ratioToDirect: number;
  readonly ratioToNginx: number;
  readonly errors: number;
  /** Other processes' CPU use during the saturating and fixed-rate runs, % of one core. */
  readonly foreignCpuPercentSaturation: number;
  readonly foreignCpuPercentFixedRate: number;
}

export function rowOf(m: Measurement, seconds: number, refs: { direct?: number; nginx?: number }): Omit<ReportRow, 'label'> {
  const s = m.saturation;
  const f = m.fixedRate;
  const rps = s?.requestsPerSecond ?? Number.NaN;
  const requests = s?.requests ?? 0;
  const errors = (s?.errors ?? 0) + (f ? f.non2xx + f.failed + f.unfinished : 0);
  return {
    requestsPerSecond: rps,
    p50Ms: s?.p50Ms ?? Number.NaN,
    p99Ms: s?.p99Ms ?? Number.NaN,
    fixedRateP50Ms: f?.latencyMs.p50 ?? Number.NaN,
    fixedRateP99Ms: f?.latencyMs.p99 ?? Number.NaN,
    fixedRateAchieved: f?.achievedRate ?? Number.NaN,
    generatorLagP99Ms: f?.sendLagMs.p99 ?? Number.NaN,
    cpuMicrosPerRequest: requests > 0 ? (m.cpuSecondsSaturation * 1e6) / requests : Number.NaN,
    cpuPercentOfCore: (m.cpuSecondsSaturation * 100) / seconds,
    fixedRateCpuMicrosPerRequest: m.fixedRateRequests > 0 ? (m.cpuSecondsFixedRate * 1e6) / m.fixedRateRequests : Number.NaN,
    upstreamCpuMicrosPerRequest: requests > 0 ? (m.upstreamCpuSecondsSaturation * 1e6) / requests : Number.NaN,
    peakRssMb: m.peakRssKb / 1024,
    ratioToDirect: refs.direct ? rps / refs.direct : Number.NaN,
    ratioToNginx: refs.nginx ? rps / refs.nginx : Number.NaN,
    errors,
    foreignCpuPercentSaturation: m.foreignCpuPercentSaturation,
    foreignCpuPercentFixedRate: m.foreignCpuPercentFixedRate,
  };
}

function refRps(results: readonly TargetResult[], target: TargetName): number | undefined {
  const r = results.find((x) => x.target === target && x.kind === 'measured');
  const rps = r?.kind === 'measured' ? r.measurement.saturation?.requestsPerSecond : undefined;
  return rps !== undefined && rps > 0 ? rps : undefined;
}

export function reportRows(results: readonly TargetResult[], seconds: number): ReportRow[] {
  const refs = { direct: refRps(results, 'direct'), nginx: refRps(results, 'nginx') };
  const rows: ReportRow[] = [];
  for (const r of results) if (r.kind === 'measured') rows.push({ label: r.label, ...rowOf(r.measurement, seconds, refs) });
  return rows;
}

/** `1000` → `1k`, `1500` → `1.5k`, `500` → `500`. */
export function rateLabel(rate: number): string {
  return rate >= 1000 && rate % 100 === 0 ? `${rate / 1000}k` : String(rate);
}

function num(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

export function formatTable(results: readonly TargetResult[], seconds: number, rate: number): string {
  const at = rateLabel(rate);
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', `p50@${at} ms`, `p99@${at} ms`, 'cpu µs/req', 'rss MB', '×direct', '×nginx', 'errors'];
  const rows = new Map(reportRows(results, seconds).map((r) => [r.label, r]));
  const lines: string[][] = [];
  const free: string[] = [];
  for (const r of results) {
    switch (r.kind) {
      case 'measured': {
        const x = rows.get(r.label) as ReportRow;
        lines.push([
          r.label, num(x.requestsPerSecond, 0), num(x.p50Ms, 2), num(x.p99Ms, 2), num(x.fixedRateP50Ms, 2),
          num(x.fixedRateP99Ms, 2), num(x.cpuMicrosPerRequest, 1), num(x.peakRssMb, 1), num(x.ratioToDirect, 2),
          num(x.ratioToNginx, 2), String(x.errors),
        ]);
        break;
      }
      case 'unavailable':
        free.push(`${r.label.padEnd(14)}not available (${r.reason})`);
        break;
      case 'not-run':
        free.push(`${r.label.padEnd(14)}not run (${r.reason})`);
        break;
      default:
        assertNever(r, 'target result');
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [fmt(header), ...lines.map(fmt), ...free].join('\n');
}

/** Remarks that change how a row should be read (short fixed rate, errors, generator lag, problems). */
export function tableNotes(results: readonly TargetResult[], seconds: number, rate: number): string[] {
  const notes: string[] = [];
  const rows = new Map(reportRows(results, seconds).map((r) => [r.label, r]));
  for (const r of results) {
    if (r.kind !== 'measured') continue;
    const x = rows.get(r.label) as ReportRow;
    for (const p of r.measurement.problems) notes.push(`${r.label}: ${p}`);
    for (const n of r.notes) notes.push(`${r.label}: ${n}`);
    if (Number.isFinite(x.fixedRateAchieved) && x.fixedRateAchieved < 0.95 * rate) {
      notes.push(`${r.label}: the fixed-rate run reached only ${x.fixedRateAchieved.toFixed(0)} of ${rate} req/s`);
    }
    const foreign = Math.max(x.foreignCpuPercentSaturation, x.foreignCpuPercentFixedRate);
    if (foreign >= FOREIGN_CPU_NOTE_PERCENT) {
      notes.push(`${r.label}: other processes used ${x.foreignCpuPercentSaturation.toFixed(0)}% / ${x.foreignCpuPercentFixedRate.toFixed(0)}% of a core during the saturating / fixed-rate run: figures skewed`);
    }
    if (x.generatorLagP99Ms >= GENERATOR_LAG_NOTE_MS) {
      notes.push(`${r.label}: the generator fell behind its schedule (send lag p99 ${x.generatorLagP99Ms.toFixed(1)} ms): its p99@${rateLabel(rate)} measures the machine, not the target`);
    }
    if (x.errors > 0) notes.push(`${r.label}: ${x.errors} errors (socket errors, non-2xx, failed or unfinished requests)`);
  }
  const lags = [...rows.values()].filter((x) => Number.isFinite(x.generatorLagP99Ms));
  if (lags.length > 0) {
    notes.push(`generator send lag p99 (counted in p99@${rateLabel(rate)}): ${lags.map((x) => `${x.label} ${x.generatorLagP99Ms.toFixed(2)} ms`).join(', ')}`);
  }
  return notes;
}
