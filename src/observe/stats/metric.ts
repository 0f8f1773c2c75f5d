/**
 * The three stat kinds, with Envoy's meanings. A counter or gauge is one number field: the per-
 * request path does `stats.upstreamRqTotal.inc()` and nothing else (no name formatting, no map).
 */
import { LogLinearHistogram } from './log-linear-histogram.ts';

/** Envoy's default histogram bucket bounds (HistogramSettingsImpl::defaultBuckets). */
export const DEFAULT_HISTOGRAM_BUCKETS: readonly number[] = Object.freeze([
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
]);

/** Envoy's supported quantiles, as fractions. */
export const SUPPORTED_QUANTILES: readonly number[] = Object.freeze([0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1]);

/** Histogram.Unit in Envoy's stats API. */
export type HistogramUnit = 'unspecified' | 'bytes' | 'microseconds' | 'milliseconds' | 'percent';

/** A count that only goes up (reset only by `/reset_counters`). */
export class Counter {
  readonly kind = 'counter';
  value = 0;
  constructor(readonly name: string) {}

  inc(): void {
    this.value++;
  }

  add(n: number): void {
    this.value += n;
  }

  get used(): boolean {
    return this.value !== 0;
  }

  reset(): void {
    this.value = 0;
  }
}

/** A value that goes up and down (active connections, remaining requests, healthy hosts). */
export class Gauge {
  readonly kind = 'gauge';
  value = 0;
  /** Set on first write, as Envoy's "used" flag: a gauge set back to 0 is still shown by `usedonly`. */
  used = false;
  constructor(readonly name: string) {}

  inc(): void {
    this.value++;
    this.used = true;
  }

  dec(): void {
    this.value--;
    this.used = true;
  }

  add(n: number): void {
    this.value += n;
    this.used = true;
  }

  sub(n: number): void {
    this.value -= n;
    this.used = true;
  }

  set(v: number): void {
    this.value = v;
    this.used = true;
  }
}

/** Computed statistics of one histogram, as the admin renderers need them. */
export interface HistogramStatistics {
  readonly sampleCount: number;
  readonly sampleSum: number;
  /** The bucket upper bounds. */
  readonly supportedBuckets: readonly number[];
  /** Cumulative count of samples ≤ each bound (Prometheus `_bucket{le=…}`). */
  readonly cumulativeBuckets: readonly number[];
  /** Same, for the last closed interval (all zero before the first interval closes). */
  readonly intervalBuckets: readonly number[];
  /** Quantiles (SUPPORTED_QUANTILES) over all samples; NaN when there are none. */
  readonly cumulativeQuantiles: readonly number[];
  /** Quantiles over the last closed interval; NaN before one closes or when it was empty. */
  readonly intervalQuantiles: readonly number[];
}

/**
 * A distribution of values (`upstream_rq_time` in ms). Recording costs a bucket search over
 * the ~19 Prometheus bounds and one log-linear bucket increment; quantiles are computed only
 * when an admin endpoint asks.
 */
export class Histogram {
  readonly kind = 'histogram';
  #count = 0;
  #sum = 0;
  /** Disjoint counts per bound, plus one overflow slot. */
  readonly #disjoint: Float64Array;
  readonly #intervalDisjoint: Float64Array;
  #lastIntervalDisjoint: Float64Array;
  /** Every sample of the intervals closed so far; the open interval is merged in on read. */
  readonly #closed = new LogLinearHistogram();
  #interval = new LogLinearHistogram();
  #lastInterval: LogLinearHistogram | undefined;

  constructor(
    readonly name: string,
    readonly unit: HistogramUnit = 'unspecified',
    readonly buckets: readonly number[] = DEFAULT_HISTOGRAM_BUCKETS,
  ) {
    this.#disjoint = new Float64Array(buckets.length + 1);
    this.#intervalDisjoint = new Float64Array(buckets.length + 1);
    this.#lastIntervalDisjoint = new Float64Array(buckets.length + 1);
  }

  record(value: number): void {
    this.#count++;
    this.#sum += value;
    const b = this.buckets;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    this.#disjoint[i]++;
    this.#intervalDisjoint[i]++;
    this.#interval.record(value);
  }

  get sampleCount(): number {
    return this.#count;
  }

  get sampleSum(): number {
    return this.#sum;
  }

  get used(): boolean {
    return this.#count !== 0;
  }

  /**
   * Closes the current interval (Envoy's stats flush, every 5 s by default): the samples since
   * the last call become the "interval" statistics.
   */
  flushInterval(): void {
    const closed = this.#interval;
    this.#closed.merge(closed);
    this.#interval = this.#lastInterval ?? new LogLinearHistogram();
    this.#interval.clear();
    this.#lastInterval = closed;
    this.#lastIntervalDisjoint.set(this.#intervalDisjoint);
    this.#intervalDisjoint.fill(0);
  }

  statistics(): HistogramStatistics {
    const cumulative = new LogLinearHistogram();
    cumulative.merge(this.#closed);
    cumulative.merge(this.#interval);
    return {
      sampleCount: this.#count,
      sampleSum: this.#sum,
      supportedBuckets: this.buckets,
      cumulativeBuckets: runningSum(this.#disjoint, this.buckets.length),
      intervalBuckets: runningSum(this.#lastIntervalDisjoint, this.buckets.length),
      cumulativeQuantiles: cumulative.quantiles(SUPPORTED_QUANTILES),
      intervalQuantiles:
        this.#lastInterval === undefined
          ? SUPPORTED_QUANTILES.map(() => Number.NaN)
          : this.#lastInterval.quantiles(SUPPORTED_QUANTILES),
    };
  }
}

function runningSum(disjoint: Float64Array, n: number): number[] {
  const out = new Array<number>(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += disjoint[i];
    out[i] = acc;
  }
  return out;
}

export type Metric = Counter | Gauge | Histogram;
export type MetricKind = Metric['kind'];
