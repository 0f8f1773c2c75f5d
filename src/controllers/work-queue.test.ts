import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from './test-support.ts';
import { WorkQueue } from './work-queue.ts';

test('a key waits in the queue at most once', async () => {
  const q = new WorkQueue(new FakeClock());
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.length, 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  assert.equal(q.length, 0);
});

test('a key added while processing is handed out again only after done', async () => {
  const q = new WorkQueue(new FakeClock());
  q.add('a');
  const key = await q.get();
  q.add('a');
  q.add('a');
  assert.equal(q.length, 0, 'not queued while processing');
  q.done(key as string);
  assert.equal(q.length, 1);
  assert.equal(await q.get(), 'a');
  q.done('a');
  assert.equal(q.length, 0);
});

test('addAfter fires on the clock; the earliest of several delays wins', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue(clock);
  q.addAfter('a', 100);
  q.addAfter('a', 50);
  q.addAfter('a', 200);
  assert.equal(q.delayed, 1);
  clock.advance(49);
  assert.equal(q.length, 0);
  clock.advance(1);
  assert.equal(q.length, 1);
  assert.equal(q.delayed, 0);
  clock.advance(1000);
  assert.equal(q.length, 1, 'the later delays were dropped');
});

test('addRateLimited doubles per failure up to the cap; forget resets', () => {
  const clock = new FakeClock();
  const q = new WorkQueue(clock, { baseMs: 5, maxMs: 30 });
  assert.deepEqual([q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a')], [5, 10, 20, 30]);
  assert.equal(q.failures('a'), 4);
  q.forget('a');
  assert.equal(q.addRateLimited('a'), 5);
});

test('shutDown wakes waiting getters, cancels timers and refuses new keys', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue(clock);
  const waiting = q.get();
  q.addAfter('later', 10);
  q.shutDown();
  assert.equal(await waiting, undefined);
  assert.equal(clock.pendingTimers, 0);
  q.add('x');
  assert.equal(await q.get(), undefined);
});

test('a getter waiting on an empty queue gets the next key', async () => {
  const q = new WorkQueue(new FakeClock());
  const waiting = q.get();
  q.add('k');
  assert.equal(await waiting, 'k');
});
