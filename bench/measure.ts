/**
 * Measures one running target: a wrk warm-up, the saturating wrk run, then the fixed-rate run, with
 * the target's (and the upstream's) CPU time read from /proc around each, and its peak RSS at the end.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from './config.ts';
import type { FixedRateResult } from './fixed-rate/fixed-rate-run.ts';
import { BENCH_HOST } from './http-probe.ts';
import type { ProcessSupervisor } from './process-supervisor.ts';
import { ForeignCpuMeter, clockTicksPerSecond, treeCpuTicks, treePeakRssKb } from './proc-stats.ts';
import { REPO_ROOT } from './targets/start-target.ts';
import { parseWrkReport, wrkArgs } from './wrk.ts';
import type { WrkReport } from './wrk.ts';

const FIXED_RATE_MAIN = join(REPO_ROOT, 'bench', 'fixed-rate', 'main.ts');
/** Seconds the fixed-rate generator sends before its measured window (discarded). */
export const FIXED_RATE_WARMUP_S = 1;
const FIXED_RATE_DRAIN_MS = 2000;
/** Slack on top of a run's nominal length before it is stopped (process start-up, drain). */
const SLACK_MS = 15_000;

export interface Measurement {
  readonly saturation: WrkReport | undefined;
  readonly fixedRate: FixedRateResult | undefined;
  /** Why a run produced no figures (tool failure, timeout). */
  readonly problems: readonly string[];
  /** CPU seconds of the target's process tree during each run. */
  readonly cpuSecondsSaturation: number;
  readonly cpuSecondsFixedRate: number;
  /** Requests the target served during the fixed-rate phase (warm-up included), for CPU per request. */
  readonly fixedRateRequests: number;
  /** CPU seconds of the upstream during the saturating run. */
  readonly upstreamCpuSecondsSaturation: number;
  readonly peakRssKb: number;
  /** CPU used by processes outside the bench during each run, % of one core (noise indicator). */
  readonly foreignCpuPercentSaturation: number;
  readonly foreignCpuPercentFixedRate: number;
}

export interface MeasureContext {
  readonly config: BenchConfig;
  readonly supervisor: ProcessSupervisor;
  readonly wrk: string;
  /** Prefix that pins a command to the load generator's CPU (`taskset -c 0`), or empty. */
  readonly loadPin: readonly string[];
  /**
   * Prefix for the fixed-rate generator: `loadPin` plus `chrt --idle 0` where available. The
   * generator spins between sends; as a SCHED_IDLE task it yields its CPU at once to the upstream
   * (which shares CPU0) instead of delaying it by up to a scheduler slice.
   */
  readonly generatorPrefix: readonly string[];
  readonly workDir: string;
  readonly upstreamPid: number;
}

function pinned(pin: readonly string[], command: string, args: readonly string[]): [string, string[]] {
  return pin.length > 0 ? [pin[0], [...pin.slice(1), command, ...args]] : [command, [...args]];
}

function safeName(label: string): string {
  return label.replace(/[^A-Za-z0-9_.-]/g, '_');
}

async function runWrk(ctx: MeasureContext, label: string, url: string, seconds: number, latency: boolean): Promise<{ text: string; problem?: string }> {
  const { threads, connections } = ctx.config;
  const [cmd, args] = pinned(ctx.loadPin, ctx.wrk, wrkArgs({ url, threads, connections, seconds, latency }));
  const r = await ctx.supervisor.run(`wrk ${label}`, cmd, args, {
    logFile: join(ctx.workDir, `${safeName(label)}.wrk.log`),
    timeoutMs: seconds * 1000 + SLACK_MS,
  });
  if (r.timedOut) return { text: r.stdout, problem: `wrk did not finish within ${seconds + SLACK_MS / 1000} s` };
  if (r.code !== 0) return { text: r.stdout, problem: `wrk exited with code ${r.code}: ${r.stderr.trim().split('\n').pop() ?? ''}` };
  return { text: r.stdout };
}

