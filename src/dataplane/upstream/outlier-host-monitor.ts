/**
 * Outlier detection's per-host state (Envoy's DetectorHostMonitorImpl): the consecutive error
 * counters the data path feeds, the success-rate buckets (the interval timer swaps them, so each
 * check judges the last whole interval), and the ejection history that sets how long the next
 * ejection lasts. Plain counters: feeding it allocates nothing.
 */

/** Two buckets of request outcomes: the one being written and the last interval's. */
export class SuccessRateBuckets {
  total = 0;
  success = 0;
  #lastTotal = 0;
  #lastSuccess = 0;

  record(ok: boolean): void {
    this.total++;
    if (ok) this.success++;
  }

  /** Interval boundary: the current bucket becomes the one judged. */
  swap(): void {
    this.#lastTotal = this.total;
    this.#lastSuccess = this.success;
    this.total = 0;
    this.success = 0;
  }

  /** The last interval's success rate in percent, or -1 when it saw no request. */
  lastRate(): number {
    return this.#lastTotal === 0 ? -1 : (this.#lastSuccess * 100) / this.#lastTotal;
  }

  lastVolume(): number {
    return this.#lastTotal;
  }
}

export class OutlierHostMonitor {
  consecutive5xx = 0;
  consecutiveGatewayFailure = 0;
  consecutiveLocalOriginFailure = 0;
  readonly external = new SuccessRateBuckets();
  readonly localOrigin = new SuccessRateBuckets();
  /** Times ejected (ever), for views. */
  numEjections = 0;
  /** Multiplier of base_ejection_time for the current/next ejection (Envoy's eject_time_backoff). */
  ejectTimeBackoff = 0;
  /** Monotonic ms of the last ejection / un-ejection; -1 = never. */
  lastEjectionMs = -1;
  lastUnejectionMs = -1;
  /** Jitter drawn for the current ejection. */
  jitterMs = 0;
  /** Last computed success rates in percent (-1 = not computed), for /clusters. */
  successRate = -1;
  localOriginSuccessRate = -1;

  resetConsecutive(): void {
    this.consecutive5xx = 0;
    this.consecutiveGatewayFailure = 0;
    this.consecutiveLocalOriginFailure = 0;
  }
}
