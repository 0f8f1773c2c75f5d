/**
 * Outlier detection for one cluster, with Envoy's semantics (source/common/upstream/
 * outlier_detection_impl.cc). The data path only reports: `report(host, status, localOrigin)` per
 * upstream request, which bumps counters. Decisions are the detector's: a consecutive-error run
 * reaching its threshold (consecutive_5xx, consecutive_gateway_failure, and with
 * split_external_local_origin_errors consecutive_local_origin_failure) ejects at once, as Envoy's
 * main thread does when the worker posts it; the interval timer brings hosts back once
 * base_ejection_time × (times ejected in a row) has passed (capped by max_ejection_time, plus
 * jitter), and runs the success-rate and failure-percentage checks over the last interval's
 * buckets. max_ejection_percent bounds how many hosts are out at once (at least one may always be
 * ejected); every ejection is counted `detected`, and `enforced` when the enforcing_* share says so.
 * Time and randomness come from the injected clock and random.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { OutlierDetection } from '../../model/index.ts';
import type { OutlierInfoView } from '../../observe/admin/index.ts';
import type { Clock } from '../../observe/clock.ts';
import type { ALL_OUTLIER_DETECTION_STATS, StatSet } from '../../observe/stats/index.ts';
import type { Random } from '../lb/index.ts';
import { OutlierHostMonitor, type SuccessRateBuckets } from './outlier-host-monitor.ts';
import { resolveOutlierDetection, type ResolvedOutlierDetection } from './outlier-config.ts';
import { HEALTH_FLAGS, type UpstreamHost } from './upstream-host.ts';

export type EjectionType =
  | 'consecutive5xx'
  | 'consecutiveGatewayFailure'
  | 'consecutiveLocalOriginFailure'
  | 'successRate'
  | 'successRateLocalOrigin'
  | 'failurePercentage'
  | 'failurePercentageLocalOrigin';

/** What the detector needs of its cluster. */
export interface OutlierCluster {
  readonly hosts: readonly UpstreamHost[];
  refreshLoadBalancer(): void;
}

type OutlierStats = StatSet<typeof ALL_OUTLIER_DETECTION_STATS>;

/** A local-origin failure that was a timeout (Envoy maps it to 504 without the split; others to 503). */
export const LOCAL_ORIGIN_TIMEOUT = 504;

export class OutlierDetector {
  readonly config: ResolvedOutlierDetection;
  readonly #cluster: OutlierCluster;
  readonly #stats: OutlierStats;
  readonly #clock: Clock;
  readonly #random: Random;
  #timer: NodeJS.Timeout | undefined = undefined;
  #active = 0;
  #external: number[] = [-1, -1];
  #local: number[] = [-1, -1];

  constructor(cluster: OutlierCluster, config: OutlierDetection, stats: OutlierStats, clock: Clock, random: Random) {
    this.#cluster = cluster;
    this.config = resolveOutlierDetection(config);
    this.#stats = stats;
    this.#clock = clock;
    this.#random = random;
  }

  /** Starts the interval timer (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(onInterval, this.config.intervalMs, this);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * The outcome of one upstream request to `host`: an HTTP status, or a local-origin failure
   * (`localOrigin`, status 0 for a connect failure or reset, LOCAL_ORIGIN_TIMEOUT for a timeout).
   */
  report(host: UpstreamHost, status: number, localOrigin: boolean): void {
    const m = (host.outlier ??= new OutlierHostMonitor());
    const c = this.config;
    if (localOrigin) {
      if (!c.splitExternalLocalOriginErrors) {
        this.#httpStatus(host, m, status === LOCAL_ORIGIN_TIMEOUT ? 504 : 503);
        return;
      }
      m.localOrigin.record(false);
      if (++m.consecutiveLocalOriginFailure === c.consecutiveLocalOriginFailure) this.#consecutive(host, m, 'consecutiveLocalOriginFailure');
      return;
    }
    if (c.splitExternalLocalOriginErrors) {
      // A response arrived: the connection side worked (Envoy's LocalOriginConnectSuccessFinal).
      m.localOrigin.record(true);
      m.consecutiveLocalOriginFailure = 0;
    }
    this.#httpStatus(host, m, status);
  }

