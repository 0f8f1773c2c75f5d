import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClockForTest } from '../../../observe/clock.ts';
import { TokenBucket } from './token-bucket.ts';

test('starts full, empties, refills tokens_per_fill per whole fill_interval, capped at max_tokens', () => {
  const clock = createManualClockForTest();
  const b = new TokenBucket(3, 2, 100, clock);
  assert.deepEqual([b.consume(), b.consume(), b.consume(), b.consume()], [true, true, true, false]);
  clock.advance(99);
  assert.equal(b.consume(), false, 'no partial fills');
  clock.advance(1);
  assert.equal(b.remaining(), 2);
  clock.advance(250);
  assert.equal(b.remaining(), 3, 'never more than max_tokens');
  assert.equal(b.msUntilNextFill(), 50, 'fills stay on the interval grid');
});

test('max_tokens 0 always refuses', () => {
  const clock = createManualClockForTest();
  const b = new TokenBucket(0, 1, 100, clock);
  clock.advance(1000);
  assert.equal(b.consume(), false);
});
