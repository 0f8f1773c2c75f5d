import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLoadArgs } from './options.ts';
import { planLoad, targetElapsedSeconds } from './plan.ts';

function plan(argv: string[]) {
  const o = parseLoadArgs([...argv, 'http://x:1']);
  assert.ok(o.ok);
  return planLoad(o.value, 4);
}

test('max qps with -n splits calls per thread, the first taking the remainder (fortio\'s Starting line)', () => {
  const p = plan(['-c', '2', '-qps', '0', '-n', '20']);
  assert.equal(p.startLine, 'Starting at max qps with 2 thread(s) [gomax 4] for exactly 20 calls (10 per thread + 0)');
  const q = plan(['-c', '3', '-qps', '0', '-n', '20']);
  assert.deepEqual([q.perThread, q.leftOver], [6, 2]);
  assert.equal(plan(['-c', '4', '-qps', '-1', '-t', '2s']).startLine, 'Starting at max qps with 4 thread(s) [gomax 4] for 2s');
});

test('paced runs: qps x duration calls, at least 2 per thread', () => {
  const p = plan(['-c', '4', '-qps', '10', '-t', '2s']);
  assert.equal(p.startLine, 'Starting at 10 qps with 4 thread(s) [gomax 4] for 2s : 5 calls each (total 20)');
  assert.equal(p.perThreadQps, 2.5);
  const few = plan(['-c', '8', '-qps', '3', '-t', '1s']);
  assert.equal(few.threads, 1);
  assert.equal(few.perThread, 3);
  const exact = plan(['-c', '3', '-qps', '100', '-n', '10']);
  assert.equal(exact.startLine, 'Starting at 100 qps with 3 thread(s) [gomax 4] : exactly 10, 3 calls each (total 9 + 1)');
});

test('with a duration the last paced call starts at the end of it', () => {
  const p = plan(['-c', '1', '-qps', '4', '-t', '1s']);
  assert.equal(p.perThread, 4);
  assert.equal(targetElapsedSeconds(p, 0, 4), 0);
  assert.ok(Math.abs(targetElapsedSeconds(p, 3, 4) - 1) < 1e-9);
});
