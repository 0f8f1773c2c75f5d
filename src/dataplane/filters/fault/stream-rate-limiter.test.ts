import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { StreamRateLimiter, type ThrottleSink } from './stream-rate-limiter.ts';

/** A sink that records what was written and when (on the limiter's own clock). */
class Sink implements ThrottleSink {
  readonly writes: { at: number; bytes: number }[] = [];
  full = false;
  #drain: (() => void) | undefined;
  constructor(readonly now: () => number) {}
  writeResponseBody(chunk: Buffer): boolean {
    this.writes.push({ at: this.now(), bytes: chunk.length });
    return !this.full;
  }
  onResponseBodyDrain(resume: () => void): void {
    this.#drain = resume;
  }
  drain(): void {
    this.full = false;
    const d = this.#drain;
    this.#drain = undefined;
    d?.();
  }
  get total(): number {
    return this.writes.reduce((n, w) => n + w.bytes, 0);
  }
}

/** Mocked setTimeout and a clock that moves with it: the limiter's time is the test's. */
function fakeTime(t: TestContext): { now: () => number; advance: (ms: number) => void } {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let ms = 0;
  return {
    now: () => ms,
    advance(by: number) {
      for (let i = 0; i < by; i++) {
        ms++;
        t.mock.timers.tick(1);
      }
    },
  };
}

test('20 KiB/s: one 1 KiB slice at once, then a slice per 50 ms; bytes arrive whole and in order', (t) => {
  const clock = fakeTime(t);
  const sink = new Sink(clock.now);
  const l = new StreamRateLimiter(20, 1 << 20, sink, clock.now);
  let done = false;
  assert.equal(l.write(Buffer.alloc(3000)), true);
  assert.equal(l.write(Buffer.alloc(5 * 1024 - 3000)), true);
  l.flush(() => (done = true));
  clock.advance(260);
  assert.ok(done);
  assert.equal(sink.total, 5 * 1024);
  assert.deepEqual(
    sink.writes.map((w) => [w.at, w.bytes]),
    [
      [1, 1024],
      [50, 1024],
      [100, 1024],
      [150, 1024],
      [200, 1024],
    ],
  );
  assert.equal(l.buffered, 0);
});

test('idle time fills the bucket, up to one second of slices', (t) => {
  const clock = fakeTime(t);
  const sink = new Sink(clock.now);
  const l = new StreamRateLimiter(20, 1 << 20, sink, clock.now);
  l.write(Buffer.alloc(1024));
  clock.advance(1);
  clock.advance(5000);
  // Five idle seconds are worth at most 20 slices: 20 KiB at once, the rest paced.
  l.write(Buffer.alloc(30 * 1024));
  clock.advance(1);
  assert.deepEqual(sink.writes.map((w) => w.bytes), [1024, 20 * 1024]);
  clock.advance(600);
  assert.equal(sink.total, 31 * 1024);
});

test('above the buffer limit write says wait; onDrain fires once the buffer is below it again', async (t) => {
  const clock = fakeTime(t);
  const sink = new Sink(clock.now);
  const l = new StreamRateLimiter(40, 4096, sink, clock.now);
  assert.equal(l.write(Buffer.alloc(3000)), true);
  assert.equal(l.write(Buffer.alloc(3000)), false);
  let resumed = false;
  l.onDrain(() => (resumed = true));
  clock.advance(1);
  assert.ok(resumed, 'the first slice (2 KiB) took the buffer under the limit');
  assert.ok(l.buffered < 4096);
  l.destroy();
});

test('downstream backpressure pauses the ticks until the codec drains', (t) => {
  const clock = fakeTime(t);
  const sink = new Sink(clock.now);
  sink.full = true;
  const l = new StreamRateLimiter(1000, 1 << 20, sink, clock.now);
  l.write(Buffer.alloc(200_000));
  clock.advance(500);
  assert.equal(sink.writes.length, 1, 'no write while the downstream is full');
  sink.drain();
  let done = false;
  l.flush(() => (done = true));
  clock.advance(500);
  assert.ok(done);
  assert.equal(sink.total, 200_000);
});

test('destroy drops the rest and stops the timer; flush then returns at once', (t) => {
  const clock = fakeTime(t);
  const sink = new Sink(clock.now);
  const l = new StreamRateLimiter(1, 1 << 20, sink, clock.now);
  l.write(Buffer.alloc(10_000));
  clock.advance(60);
  const n = sink.writes.length;
  l.destroy();
  clock.advance(500);
  assert.equal(sink.writes.length, n);
  let done = false;
  l.flush(() => (done = true));
  assert.ok(done);
  assert.equal(l.buffered, 0);
});
