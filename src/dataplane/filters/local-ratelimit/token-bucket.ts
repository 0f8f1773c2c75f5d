/**
 * Envoy's token bucket (envoy.type.v3.TokenBucket) as local rate limiting uses it: the bucket
 * starts full with `maxTokens`; every `fillIntervalMs` it gains `tokensPerFill`, never holding more
 * than `maxTokens`. Envoy fills on a timer; here the fills that are due are computed from the
 * injected clock when a token is asked for, which gives the same discrete steps without a timer
 * (nothing runs while no request arrives, and nothing is allocated per request).
 */
import type { Clock } from '../../../observe/clock.ts';

export class TokenBucket {
  readonly maxTokens: number;
  readonly tokensPerFill: number;
  readonly fillIntervalMs: number;
  readonly #clock: Clock;
  #tokens: number;
  /** Monotonic time of the last fill that was applied. */
  #lastFillMs: number;

  constructor(maxTokens: number, tokensPerFill: number, fillIntervalMs: number, clock: Clock) {
    this.maxTokens = maxTokens;
    this.tokensPerFill = tokensPerFill;
    this.fillIntervalMs = fillIntervalMs;
    this.#clock = clock;
    this.#tokens = maxTokens;
    this.#lastFillMs = clock.monotonicMs();
  }

  /** Takes one token; false when the bucket is empty. */
  consume(): boolean {
    this.#refill();
    if (this.#tokens <= 0) return false;
    this.#tokens--;
    return true;
  }

  /** Tokens left now (for x-ratelimit-remaining and tests). */
  remaining(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Milliseconds until the next fill. */
  msUntilNextFill(): number {
    this.#refill();
    return this.#lastFillMs + this.fillIntervalMs - this.#clock.monotonicMs();
  }

  #refill(): void {
    const now = this.#clock.monotonicMs();
    const elapsed = now - this.#lastFillMs;
    if (elapsed < this.fillIntervalMs) return;
    const fills = Math.floor(elapsed / this.fillIntervalMs);
    this.#lastFillMs += fills * this.fillIntervalMs;
    if (this.#tokens >= this.maxTokens) return;
    this.#tokens = Math.min(this.maxTokens, this.#tokens + fills * this.tokensPerFill);
  }
}
