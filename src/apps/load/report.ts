/**
 * The end-of-run report of `weft load`, line for line as `fortio load` prints it (fortio 1.5x),
 * e.g.:
 *
 *   Ended after 27.591205ms : 20 calls. qps=724.87
 *   Aggregated Function Time : count 20 avg 0.0027248375 +/- 0.002902 min 0.001064346 max 0.010990329 sum 0.05449675
 *   ...
 *   Sockets used: 3 (for perfect keepalive, would be 2)
 *   Code 200 : 19 (95.0 %)
 *   Code 503 : 1 (5.0 %)
 *   Response Header Sizes : count 20 avg 370.55 +/- 85.01 min 0 max 391 sum 7411
 *   All done 20 calls (plus 0 warmup) 2.725 ms avg, 724.9 qps
 */
import { formatGoDuration } from '../../lib/duration.ts';
import { formatF, formatG } from './go-format.ts';
import { Counter, Histogram } from './histogram.ts';
import type { HttpFetcher } from './http-fetcher.ts';
import type { LoadOptions } from './options.ts';
import type { LoadPlan } from './plan.ts';

export interface RunStats {
  readonly durations: Histogram;
  readonly errors: Histogram;
  readonly sleeps: Histogram;
  readonly headerSizes: Histogram;
  readonly sizes: Histogram;
  readonly codes: Map<number, number>;
}

export interface ReportInput {
  readonly options: LoadOptions;
  readonly plan: LoadPlan;
  readonly stats: RunStats;
  readonly fetchers: readonly Pick<HttpFetcher, 'connectTimes' | 'remotes'>[];
  readonly elapsedMs: number;
  readonly warmup: number;
}

/** Go's `%3d`. */
function pad3(n: number): string {
  return String(n).padStart(3, ' ');
}

function sleepLines(stats: RunStats): string[] {
  const sleeps = stats.sleeps;
  if (sleeps.counter.count === 0) return [];
  const behind = (100 * sleeps.lowestBucketCount()) / sleeps.counter.count;
  if (behind > 5) return [...sleeps.lines('Aggregated Sleep Time', [50]), `WARNING ${formatF(behind, 2)}% of sleep were falling behind`];
  return [sleeps.counter.line('Sleep times')];
}

function connectionLines(input: ReportInput): string[] {
  const out = ['# Socket and IP used for each connection:'];
  const all = new Histogram(0, input.options.resolution);
  input.fetchers.forEach((f, i) => {
    const timing = new Counter();
    for (const t of f.connectTimes) {
      timing.record(t);
      all.record(t);
    }
    const address = f.remotes[f.remotes.length - 1] ?? '';
    out.push(timing.line(`[${i}] ${pad3(f.connectTimes.length)} socket used, resolved to ${address}, connection timing`));
  });
  out.push(...all.lines('Connection time histogram (s)', input.options.percentiles));
  return out;
}

export function reportLines(input: ReportInput): string[] {
  const { options: o, plan, stats, elapsedMs } = input;
  const calls = stats.durations.counter.count;
  const qps = calls / (elapsedMs / 1000);
  const out = [`Ended after ${formatGoDuration(elapsedMs)} : ${calls} calls. qps=${formatG(qps, 5)}`];
  if (plan.useQps) out.push(...sleepLines(stats));
  out.push(...stats.durations.lines('Aggregated Function Time', o.percentiles));
  out.push(...stats.errors.lines('Error cases', o.percentiles));
  out.push(...connectionLines(input));
  const sockets = input.fetchers.reduce((n, f) => n + f.connectTimes.length, 0);
  out.push(`Sockets used: ${sockets} (for perfect keepalive, would be ${plan.threads})`);
  out.push(`Uniform: ${o.uniform}, Jitter: ${o.jitter}, Catchup allowed: ${!o.noCatchUp}`);
  out.push('IP addresses distribution:');
  const byAddress = new Map<string, number>();
  for (const f of input.fetchers) for (const r of f.remotes) byAddress.set(r, (byAddress.get(r) ?? 0) + 1);
  for (const addr of [...byAddress.keys()].sort()) out.push(`${addr}: ${byAddress.get(addr)}`);
  for (const code of [...stats.codes.keys()].sort((a, b) => a - b)) {
    const n = stats.codes.get(code)!;
    out.push(`Code ${pad3(code)} : ${n} (${formatF((100 * n) / calls, 1)} %)`);
  }
  out.push(stats.headerSizes.counter.line('Response Header Sizes'));
  out.push(stats.sizes.counter.line('Response Body/Total Sizes'));
  out.push(`All done ${calls} calls (plus ${input.warmup} warmup) ${formatF(stats.durations.counter.avg() * 1000, 3)} ms avg, ${formatF(qps, 1)} qps`);
  return out;
}