async function runFixedRateChild(ctx: MeasureContext, label: string, port: number): Promise<{ result?: FixedRateResult; problem?: string }> {
  const c = ctx.config;
  const genArgs = [
    '--import', 'tsx', FIXED_RATE_MAIN,
    '--port', String(port), '--rate', String(c.rate), '--seconds', String(c.rateSeconds),
    '--warmup', String(FIXED_RATE_WARMUP_S), '--connections', String(c.rateConnections),
    '--drain-ms', String(FIXED_RATE_DRAIN_MS), '--timing', c.rateTiming,
  ];
  const [cmd, args] = pinned(ctx.generatorPrefix, process.execPath, genArgs);
  const r = await ctx.supervisor.run(`fixed-rate ${label}`, cmd, args, {
    cwd: REPO_ROOT,
    logFile: join(ctx.workDir, `${safeName(label)}.fixed-rate.log`),
    timeoutMs: (FIXED_RATE_WARMUP_S + c.rateSeconds) * 1000 + FIXED_RATE_DRAIN_MS + SLACK_MS,
  });
  if (r.timedOut) return { problem: 'the fixed-rate generator did not finish in time' };
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { problem: `the fixed-rate generator printed no result (exit ${r.code}): ${r.stderr.trim().split('\n').pop() ?? ''}` };
  }
  const o = parsed as { error?: string };
  if (typeof o.error === 'string') return { problem: `fixed-rate generator: ${o.error}` };
  return { result: parsed as FixedRateResult };
}

/** Runs the three loads against 127.0.0.1:port; `targetPid` is the root of the target's process tree. */
export async function measureTarget(ctx: MeasureContext, label: string, port: number, targetPid: number): Promise<Measurement> {
  const url = `http://${BENCH_HOST}:${port}/`;
  const tick = clockTicksPerSecond();
  const problems: string[] = [];
  const c = ctx.config;

  if (c.warmupSeconds > 0) {
    const warm = await runWrk(ctx, `${label}.warmup`, url, c.warmupSeconds, false);
    if (warm.problem) problems.push(`warm-up: ${warm.problem}`);
  }

  const foreign = new ForeignCpuMeter(process.pid);
  foreign.start();
  const c0 = treeCpuTicks(targetPid);
  const u0 = treeCpuTicks(ctx.upstreamPid);
  let t = performance.now();
  const sat = await runWrk(ctx, label, url, c.seconds, true);
  const satWall = (performance.now() - t) / 1000;
  const c1 = treeCpuTicks(targetPid);
  const u1 = treeCpuTicks(ctx.upstreamPid);
  const foreignSaturation = foreign.stop();
  writeFileSync(join(ctx.workDir, `${safeName(label)}.wrk.txt`), sat.text);
  const saturation = parseWrkReport(sat.text);
  if (sat.problem) problems.push(sat.problem);
  else if (!saturation) problems.push('wrk printed no report');

  foreign.start();
  const f0 = treeCpuTicks(targetPid);
  t = performance.now();
  const fixed = await runFixedRateChild(ctx, label, port);
  const fixedWall = (performance.now() - t) / 1000;
  const f1 = treeCpuTicks(targetPid);
  const foreignFixedRate = foreign.stop();
  if (fixed.problem) problems.push(fixed.problem);
  if (fixed.result) writeFileSync(join(ctx.workDir, `${safeName(label)}.fixed-rate.json`), `${JSON.stringify(fixed.result, null, 2)}\n`);

  return {
    saturation,
    fixedRate: fixed.result,
    problems,
    cpuSecondsSaturation: (c1 - c0) / tick,
    cpuSecondsFixedRate: (f1 - f0) / tick,
    fixedRateRequests: fixed.result ? fixed.result.completed + Math.round(c.rate * FIXED_RATE_WARMUP_S) : 0,
    upstreamCpuSecondsSaturation: (u1 - u0) / tick,
    peakRssKb: treePeakRssKb(targetPid),
    foreignCpuPercentSaturation: (foreignSaturation * 100) / satWall,
    foreignCpuPercentFixedRate: (foreignFixedRate * 100) / fixedWall,
  };
}
