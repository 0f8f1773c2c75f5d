import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OutlierDetection } from '../../model/index.ts';
import { createManualClockForTest } from '../../observe/clock.ts';
import { createClusterStats, StatStore } from '../../observe/stats/index.ts';
import { SeededRandom } from '../lb/index.ts';
import { LOCAL_ORIGIN_TIMEOUT, OutlierDetector } from './outlier-detector.ts';
import { HEALTH_FLAGS, UpstreamHost, type HostPoolConfig } from './upstream-host.ts';

function setup(n: number, config: OutlierDetection) {
  const clock = createManualClockForTest();
  const store = new StatStore();
  const stats = createClusterStats(store, 'c', { outlierDetection: true }).outlierDetection!;
  // The detector never opens connections: the hosts' pool config is never read.
  const hosts = Array.from({ length: n }, (_, i) => new UpstreamHost(`10.0.0.${i + 1}`, 80, 1, 0, 0, undefined, {} as HostPoolConfig));
  let refreshes = 0;
  const cluster = { hosts, refreshLoadBalancer: () => void refreshes++ };
  const d = new OutlierDetector(cluster, config, stats, clock, new SeededRandom(1));
  const ejected = () => hosts.filter((h) => (h.healthFlags & HEALTH_FLAGS.FAILED_OUTLIER_CHECK) !== 0);
  return { clock, store, stats, hosts, d, ejected, refreshes: () => refreshes };
}

test('consecutive_5xx ejects at the threshold; a success in between resets the run', () => {
  const { hosts, d, ejected, stats, refreshes } = setup(3, { consecutive5xx: 3 });
  const [h] = hosts;
  d.report(h, 500, false);
  d.report(h, 500, false);
  d.report(h, 200, false);
  d.report(h, 500, false);
  d.report(h, 503, false);
  assert.equal(ejected().length, 0);
  d.report(h, 500, false);
  assert.deepEqual(ejected(), [h]);
  assert.equal(h.healthy, false);
  assert.equal(refreshes(), 1);
  assert.equal(stats.ejectionsActive.value, 1);
  assert.equal(stats.ejectionsEnforcedConsecutive5xx.value, 1);
  assert.equal(stats.ejectionsDetectedConsecutive5xx.value, 1);
  assert.equal(stats.ejectionsEnforcedTotal.value, 1);
});

test('the interval brings a host back after base_ejection_time × ejections; the backoff shrinks while healthy', () => {
  const { clock, hosts, d, ejected, stats } = setup(2, { consecutive5xx: 1, baseEjectionTimeMs: 1000, maxEjectionPercent: 1 });
  const [h] = hosts;
  d.report(h, 500, false);
  clock.advance(999);
  d.onIntervalTimer();
  assert.equal(ejected().length, 1);
  clock.advance(1);
  d.onIntervalTimer();
  assert.equal(ejected().length, 0);
  assert.equal(stats.ejectionsActive.value, 0);
  // Ejected again right away: twice the base time now.
  d.report(h, 500, false);
  clock.advance(1999);
  d.onIntervalTimer();
  assert.equal(ejected().length, 1);
  clock.advance(1);
  d.onIntervalTimer();
  assert.equal(ejected().length, 0);
  assert.equal(h.outlier!.ejectTimeBackoff, 2);
  clock.advance(1000);
  d.onIntervalTimer();
  assert.equal(h.outlier!.ejectTimeBackoff, 1, 'healthy for base_ejection_time: one step back');
});

test('max_ejection_percent caps ejections (one host may always go) and counts the overflow', () => {
  const { hosts, d, ejected, stats } = setup(4, { consecutive5xx: 1, maxEjectionPercent: 0.1 });
  d.report(hosts[0], 500, false);
  d.report(hosts[1], 500, false);
  assert.deepEqual(ejected(), [hosts[0]]);
  assert.equal(stats.ejectionsOverflow.value, 1);
  assert.equal(stats.ejectionsDetectedConsecutive5xx.value, 2);
});

