/**
 * Paces one response body to a rate in KiB/s (Envoy's StreamRateLimiter, used by the fault
 * filter's response_rate_limit). Time is cut into 50 ms slices; a token is one slice worth of
 * bytes (kbps × 1024 / 20), the bucket holds at most one second of tokens and starts with one
 * when the first byte arrives (so a body starts at the pace instead of with a burst). Each timer
 * tick writes as many whole slices as the tokens allow and sleeps until the next token.
 *
 * Bounded: above `bufferLimit` buffered bytes `write` returns false and the router pauses the
 * upstream until the buffer drains (Envoy's watermarks on the encoder buffer). The downstream's
 * own backpressure pauses the ticks. The end of the response (and its trailers) waits until the
 * buffer is empty (`flush`).
 */
import type { ResponseThrottle } from '../../http/http-stream.ts';

const SLICES_PER_SECOND = 20;
const SLICE_MS = 1000 / SLICES_PER_SECOND;

/** Where the paced bytes go: the stream's codec, with its backpressure. */
export interface ThrottleSink {
  writeResponseBody(chunk: Buffer): boolean;
  onResponseBodyDrain(resume: () => void): void;
}

export class StreamRateLimiter implements ResponseThrottle {
  readonly #bytesPerSlice: number;
  readonly #bufferLimit: number;
  readonly #sink: ThrottleSink;
  readonly #now: () => number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Tokens (slices), fractional; undefined until the first byte. */
  #tokens: number | undefined = undefined;
  #lastFill = 0;
  #timer: NodeJS.Timeout | undefined = undefined;
  /** Waiting for the downstream to drain. */
  #blocked = false;
  #drainWaiters: (() => void)[] = [];
  #flushed: (() => void) | undefined = undefined;
  #destroyed = false;

  constructor(kbps: number, bufferLimit: number, sink: ThrottleSink, monotonicMs: () => number) {
    this.#bytesPerSlice = Math.max(1, Math.floor((kbps * 1024) / SLICES_PER_SECOND));
    this.#bufferLimit = bufferLimit;
    this.#sink = sink;
    this.#now = monotonicMs;
  }

  get buffered(): number {
    return this.#buffered;
  }

  write(chunk: Buffer): boolean {
    if (this.#destroyed || chunk.length === 0) return true;
    if (this.#tokens === undefined) {
      this.#tokens = 1;
      this.#lastFill = this.#now();
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#timer === undefined && !this.#blocked) this.#schedule(0);
    return this.#buffered < this.#bufferLimit;
  }

  onDrain(resume: () => void): void {
    if (this.#buffered < this.#bufferLimit) queueMicrotask(resume);
    else this.#drainWaiters.push(resume);
  }

  flush(done: () => void): void {
    if (this.#buffered === 0 || this.#destroyed) done();
    else this.#flushed = done;
  }

  /** The stream is over: stop the timer and drop what is left. */
  destroy(): void {
    this.#destroyed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#chunks = [];
    this.#buffered = 0;
    this.#drainWaiters = [];
    this.#flushed = undefined;
  }

  tick(): void {
    this.#timer = undefined;
    if (this.#destroyed) return;
    const now = this.#now();
    let tokens = Math.min(SLICES_PER_SECOND, (this.#tokens ?? 0) + (now - this.#lastFill) / SLICE_MS);
    this.#lastFill = now;
    const slices = Math.min(Math.floor(tokens), Math.ceil(this.#buffered / this.#bytesPerSlice));
    tokens -= slices;
    this.#tokens = tokens;
    let ok = true;
    if (slices > 0) ok = this.#sink.writeResponseBody(this.#take(Math.min(slices * this.#bytesPerSlice, this.#buffered)));
    if (this.#buffered < this.#bufferLimit && this.#drainWaiters.length > 0) {
      const waiters = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const w of waiters) w();
    }
    if (this.#buffered === 0) {
      const done = this.#flushed;
      this.#flushed = undefined;
      done?.();
      return;
    }
    if (!ok) {
      this.#blocked = true;
      this.#sink.onResponseBodyDrain(() => {
        this.#blocked = false;
        if (this.#timer === undefined && !this.#destroyed) this.#schedule(0);
      });
      return;
    }
    this.#schedule(Math.max(1, Math.ceil((1 - (tokens - Math.floor(tokens))) * SLICE_MS)));
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(onTick, ms, this);
  }

  /** The first `n` buffered bytes, as one buffer. */
  #take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const c = this.#chunks[0];
      const want = n - at;
      if (c.length <= want) {
        c.copy(out, at);
        at += c.length;
        this.#chunks.shift();
      } else {
        c.copy(out, at, 0, want);
        this.#chunks[0] = c.subarray(want);
        at += want;
      }
    }
    this.#buffered -= n;
    return out;
  }
}

function onTick(l: StreamRateLimiter): void {
  l.tick();
}
