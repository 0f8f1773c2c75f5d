/**
 * The clock observability code reads time from. Injected everywhere a timestamp or a duration is
 * taken, so nothing in a hot path calls `Date.now()` itself and tests can drive time by hand.
 */
export interface Clock {
  /** Wall-clock time in milliseconds since the Unix epoch; may carry a sub-millisecond fraction. */
  nowMs(): number;
  /** Monotonic milliseconds from an arbitrary origin, for durations. Never goes backwards. */
  monotonicMs(): number;
}

/** The process clock: `performance.timeOrigin + performance.now()` gives microsecond wall time. */
export const SYSTEM_CLOCK: Clock = Object.freeze({
  nowMs: (): number => performance.timeOrigin + performance.now(),
  monotonicMs: (): number => performance.now(),
});

/** A clock that moves only when told to. */
export interface ManualClock extends Clock {
  /** Moves both the wall and the monotonic time forward by `ms`. */
  advance(ms: number): void;
  /** Sets the wall time (the monotonic time is left alone). */
  setNowMs(ms: number): void;
}

export function createManualClockForTest(startWallMs = 0, startMonotonicMs = 0): ManualClock {
  let wall = startWallMs;
  let mono = startMonotonicMs;
  return {
    nowMs: () => wall,
    monotonicMs: () => mono,
    advance(ms: number): void {
      wall += ms;
      mono += ms;
    },
    setNowMs(ms: number): void {
      wall = ms;
    },
  };
}
