/**
 * How a load run divides its work, as fortio's periodic runner does: at max speed each worker makes
 * n / c calls (the first also the remainder) or runs until the deadline; at a target qps the total
 * is qps × duration (or -n), at least 2 calls and 2 calls per worker, so the worker count may drop.
 */
import { formatGoDuration } from '../../lib/duration.ts';
import { formatG } from './go-format.ts';
import type { LoadOptions } from './options.ts';

export interface LoadPlan {
  readonly useQps: boolean;
  readonly useExactly: boolean;
  readonly hasDuration: boolean;
  readonly threads: number;
  /** Calls per worker (0 at max speed for a duration). */
  readonly perThread: number;
  /** Extra calls for worker 0. */
  readonly leftOver: number;
  readonly perThreadQps: number;
  /** fortio's "Starting at ..." line. */
  readonly startLine: string;
}

export function planLoad(o: LoadOptions, procs: number): LoadPlan {
  const useQps = o.qps > 0;
  const useExactly = o.exactly > 0;
  const hasDuration = o.durationMs > 0;
  const duration = formatGoDuration(o.durationMs);
  let threads = o.connections;
  if (!useQps) {
    const perThread = useExactly ? Math.floor(o.exactly / threads) : 0;
    const leftOver = useExactly ? o.exactly % threads : 0;
    const what = useExactly ? `for exactly ${o.exactly} calls (${perThread} per thread + ${leftOver})` : `for ${duration}`;
    return {
      useQps, useExactly, hasDuration, threads, perThread, leftOver, perThreadQps: 0,
      startLine: `Starting at max qps with ${threads} thread(s) [gomax ${procs}] ${what}`,
    };
  }
  let total = useExactly ? o.exactly : Math.floor((o.qps * o.durationMs) / 1000);
  if (total < 2) {
    total = 2;
    threads = 1;
  }
  if (2 * threads > total) threads = Math.floor(total / 2);
  const perThread = Math.floor(total / threads);
  const leftOver = useExactly ? o.exactly - perThread * threads : 0;
  const head = `Starting at ${formatG(o.qps)} qps with ${threads} thread(s) [gomax ${procs}]`;
  const startLine = useExactly
    ? `${head} : exactly ${o.exactly}, ${perThread} calls each (total ${perThread * threads} + ${leftOver})`
    : `${head} for ${duration} : ${perThread} calls each (total ${perThread * threads})`;
  return { useQps, useExactly, hasDuration, threads, perThread, leftOver, perThreadQps: o.qps / threads, startLine };
}

/**
 * Seconds after the start at which call `i` of a paced worker should begin. With a duration, the
 * calls are spread so that the last one starts at the end (fortio's formula).
 */
export function targetElapsedSeconds(plan: LoadPlan, i: number, calls: number): number {
  if (plan.hasDuration && calls > 1) return (i + i / (calls - 1)) / plan.perThreadQps;
  return i / plan.perThreadQps;
}
