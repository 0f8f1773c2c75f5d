import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClusterStats } from './cluster-stats.ts';
import { createHttpConnManagerStats } from './http-conn-manager-stats.ts';
import { createListenerStats, listenerStatPrefix } from './listener-stats.ts';
import { createLocalRateLimitStats } from './filter-stats.ts';
import { createRouterStats } from './router-stats.ts';
import { StatStore } from './stat-store.ts';

test('cluster stats carry Envoy names', () => {
  const store = new StatStore();
  const s = createClusterStats(store, 'backend', { outlierDetection: true });
  s.upstreamRqTotal.inc();
  s.upstreamCxActive.inc();
  s.circuitBreakers.default.remainingRq?.set(1023);
  s.outlierDetection?.ejectionsEnforcedTotal.inc();
  for (const name of [
    'cluster.backend.upstream_rq_total',
    'cluster.backend.upstream_cx_total',
    'cluster.backend.upstream_cx_active',
    'cluster.backend.upstream_cx_connect_fail',
    'cluster.backend.upstream_cx_connect_timeout',
    'cluster.backend.upstream_rq_timeout',
    'cluster.backend.upstream_rq_retry',
    'cluster.backend.upstream_rq_pending_overflow',
    'cluster.backend.upstream_cx_overflow',
    'cluster.backend.membership_healthy',
    'cluster.backend.membership_total',
    'cluster.backend.circuit_breakers.default.remaining_rq',
    'cluster.backend.circuit_breakers.high.rq_open',
    'cluster.backend.outlier_detection.ejections_enforced_total',
    'cluster.backend.outlier_detection.ejections_active',
  ]) {
    assert.ok(store.get(name), name);
  }
  assert.equal(store.get('cluster.backend.health_check.attempt'), undefined, 'no health checks configured');
  assert.equal((store.get('cluster.backend.upstream_rq_total') as { value: number }).value, 1);
});

test('per-code counters and upstream_rq_time appear on first use', () => {
  const store = new StatStore();
  const s = createClusterStats(store, 'b');
  assert.equal(store.get('cluster.b.upstream_rq_200'), undefined);
  assert.equal(store.get('cluster.b.upstream_rq_time'), undefined);
  s.upstreamRqCodes.charge(200);
  s.upstreamRqCodes.charge(200);
  s.upstreamRqCodes.charge(503);
  s.recordUpstreamRqTime(12);
  const v = (n: string): number => (store.get(n) as { value: number }).value;
  assert.equal(v('cluster.b.upstream_rq_200'), 2);
  assert.equal(v('cluster.b.upstream_rq_2xx'), 2);
  assert.equal(v('cluster.b.upstream_rq_503'), 1);
  assert.equal(v('cluster.b.upstream_rq_5xx'), 1);
  assert.equal(v('cluster.b.upstream_rq_completed'), 3);
  assert.equal(s.upstreamRqCodes.codeCounter(200), store.get('cluster.b.upstream_rq_200'));
  assert.equal(store.get('cluster.b.upstream_rq_time')?.kind, 'histogram');
});

test('HCM, router, listener and rate-limit stats', () => {
  const store = new StatStore();
  const hcm = createHttpConnManagerStats(store, 'ingress_http');
  const router = createRouterStats(store, 'ingress_http');
  const listener = createListenerStats(store, listenerStatPrefix('0.0.0.0', 10000));
  const rl = createLocalRateLimitStats(store, 'http_local_rate_limiter');
  hcm.downstreamRqTotal.inc();
  hcm.chargeResponse(404);
  router.noRoute.inc();
  listener.downstreamCxTotal.inc();
  rl.rateLimited.inc();
  const v = (n: string): number => (store.get(n) as { value: number }).value;
  assert.equal(v('http.ingress_http.downstream_rq_total'), 1);
  assert.equal(v('http.ingress_http.downstream_rq_4xx'), 1);
  assert.equal(v('http.ingress_http.downstream_rq_2xx'), 0, 'declared classes exist at 0');
  assert.equal(v('http.ingress_http.downstream_rq_completed'), 1);
  assert.equal(v('http.ingress_http.no_route'), 1);
  assert.ok(store.get('http.ingress_http.no_cluster'));
  assert.ok(store.get('http.ingress_http.rq_direct_response'));
  assert.ok(store.get('http.ingress_http.downstream_rq_timeout'));
  assert.equal(store.get('http.ingress_http.downstream_rq_time')?.kind, 'histogram');
  assert.equal(v('listener.0.0.0.0_10000.downstream_cx_total'), 1);
  assert.equal(v('http_local_rate_limiter.http_local_rate_limit.rate_limited'), 1);
  assert.equal(listenerStatPrefix('::1', 80), '[__1]_80');
});

test('a removed cluster takes its stats away; a swap keeps the values', () => {
  const store = new StatStore();
  const first = createClusterStats(store, 'b');
  first.upstreamRqTotal.add(7);
  first.upstreamRqCodes.charge(200);
  first.recordUpstreamRqTime(3);
  // The new runtime acquires before the old one releases: same objects, values carry on.
  const second = createClusterStats(store, 'b');
  assert.equal(second.upstreamRqTotal, first.upstreamRqTotal);
  first.release();
  assert.equal(second.upstreamRqTotal.value, 7);
  assert.ok(store.get('cluster.b.upstream_rq_total'));
  assert.ok(store.get('cluster.b.upstream_rq_200'), 'lazily created counters are taken over by the new holder');
  second.upstreamRqCodes.charge(200);
  assert.equal((store.get('cluster.b.upstream_rq_200') as { value: number }).value, 2);
  // Removing the cluster: the last holder releases and the stats leave the store.
  second.recordUpstreamRqTime(4);
  const rqTime = store.get('cluster.b.upstream_rq_time');
  assert.equal(rqTime?.kind === 'histogram' ? rqTime.sampleCount : -1, 2);
  second.release();
  assert.equal(store.get('cluster.b.upstream_rq_total'), undefined);
  assert.equal(store.get('cluster.b.upstream_rq_time'), undefined);
  assert.equal(store.get('cluster.b.circuit_breakers.default.rq_open'), undefined);
  assert.equal(store.counters().filter((c) => c.name.startsWith('cluster.b.')).length, 0);
  // A released holder still works, detached.
  second.upstreamRqTotal.inc();
  second.upstreamRqCodes.charge(500);
  assert.equal(store.get('cluster.b.upstream_rq_500'), undefined);
});

test('a name reused with another kind is served detached, not thrown', () => {
  const store = new StatStore();
  const c = store.scope('x').counter('y');
  const g = store.scope('x').gauge('y');
  g.set(3);
  assert.equal(store.get('x.y'), c);
  assert.equal(store.kindConflicts, 1);
});

test('scope prefixes are sanitized like Envoy stat names', () => {
  const store = new StatStore();
  store.scope('cluster.127.0.0.1:8080').counter('upstream_rq_total');
  assert.ok(store.get('cluster.127.0.0.1_8080.upstream_rq_total'));
});