  #httpStatus(host: UpstreamHost, m: OutlierHostMonitor, status: number): void {
    const c = this.config;
    if (status < 500 || status > 599) {
      m.external.record(true);
      m.consecutive5xx = 0;
      m.consecutiveGatewayFailure = 0;
      return;
    }
    m.external.record(false);
    if (status >= 502 && status <= 504) {
      if (++m.consecutiveGatewayFailure === c.consecutiveGatewayFailure) this.#consecutive(host, m, 'consecutiveGatewayFailure');
    } else {
      m.consecutiveGatewayFailure = 0;
    }
    if (++m.consecutive5xx === c.consecutive5xx) this.#consecutive(host, m, 'consecutive5xx');
  }

  #consecutive(host: UpstreamHost, m: OutlierHostMonitor, type: EjectionType): void {
    if ((host.healthFlags & HEALTH_FLAGS.FAILED_OUTLIER_CHECK) !== 0) return;
    this.#detected(type);
    this.#eject(host, m, type);
    // Reset so a new run is detected even without an interleaved success (as Envoy does).
    if (type === 'consecutive5xx') m.consecutive5xx = 0;
    else if (type === 'consecutiveGatewayFailure') m.consecutiveGatewayFailure = 0;
    else m.consecutiveLocalOriginFailure = 0;
  }

  #eject(host: UpstreamHost, m: OutlierHostMonitor, type: EjectionType): void {
    const total = this.#cluster.hosts.length;
    const maxPercent = Math.min(100, this.config.maxEjectionPercent);
    const percent = total === 0 ? 100 : (100 * (this.#active + 1)) / total;
    if (percent > maxPercent && this.#active > 0) {
      this.#stats.ejectionsOverflow.inc();
      return;
    }
    if (!this.#hit(this.#enforcing(type))) return;
    const c = this.config;
    this.#active++;
    this.#stats.ejectionsActive.set(this.#active);
    this.#stats.ejectionsEnforcedTotal.inc();
    this.#enforced(type);
    m.numEjections++;
    if (m.ejectTimeBackoff * c.baseEjectionTimeMs < c.maxEjectionTimeMs + c.baseEjectionTimeMs) m.ejectTimeBackoff++;
    m.lastEjectionMs = this.#clock.monotonicMs();
    m.jitterMs = c.maxEjectionTimeJitterMs > 0 ? Math.floor(this.#random.next() * (c.maxEjectionTimeJitterMs + 1)) : 0;
    host.setHealthFlag(HEALTH_FLAGS.FAILED_OUTLIER_CHECK, true);
    this.#cluster.refreshLoadBalancer();
  }

  /** The interval timer: bring back hosts whose time is up, then the success-rate checks. */
  onIntervalTimer(): void {
    const now = this.#clock.monotonicMs();
    const c = this.config;
    let changed = false;
    let active = 0;
    for (const host of this.#cluster.hosts) {
      const m = (host.outlier ??= new OutlierHostMonitor());
      if ((host.healthFlags & HEALTH_FLAGS.FAILED_OUTLIER_CHECK) !== 0) {
        const ejectMs = Math.min(c.baseEjectionTimeMs * m.ejectTimeBackoff, Math.max(c.baseEjectionTimeMs, c.maxEjectionTimeMs)) + m.jitterMs;
        if (now - m.lastEjectionMs >= ejectMs) {
          host.setHealthFlag(HEALTH_FLAGS.FAILED_OUTLIER_CHECK, false);
          m.resetConsecutive();
          m.lastUnejectionMs = now;
          changed = true;
        } else {
          active++;
        }
      } else if (m.lastUnejectionMs >= 0 && now - m.lastUnejectionMs >= c.baseEjectionTimeMs && m.ejectTimeBackoff > 0) {
        // Healthy since its return: each interval takes one step off the next ejection's length.
        m.ejectTimeBackoff--;
      }
      m.external.swap();
      m.localOrigin.swap();
    }
    // Hosts removed while ejected no longer count.
    this.#active = active;
    this.#stats.ejectionsActive.set(active);
    if (changed) this.#cluster.refreshLoadBalancer();
    this.#external = this.#successRateChecks(false);
    this.#local = c.splitExternalLocalOriginErrors ? this.#successRateChecks(true) : [-1, -1];
  }

  /** Envoy's processSuccessRateEjections; returns [average, ejection threshold] (-1 = not computed). */
  #successRateChecks(localOrigin: boolean): number[] {
    const c = this.config;
    const hosts = this.#cluster.hosts;
    const srHosts: [UpstreamHost, number][] = [];
    const fpHosts: [UpstreamHost, number][] = [];
    let sum = 0;
    for (const h of hosts) {
      const m = h.outlier as OutlierHostMonitor;
      const b: SuccessRateBuckets = localOrigin ? m.localOrigin : m.external;
      const rate = b.lastRate();
      if (localOrigin) m.localOriginSuccessRate = rate;
      else m.successRate = rate;
      if (rate < 0 || (h.healthFlags & HEALTH_FLAGS.FAILED_OUTLIER_CHECK) !== 0) continue;
      const volume = b.lastVolume();
      if (volume >= c.successRateRequestVolume) {
        srHosts.push([h, rate]);
        sum += rate;
      }
      if (volume >= c.failurePercentageRequestVolume) fpHosts.push([h, rate]);
    }
    let result = [-1, -1];
    if (srHosts.length > 0 && srHosts.length >= c.successRateMinimumHosts) {
      const mean = sum / srHosts.length;
      let variance = 0;
      for (const [, r] of srHosts) variance += (r - mean) * (r - mean);
      const threshold = mean - (c.successRateStdevFactor / 1000) * Math.sqrt(variance / srHosts.length);
      result = [mean, threshold];
      for (const [h, r] of srHosts) if (r < threshold) this.#detectAndEject(h, localOrigin ? 'successRateLocalOrigin' : 'successRate');
    }
    if (fpHosts.length > 0 && fpHosts.length >= c.failurePercentageMinimumHosts) {
      for (const [h, r] of fpHosts) if (100 - r >= c.failurePercentageThreshold) this.#detectAndEject(h, localOrigin ? 'failurePercentageLocalOrigin' : 'failurePercentage');
    }
    return result;
  }

  #detectAndEject(h: UpstreamHost, type: EjectionType): void {
    if ((h.healthFlags & HEALTH_FLAGS.FAILED_OUTLIER_CHECK) !== 0) return;
    this.#detected(type);
    this.#eject(h, h.outlier as OutlierHostMonitor, type);
  }

  /** For /clusters: the last success-rate averages and thresholds. */
  view(): OutlierInfoView {
    return {
      successRateAverage: this.#external[0],
      successRateEjectionThreshold: this.#external[1],
      localOriginSuccessRateAverage: this.#local[0],
      localOriginSuccessRateEjectionThreshold: this.#local[1],
    };
  }

  #hit(f: number): boolean {
    return f >= 1 || (f > 0 && this.#random.next() < f);
  }

  #enforcing(type: EjectionType): number {
    const c = this.config;
    switch (type) {
      case 'consecutive5xx':
        return c.enforcingConsecutive5xx;
      case 'consecutiveGatewayFailure':
        return c.enforcingConsecutiveGatewayFailure;
      case 'consecutiveLocalOriginFailure':
        return c.enforcingConsecutiveLocalOriginFailure;
      case 'successRate':
        return c.enforcingSuccessRate;
      case 'successRateLocalOrigin':
        return c.enforcingLocalOriginSuccessRate;
      case 'failurePercentage':
        return c.enforcingFailurePercentage;
      case 'failurePercentageLocalOrigin':
        return c.enforcingFailurePercentageLocalOrigin;
      default:
        return assertNever(type, 'ejection type');
    }
  }

  #detected(type: EjectionType): void {
    const s = this.#stats;
    switch (type) {
      case 'consecutive5xx':
        return s.ejectionsDetectedConsecutive5xx.inc();
      case 'consecutiveGatewayFailure':
        return s.ejectionsDetectedConsecutiveGatewayFailure.inc();
      case 'consecutiveLocalOriginFailure':
        return s.ejectionsDetectedConsecutiveLocalOriginFailure.inc();
      case 'successRate':
        return s.ejectionsDetectedSuccessRate.inc();
      case 'successRateLocalOrigin':
        return s.ejectionsDetectedLocalOriginSuccessRate.inc();
      case 'failurePercentage':
        return s.ejectionsDetectedFailurePercentage.inc();
      case 'failurePercentageLocalOrigin':
        return s.ejectionsDetectedFailurePercentageLocalOrigin.inc();
      default:
        return assertNever(type, 'ejection type');
    }
  }

  #enforced(type: EjectionType): void {
    const s = this.#stats;
    switch (type) {
      case 'consecutive5xx':
        return s.ejectionsEnforcedConsecutive5xx.inc();
      case 'consecutiveGatewayFailure':
        return s.ejectionsEnforcedConsecutiveGatewayFailure.inc();
      case 'consecutiveLocalOriginFailure':
        return s.ejectionsEnforcedConsecutiveLocalOriginFailure.inc();
      case 'successRate':
        return s.ejectionsEnforcedSuccessRate.inc();
      case 'successRateLocalOrigin':
        return s.ejectionsEnforcedLocalOriginSuccessRate.inc();
      case 'failurePercentage':
        return s.ejectionsEnforcedFailurePercentage.inc();
      case 'failurePercentageLocalOrigin':
        return s.ejectionsEnforcedFailurePercentageLocalOrigin.inc();
      default:
        return assertNever(type, 'ejection type');
    }
  }
}

function onInterval(d: OutlierDetector): void {
  d.onIntervalTimer();
}
