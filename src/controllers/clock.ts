/**
 * Time for the controllers: the wall clock for status timestamps and timers for retries and
 * deadlines. Injected so that tests run on a fake clock (test-support.ts) and never sleep.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): Date;
  /** Calls `fn` once after `ms` milliseconds unless cancelled first. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/** The real clock. Its timers do not keep the process alive (the servers do). */
export const SYSTEM_CLOCK: Clock = Object.freeze({
  now: () => new Date(),
  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
});

/** RFC 3339 with second precision, as Kubernetes writes timestamps in status. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}
