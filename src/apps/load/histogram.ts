/**
 * fortio's counters and histograms (its `stats` package): the same buckets, the same interpolated
 * percentiles and the same printed lines, so a `weft load` report reads like a `fortio load` one:
 *
 *   Aggregated Function Time : count 20 avg 0.0027248375 +/- 0.002902 min 0.001064346 max 0.010990329 sum 0.05449675
 *   # range, mid point, percentile, count
 *   >= 0.00106435 <= 0.002 , 0.00153217 , 70.00, 14
 *   # target 50% 0.00171211
 */
import { formatF, formatG } from './go-format.ts';

/** Bucket upper bounds (in units of the divider): ]prev, value]; one bucket below, one above. */
const BUCKET_VALUES = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250, 300, 350, 400,
  450, 500, 600, 700, 800, 900, 1000, 2000, 3000, 4000, 5000, 7500, 10000, 20000, 30000, 40000, 50000, 75000, 100000,
] as const;
const NUM_VALUES = BUCKET_VALUES.length;
const NUM_BUCKETS = NUM_VALUES + 1;
const LAST_VALUE = BUCKET_VALUES[NUM_VALUES - 1];

/** Bucket index for each integer scaled value 0..100000 (fortio's val2Bucket). */
const VAL_TO_BUCKET: Int32Array = (() => {
  const table = new Int32Array(LAST_VALUE + 1);
  let idx = 0;
  for (let i = 0; i <= LAST_VALUE; i++) {
    if (i >= BUCKET_VALUES[idx]) idx++;
    table[i] = idx;
  }
  return table;
})();

export class Counter {
  count = 0;
  min = 0;
  max = 0;
  sum = 0;
  #sumOfSquares = 0;

  record(v: number): void {
    if (this.count === 0) {
      this.min = v;
      this.max = v;
    } else if (v < this.min) this.min = v;
    else if (v > this.max) this.max = v;
    this.count++;
    this.sum += v;
    this.#sumOfSquares += v * v;
  }

  avg(): number {
    return this.sum / this.count;
  }

  stdDev(): number {
    const n = this.count;
    return Math.sqrt((this.#sumOfSquares - (this.sum * this.sum) / n) / n);
  }

  /** `<msg> : count N avg A +/- S min X max Y sum Z` */
  line(msg: string): string {
    return `${msg} : count ${this.count} avg ${formatG(this.avg(), 8)} +/- ${formatG(this.stdDev(), 4)} min ${formatG(this.min)} max ${formatG(this.max)} sum ${formatG(this.sum, 9)}`;
  }
}

export interface Bucket {
  readonly start: number;
  readonly end: number;
  /** Cumulative percentage up to and including this bucket. */
  readonly percent: number;
  readonly count: number;
}

export class Histogram {
  readonly counter = new Counter();
  readonly #data = new Int32Array(NUM_BUCKETS);

  /** Values are bucketed as (v - offset) / divider (fortio: offset 0, divider = resolution). */
  constructor(
    readonly offset: number,
    readonly divider: number,
  ) {}

  record(v: number): void {
    this.counter.record(v);
    const scaled = (v - this.offset) / this.divider - 0.0001;
    const idx = scaled <= BUCKET_VALUES[0] ? 0 : scaled > LAST_VALUE ? NUM_BUCKETS - 1 : VAL_TO_BUCKET[Math.trunc(scaled)];
    this.#data[idx]++;
  }

  /** How many values fell in the bucket at or below the offset (fortio's `Hdata[0]`). */
  lowestBucketCount(): number {
    return this.#data[0];
  }

  buckets(): Bucket[] {
    const out: Bucket[] = [];
    let lastIdx = -1;
    for (let i = NUM_BUCKETS - 1; i >= 0; i--) {
      if (this.#data[i] > 0) {
        lastIdx = i;
        break;
      }
    }
    let prev: number = BUCKET_VALUES[0];
    let total = 0;
    for (let i = 0; i <= lastIdx; i++) {
      const n = this.#data[i];
      if (n === 0) {
        if (i < NUM_VALUES) prev = BUCKET_VALUES[i];
        continue;
      }
      total += n;
      let start = out.length === 0 ? this.counter.min : this.divider * prev + this.offset;
      let end: number;
      if (i < NUM_VALUES) {
        end = this.divider * BUCKET_VALUES[i] + this.offset;
        prev = BUCKET_VALUES[i];
      } else {
        start = this.divider * prev + this.offset;
        end = this.counter.max;
      }
      out.push({ start, end, percent: (100 * total) / this.counter.count, count: n });
    }
    if (out.length > 0) out[out.length - 1] = { ...out[out.length - 1], end: this.counter.max };
    return out;
  }

  /** fortio's interpolated percentile: linear inside the bucket the percentile falls in. */
  percentile(p: number, buckets: readonly Bucket[] = this.buckets()): number {
    if (buckets.length === 0) return 0;
    if (p >= 100) return this.counter.max;
    let prev = 100 / this.counter.count;
    if (p <= prev) return this.counter.min;
    for (const b of buckets) {
      if (p <= b.percent) return b.start + ((p - prev) / (b.percent - prev)) * (b.end - b.start);
      prev = b.percent;
    }
    return this.counter.max;
  }

  /** The counter line, the bucket table and one `# target` line per percentile; `<msg> : no data` when empty. */
  lines(msg: string, percentiles: readonly number[]): string[] {
    if (this.counter.count === 0) return [`${msg} : no data`];
    const buckets = this.buckets();
    const out = [this.counter.line(msg), '# range, mid point, percentile, count'];
    buckets.forEach((b, i) => {
      const sep = i === 0 ? '>=' : '>';
      out.push(`${sep} ${formatG(b.start, 6)} <= ${formatG(b.end, 6)} , ${formatG((b.start + b.end) / 2, 6)} , ${formatF(b.percent, 2)}, ${b.count}`);
    });
    for (const p of percentiles) out.push(`# target ${formatG(p)}% ${formatG(this.percentile(p, buckets), 6)}`);
    return out;
  }
}
