/**
 * A log-linear histogram with two significant decimal digits per bucket, the bucketing of
 * circllhist that Envoy's histograms use: [10..99] × 10^(e-1) for each decade e, plus a zero
 * bucket. Quantiles interpolate linearly inside a bucket exactly as circllhist's
 * `hist_approx_quantile` does, so a single sample of 1 prints `P50 = 1.05` as in Envoy.
 *
 * Decades are allocated on first use (typical latencies touch 2–4 decades, ~700 bytes each).
 */

const MIN_EXP = -6;
const MAX_EXP = 15;
const DECADES = MAX_EXP - MIN_EXP + 1;
const PER_DECADE = 90;

/** Exact powers of ten, 1e-6 … 1e16, parsed from literals (nearest doubles). */
const POW10: readonly number[] = Array.from({ length: DECADES + 2 }, (_, i) => Number(`1e${i + MIN_EXP}`));
/** Exact integer powers 10^0 … 10^22 for the digit arithmetic. */
const INT_POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

function pow10(e: number): number {
  return POW10[e - MIN_EXP];
}

export class LogLinearHistogram {
  #zero = 0;
  #total = 0;
  #decades: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(DECADES);

  get total(): number {
    return this.#total;
  }

  record(value: number): void {
    this.#total++;
    if (!(value > 0)) {
      this.#zero++;
      return;
    }
    let e = Math.floor(Math.log10(value));
    if (e < MIN_EXP) {
      e = MIN_EXP;
      value = pow10(MIN_EXP);
    } else if (e > MAX_EXP) {
      e = MAX_EXP;
      value = pow10(MAX_EXP + 1) * 0.999;
    }
    // Two significant digits, using exact integer powers so 0.3 lands in [0.30, 0.31).
    let m = e >= 1 ? Math.floor(value / INT_POW10[e - 1]) : Math.floor(value * INT_POW10[1 - e]);
    if (m >= 100) {
      if (e < MAX_EXP) {
        e++;
        m = 10;
      } else m = 99;
    } else if (m < 10) {
      if (e > MIN_EXP) {
        e--;
        m = 99;
      } else m = 10;
    }
    const idx = e - MIN_EXP;
    let decade = this.#decades[idx];
    if (decade === undefined) {
      decade = new Float64Array(PER_DECADE);
      this.#decades[idx] = decade;
    }
    decade[m - 10]++;
  }

  clear(): void {
    this.#zero = 0;
    this.#total = 0;
    for (const d of this.#decades) d?.fill(0);
  }

  /** Adds every sample of `other` into this one. */
  merge(other: LogLinearHistogram): void {
    this.#zero += other.#zero;
    this.#total += other.#total;
    for (let i = 0; i < DECADES; i++) {
      const src = other.#decades[i];
      if (src === undefined) continue;
      let dst = this.#decades[i];
      if (dst === undefined) {
        dst = new Float64Array(PER_DECADE);
        this.#decades[i] = dst;
      }
      for (let j = 0; j < PER_DECADE; j++) dst[j] += src[j];
    }
  }

  /**
   * Approximate quantiles for `qs` (each in [0, 1], ascending), circllhist's algorithm: find the
   * bucket where the cumulative count reaches q·n and interpolate linearly across its width.
   * An empty histogram gives NaN for every quantile.
   */
  quantiles(qs: readonly number[]): number[] {
    const n = this.#total;
    if (n === 0) return qs.map(() => Number.NaN);
    const out = new Array<number>(qs.length);
    let iq = 0;
    let lower = 0;
    let upper = 0;
    let left = 0;
    let width = 0;
    const visit = (count: number, bucketLeft: number, bucketWidth: number): boolean => {
      lower = upper;
      upper = lower + count;
      left = bucketLeft;
      width = bucketWidth;
      while (iq < qs.length && upper >= qs[iq] * n) {
        const target = qs[iq] * n;
        if (lower === target) out[iq] = left;
        else if (upper === target) out[iq] = left + width;
        else out[iq] = width === 0 ? left : left + ((target - lower) / (upper - lower)) * width;
        iq++;
      }
      return iq < qs.length;
    };
    if (this.#zero > 0 && !visit(this.#zero, 0, 0)) return out;
    for (let i = 0; i < DECADES; i++) {
      const d = this.#decades[i];
      if (d === undefined) continue;
      const p = POW10[i];
      for (let j = 0; j < PER_DECADE; j++) {
        if (d[j] === 0) continue;
        if (!visit(d[j], ((j + 10) * p) / 10, p / 10)) return out;
      }
    }
    // Rounding can leave q = 1 just above the last upper count; it is the last bucket's top.
    for (; iq < qs.length; iq++) out[iq] = left + width;
    return out;
  }
}