test('consecutive_gateway_failure is detected but (enforcing default 0%) not enforced', () => {
  const { hosts, d, ejected, stats } = setup(3, { consecutive5xx: 100, consecutiveGatewayFailure: 2 });
  d.report(hosts[0], 502, false);
  d.report(hosts[0], 504, false);
  assert.equal(stats.ejectionsDetectedConsecutiveGatewayFailure.value, 1);
  assert.equal(ejected().length, 0);
});

test('local-origin failures: without the split they count as 503/504; with it, on their own counter', () => {
  const merged = setup(3, { consecutive5xx: 2, maxEjectionPercent: 1 });
  merged.d.report(merged.hosts[0], 0, true);
  merged.d.report(merged.hosts[0], LOCAL_ORIGIN_TIMEOUT, true);
  assert.equal(merged.stats.ejectionsEnforcedConsecutive5xx.value, 1);

  const split = setup(3, { consecutive5xx: 2, splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailure: 3, maxEjectionPercent: 1 });
  const h = split.hosts[0];
  split.d.report(h, 0, true);
  split.d.report(h, 0, true);
  split.d.report(h, 200, false);
  split.d.report(h, 0, true);
  split.d.report(h, 0, true);
  assert.equal(split.ejected().length, 0, 'a response resets the local-origin run');
  split.d.report(h, 0, true);
  assert.deepEqual(split.ejected(), [h]);
  assert.equal(split.stats.ejectionsEnforcedConsecutiveLocalOriginFailure.value, 1);
  assert.equal(split.stats.ejectionsEnforcedConsecutive5xx.value, 0);
});

test('success rate: a host far below the mean of the last interval is ejected', () => {
  const { hosts, d, ejected, stats } = setup(5, { consecutive5xx: 1000, successRateMinimumHosts: 5, successRateRequestVolume: 10, maxEjectionPercent: 1 });
  for (let i = 0; i < 20; i++) {
    for (let k = 0; k < 4; k++) d.report(hosts[k], 200, false);
    d.report(hosts[4], i % 2 === 0 ? 500 : 200, false);
  }
  d.onIntervalTimer();
  assert.deepEqual(ejected(), [hosts[4]]);
  assert.equal(stats.ejectionsEnforcedSuccessRate.value, 1);
  const v = d.view();
  assert.equal(v.successRateAverage, 90);
  assert.ok(v.successRateEjectionThreshold > 50 && v.successRateEjectionThreshold < 90);
  assert.equal(hosts[4].outlier!.successRate, 50);
});

test('success rate: too few hosts with enough volume computes nothing', () => {
  const { hosts, d, ejected } = setup(5, { successRateMinimumHosts: 5, successRateRequestVolume: 10 });
  for (let i = 0; i < 20; i++) d.report(hosts[0], 500, false);
  d.onIntervalTimer();
  assert.equal(d.view().successRateAverage, -1);
  assert.equal(ejected().filter((h) => h !== hosts[0]).length, 0);
});

test('failure percentage: ejects over the threshold when enforced', () => {
  const { hosts, d, ejected, stats } = setup(3, { consecutive5xx: 1000, failurePercentageMinimumHosts: 3, failurePercentageRequestVolume: 10, failurePercentageThreshold: 50, enforcingFailurePercentage: 1, maxEjectionPercent: 1 });
  for (let i = 0; i < 10; i++) {
    d.report(hosts[0], 200, false);
    d.report(hosts[1], i < 4 ? 500 : 200, false);
    d.report(hosts[2], i < 6 ? 500 : 200, false);
  }
  d.onIntervalTimer();
  assert.deepEqual(ejected(), [hosts[2]]);
  assert.equal(stats.ejectionsDetectedFailurePercentage.value, 1);
  assert.equal(stats.ejectionsEnforcedFailurePercentage.value, 1);
});
