/**
 * A work queue with client-go's workqueue semantics: a key waits in the queue at most once however
 * often it is added; a key being processed is never handed out again until `done`, and if it was
 * added meanwhile it goes back in line then. Delayed adds (`addAfter`) and per-key exponential
 * backoff (`addRateLimited`, reset by `forget`) run on the injected clock.
 *
 * Bounded by construction: it holds each distinct key at most once, and keys name objects.
 */
import type { Clock, TimerHandle } from './clock.ts';

export interface BackoffOptions {
  /** First retry delay; doubles per consecutive failure of a key (client-go: 5 ms). */
  readonly baseMs: number;
  /** Longest retry delay. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({ baseMs: 5, maxMs: 30_000 });

export class WorkQueue {
  readonly #clock: Clock;
  readonly #backoff: BackoffOptions;
  #queue: string[] = [];
  #head = 0;
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #timers = new Map<string, { at: number; handle: TimerHandle }>();
  readonly #failures = new Map<string, number>();
  #waiters: (() => void)[] = [];
  #shutDown = false;

  constructor(clock: Clock, backoff: BackoffOptions = DEFAULT_BACKOFF) {
    this.#clock = clock;
    this.#backoff = backoff;
  }

  /** Keys waiting (not counting those being processed or delayed). */
  get length(): number {
    return this.#queue.length - this.#head;
  }

  /** Keys being processed now. */
  get processing(): number {
    return this.#processing.size;
  }

  /** Keys scheduled for later (retries, deadlines). */
  get delayed(): number {
    return this.#timers.size;
  }

  get isShutDown(): boolean {
    return this.#shutDown;
  }

  add(key: string): void {
    if (this.#shutDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#queue.push(key);
    this.#wake();
  }

  /** Adds the key after `ms`; of several pending delays for one key, the earliest wins. */
  addAfter(key: string, ms: number): void {
    if (this.#shutDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.#clock.now().getTime() + ms;
    const pending = this.#timers.get(key);
    if (pending !== undefined && pending.at <= at) return;
    pending?.handle.cancel();
    const handle = this.#clock.setTimer(ms, () => {
      this.#timers.delete(key);
      this.add(key);
    });
    this.#timers.set(key, { at, handle });
  }

  /** Adds the key after its backoff delay, which doubles with each call until `forget`. */
  addRateLimited(key: string): number {
    const n = this.#failures.get(key) ?? 0;
    this.#failures.set(key, n + 1);
    const delay = Math.min(this.#backoff.maxMs, this.#backoff.baseMs * 2 ** Math.min(n, 30));
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears the key's failure count (it reconciled). */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  /** How many times in a row the key failed. */
  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** The next key, marked as processing; undefined once the queue is shut down. */
  async get(): Promise<string | undefined> {
    while (this.length === 0) {
      if (this.#shutDown) return undefined;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.#shutDown) return undefined;
    const key = this.#queue[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#dirty.delete(key);
    this.#processing.add(key);
    return key;
  }

  /** Marks the key processed; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key) && !this.#shutDown) {
      this.#queue.push(key);
      this.#wake();
    }
  }

  /** Stops handing out keys, cancels delayed adds and wakes every waiting `get`. */
  shutDown(): void {
    this.#shutDown = true;
    for (const t of this.#timers.values()) t.handle.cancel();
    this.#timers.clear();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #wake(): void {
    const w = this.#waiters.shift();
    if (w) w();
  }
}
