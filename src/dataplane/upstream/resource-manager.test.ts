import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClusterStats, StatStore } from '../../observe/stats/index.ts';
import { ADMITTED, buildResourceManagers, OVERFLOW, PENDING, type PendingRequest } from './resource-manager.ts';

function setup(maxRequests: number, maxPending: number) {
  const store = new StatStore();
  const stats = createClusterStats(store, 'c', { trackRemaining: true });
  const rm = buildResourceManagers({ thresholds: [{ maxRequests, maxPendingRequests: maxPending }] }, stats);
  return { store, stats, res: rm.default };
}

function request(log: string[], name: string): PendingRequest {
  return { admitted: () => log.push(name) };
}

test('admits up to max_requests, queues up to max_pending_requests, overflows after', () => {
  const { stats, res } = setup(2, 1);
  const log: string[] = [];
  assert.equal(res.admit(request(log, 'a')), ADMITTED);
  assert.equal(res.admit(request(log, 'b')), ADMITTED);
  assert.equal(stats.circuitBreakers.default.rqOpen.value, 1);
  assert.equal(res.admit(request(log, 'c')), PENDING);
  assert.equal(stats.upstreamRqPendingActive.value, 1);
  assert.equal(stats.circuitBreakers.default.rqPendingOpen.value, 1);
  assert.equal(res.admit(request(log, 'd')), OVERFLOW);
  assert.equal(stats.upstreamRqPendingOverflow.value, 1);
  res.release();
  assert.deepEqual(log, ['c']);
  assert.equal(stats.upstreamRqPendingActive.value, 0);
  assert.equal(stats.circuitBreakers.default.remainingPending?.value, 1);
  assert.equal(stats.circuitBreakers.default.remainingRq?.value, 0);
  res.release();
  res.release();
  assert.equal(stats.circuitBreakers.default.rqOpen.value, 0);
  assert.equal(stats.circuitBreakers.default.remainingRq?.value, 2);
});

test('a cancelled pending request leaves the queue and is never admitted', () => {
  const { stats, res } = setup(1, 2);
  const log: string[] = [];
  res.admit(request(log, 'a'));
  const b = request(log, 'b');
  res.admit(b);
  res.admit(request(log, 'c'));
  res.cancelPending(b);
  assert.equal(stats.upstreamRqPendingActive.value, 1);
  res.release();
  assert.deepEqual(log, ['c']);
});

test('defaults are Envoy’s: 1024 requests, 1024 pending, 3 retries', () => {
  const stats = createClusterStats(new StatStore(), 'd');
  const rm = buildResourceManagers(undefined, stats);
  assert.equal(rm.default.requests.max, 1024);
  assert.equal(rm.default.pendingRequests.max, 1024);
  assert.equal(rm.default.retries.max, 3);
  assert.equal(rm.high.connections.max, 1024);
  assert.equal(rm.default.connections.max, 1024);
});
