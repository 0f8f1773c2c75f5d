/**
 * The bench's knobs, read from environment variables once at start. A bad value is reported with
 * the variable's name and the run does not start.
 */
import { err, ok } from '../src/lib/result.ts';
import type { Result } from '../src/lib/result.ts';
import type { FixedRateTiming } from './fixed-rate/fixed-rate-run.ts';
import { DEFAULT_TARGETS, TARGET_NAMES, isTargetName } from './targets/target-name.ts';
import type { TargetName } from './targets/target-name.ts';

export interface BenchConfig {
  /** BENCH_SECONDS: length of the saturating wrk run. */
  readonly seconds: number;
  /** BENCH_WARMUP: wrk warm-up before it (not measured). */
  readonly warmupSeconds: number;
  /** BENCH_CONNS / BENCH_THREADS: wrk's -c and -t. */
  readonly connections: number;
  readonly threads: number;
  /** BENCH_RATE: the fixed rate, requests/s. */
  readonly rate: number;
  /** BENCH_RATE_SECONDS: length of the fixed-rate run (default BENCH_SECONDS). */
  readonly rateSeconds: number;
  /** BENCH_RATE_CONNS: connections of the fixed-rate generator. */
  readonly rateConnections: number;
  /** BENCH_RATE_TIMING: precise (futex + spin) or timer (Node timers only). */
  readonly rateTiming: FixedRateTiming;
  /** BENCH_BASE_PORT: the upstream's port; targets take the next free ones. */
  readonly basePort: number;
  /** BENCH_PIN: pin load+upstream to CPU0 and the target to CPU1 (auto: when there are 2+ CPUs). */
  readonly pin: 'auto' | 'off';
  /** BENCH_TARGETS: space- or comma-separated subset of TARGET_NAMES, in run order. */
  readonly targets: readonly TargetName[];
  /** WEFT_BIN: weft's entry script (default: this checkout's bin/weft.js), run with this Node. */
  readonly weftBin: string | undefined;
  /** WEFT_WORKERS: passed to weft as `--workers N` when set. */
  readonly weftWorkers: number | undefined;
  /** BENCH_WEFT_START_SECONDS: how long weft may take to print its ready line. */
  readonly weftStartSeconds: number;
  /** BENCH_WAIT_QUIET: before each target, wait up to this many seconds for other load to drop. */
  readonly waitQuietSeconds: number;
  /** BENCH_MAX_SECONDS: no target is started after this much time. */
  readonly maxSeconds: number;
  /** BENCH_RESULTS: where the JSON goes (default bench/results/latest.json). */
  readonly resultsFile: string | undefined;
  /** BENCH_KEEP_WORK=1 keeps the temporary directory (configs, logs, raw outputs). */
  readonly keepWork: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, def: number, min: number, max: number, errors: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    errors.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return def;
  }
  return Number(raw);
}

function parseTargets(raw: string | undefined, errors: string[]): readonly TargetName[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_TARGETS;
  const names = raw.split(/[\s,]+/).filter(Boolean);
  const unknown = names.filter((n) => !isTargetName(n));
  if (unknown.length > 0) {
    errors.push(`BENCH_TARGETS: unknown target ${unknown.join(', ')} (known: ${TARGET_NAMES.join(' ')})`);
    return DEFAULT_TARGETS;
  }
  return [...new Set(names.filter(isTargetName))];
}

export function parseBenchConfig(env: Env): Result<BenchConfig, string[]> {
  const errors: string[] = [];
  const seconds = integer(env, 'BENCH_SECONDS', 10, 1, 3600, errors);
  const rate = integer(env, 'BENCH_RATE', 1000, 1, 1_000_000, errors);
  const rateConnections = integer(env, 'BENCH_RATE_CONNS', 16, 1, 10_000, errors);
  const pin = env.BENCH_PIN ?? 'auto';
  if (!['auto', 'off', '0', '1', ''].includes(pin)) errors.push(`BENCH_PIN must be auto or off (got "${pin}")`);
  const timing = env.BENCH_RATE_TIMING || 'precise';
  if (timing !== 'precise' && timing !== 'timer') {
    errors.push(`BENCH_RATE_TIMING must be precise or timer (got "${timing}")`);
  }
  const workers = env.WEFT_WORKERS;
  const config: BenchConfig = {
    seconds,
    warmupSeconds: integer(env, 'BENCH_WARMUP', 2, 0, 600, errors),
    connections: integer(env, 'BENCH_CONNS', 32, 1, 10_000, errors),
    threads: integer(env, 'BENCH_THREADS', 1, 1, 64, errors),
    rate,
    rateSeconds: integer(env, 'BENCH_RATE_SECONDS', seconds, 1, 3600, errors),
    rateConnections,
    rateTiming: timing === 'timer' ? 'timer' : 'precise',
    basePort: integer(env, 'BENCH_BASE_PORT', 18080, 1024, 65000, errors),
    pin: pin === 'off' || pin === '0' ? 'off' : 'auto',
    targets: parseTargets(env.BENCH_TARGETS, errors),
    weftBin: env.WEFT_BIN || undefined,
    weftWorkers: workers === undefined || workers === '' ? undefined : integer(env, 'WEFT_WORKERS', 1, 1, 256, errors),
    weftStartSeconds: integer(env, 'BENCH_WEFT_START_SECONDS', 30, 1, 600, errors),
    waitQuietSeconds: integer(env, 'BENCH_WAIT_QUIET', 0, 0, 600, errors),
    maxSeconds: integer(env, 'BENCH_MAX_SECONDS', 600, 1, 86_400, errors),
    resultsFile: env.BENCH_RESULTS || undefined,
    keepWork: env.BENCH_KEEP_WORK === '1',
  };
  if (rateConnections > rate) errors.push(`BENCH_RATE_CONNS (${rateConnections}) must not exceed BENCH_RATE (${rate})`);
  return errors.length > 0 ? err(errors) : ok(config);
}
