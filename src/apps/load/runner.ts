/**
 * `weft load`: a fortio-compatible HTTP load run. Workers (`-c`) each keep one connection and call
 * the URL at max speed or at a paced rate, for `-n` calls or `-t`; the run then prints fortio's
 * report (report.ts). Every run is bounded by `-n` or `-t`, and stops early when `signal` aborts.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatGoDuration } from '../../lib/duration.ts';
import { FORTIO_VERSION } from '../fortio/version.ts';
import { formatG, secondsOf } from './go-format.ts';
import { Histogram } from './histogram.ts';
import { HttpFetcher, type FetchResult } from './http-fetcher.ts';
import type { LoadOptions } from './options.ts';
import { planLoad, targetElapsedSeconds, type LoadPlan } from './plan.ts';
import { reportLines, type RunStats } from './report.ts';

export interface LoadIo {
  /** Receives the report, a line at a time (with its newline). */
  readonly write: (text: string) => void;
  /** Receives warnings and errors. */
  readonly writeError: (text: string) => void;
  readonly signal?: AbortSignal;
}

export interface LoadResult {
  /** 0, or 1 when the run was refused (warm-up error) or could not start. */
  readonly exitCode: 0 | 1;
  readonly calls: number;
  readonly warmup: number;
  /** Status code → count (-1: no response). */
  readonly codes: ReadonlyMap<number, number>;
  readonly sockets: number;
  readonly elapsedMs: number;
  readonly qps: number;
}

/** fortio counts 2xx and 418 as success. */
export function codeIsOk(code: number): boolean {
  return (code >= 200 && code <= 299) || code === 418;
}

function createStats(o: LoadOptions): RunStats {
  return {
    durations: new Histogram(0, o.resolution),
    errors: new Histogram(0, o.resolution),
    sleeps: new Histogram(-0.001, 0.001),
    headerSizes: new Histogram(0, 5),
    sizes: new Histogram(0, 100),
    codes: new Map(),
  };
}

function record(stats: RunStats, r: FetchResult, latency: number): void {
  stats.durations.record(latency);
  if (!codeIsOk(r.code)) stats.errors.record(latency);
  stats.codes.set(r.code, (stats.codes.get(r.code) ?? 0) + 1);
  stats.headerSizes.record(r.headerSize);
  stats.sizes.record(r.totalSize);
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (ms <= 0) return !signal?.aborted;
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
}

async function runWorker(id: number, fetcher: HttpFetcher, plan: LoadPlan, o: LoadOptions, stats: RunStats, start: number, signal: AbortSignal | undefined): Promise<void> {
  const calls = plan.perThread + (id === 0 ? plan.leftOver : 0);
  const deadline = start + o.durationMs;
  let origin = start;
  if (plan.useQps && o.uniform) {
    const gap = 1000 / plan.perThreadQps;
    origin += gap - (gap / plan.threads) * (plan.threads - id);
    if (!(await pause(origin - performance.now(), signal))) return;
  }
  for (let i = 0; ; ) {
    const fStart = performance.now();
    if (!plan.useExactly && plan.hasDuration && fStart > deadline) {
      if (!plan.useQps || (i >= 2 && i !== calls - 1)) break;
    }
    const r = await fetcher.fetch();
    record(stats, r, secondsOf(performance.now() - fStart));
    if (signal?.aborted) break;
    if (!plan.useQps) {
      i++;
      if (plan.useExactly && i >= calls) break;
      continue;
    }
    let proceed = false;
    while (!proceed) {
      i++;
      if (i >= calls) return;
      let wait = targetElapsedSeconds(plan, i, calls) * 1000 - (performance.now() - origin);
      if (o.noCatchUp && wait < 0) continue;
      if (o.jitter && wait > 0) wait += (Math.random() * 2 - 1) * (wait / 10);
      stats.sleeps.record(secondsOf(wait));
      if (!(await pause(wait, signal))) return;
      proceed = true;
    }
  }
}

async function warmUp(fetchers: readonly HttpFetcher[], o: LoadOptions, io: LoadIo): Promise<boolean> {
  const results = await Promise.all(fetchers.map((f) => f.fetch()));
  const bad = results.find((r) => !codeIsOk(r.code));
  if (bad && !o.allowInitialErrors) {
    io.writeError(`Aborting because of error ${bad.code} for ${o.url} (use -allow-initial-errors to keep going)\n`);
    return false;
  }
  return true;
}

export async function runLoad(o: LoadOptions, io: LoadIo): Promise<LoadResult> {
  const procs = availableParallelism();
  const plan = planLoad(o, procs);
  const what = o.exactly > 0 ? `${o.exactly} calls` : formatGoDuration(o.durationMs);
  io.write(`Fortio ${FORTIO_VERSION} running at ${formatG(o.qps)} queries per second, ${procs}->${procs} procs, for ${what}: ${o.url}\n`);
  let fetchers: HttpFetcher[];
  try {
    fetchers = Array.from({ length: plan.threads }, () => new HttpFetcher(o));
  } catch (e) {
    io.writeError(`${(e as Error).message}\n`);
    return { exitCode: 1, calls: 0, warmup: 0, codes: new Map(), sockets: 0, elapsedMs: 0, qps: 0 };
  }
  try {
    const warmup = plan.useExactly ? 0 : plan.threads;
    if (warmup > 0 && !(await warmUp(fetchers, o, io))) {
      return { exitCode: 1, calls: 0, warmup, codes: new Map(), sockets: fetchers.reduce((n, f) => n + f.socketCount, 0), elapsedMs: 0, qps: 0 };
    }
    io.write(`${plan.startLine}\n`);
    const stats = createStats(o);
    const start = performance.now();
    await Promise.all(fetchers.map((f, id) => runWorker(id, f, plan, o, stats, start, io.signal)));
    const elapsedMs = performance.now() - start;
    const calls = stats.durations.counter.count;
    const qps = calls / (elapsedMs / 1000);
    for (const line of reportLines({ options: o, plan, stats, fetchers, elapsedMs, warmup })) io.write(`${line}\n`);
    return { exitCode: 0, calls, warmup, codes: stats.codes, sockets: fetchers.reduce((n, f) => n + f.socketCount, 0), elapsedMs, qps };
  } finally {
    await Promise.all(fetchers.map((f) => f.close()));
  }
}
