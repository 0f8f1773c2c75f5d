/**
 * Active health checking of one cluster (Envoy's HealthCheckerImplBase, HTTP/1.1, HTTP/2, TCP and
 * gRPC): a session per host, each with its own timer, re-armed after every check from the check's
 * outcome (health-check-intervals.ts: interval, no_traffic_interval, unhealthy_interval, the edge
 * intervals, jitter, initial_jitter); one check in flight per host, bounded by `timeout`.
 *
 * Decisions, as Envoy's handleSuccess / setUnhealthy: a new host is `failed_active_hc` until its
 * first check passes (the first success marks it healthy at once); after that,
 * `healthy_threshold` successes in a row bring it back. A network failure, a timeout or a
 * retriable status counts toward `unhealthy_threshold`; any other failure (an unexpected HTTP
 * status, a gRPC answer other than SERVING) marks the host unhealthy at once. Probes only
 * report; this checker decides, sets the host's FAILED_ACTIVE_HC bit, refreshes the load
 * balancer and counts `health_check.{attempt,success,failure,network_failure,verify_cluster}`
 * and the `healthy` gauge. Failures are published on `weft:health-check:failed` for a host's
 * first check, for an ejection, and for every failure with always_log_health_check_failures
 * (Envoy's event log); a host turning healthy on `weft:health-check:succeeded`.
 */
import type { ConnectionOptions } from 'node:tls';
import { assertNever } from '../../lib/assert-never.ts';
import type { HealthCheck } from '../../model/index.ts';
import { WEFT_CHANNELS, weftChannel } from '../../observe/diagnostics-channels.ts';
import type { ALL_HEALTH_CHECK_STATS, StatSet } from '../../observe/stats/index.ts';
import type { Random } from '../lb/index.ts';
import { compileStringMatcher } from '../routing/string-matcher.ts';
import { GrpcProber, Http2Prober } from './h2-health-probe.ts';
import { compileHealthCheckIntervals, initialCheckDelayMs, nextCheckDelayMs, type HealthCheckIntervals, type HealthTransition } from './health-check-intervals.ts';
import { Http1Prober, TcpProber, type HealthProber, type ProbeOutcome, type ProbeTarget } from './health-probe.ts';
import { HEALTH_FLAGS, type UpstreamHost } from './upstream-host.ts';

export interface HealthCheckedCluster {
  readonly name: string;
  readonly hosts: readonly UpstreamHost[];
  readonly tlsOptions: ConnectionOptions | undefined;
  /** The cluster has made a connection (no_traffic_interval applies until then). */
  readonly trafficSeen: boolean;
  refreshLoadBalancer(): void;
}

type HealthCheckStats = StatSet<typeof ALL_HEALTH_CHECK_STATS>;

const failedChannel = weftChannel(WEFT_CHANNELS.healthCheckFailed);
const succeededChannel = weftChannel(WEFT_CHANNELS.healthCheckSucceeded);

/** Envoy's HealthCheckFailureType of a failed probe. */
function failureType(o: ProbeOutcome): 'ACTIVE' | 'NETWORK' | 'NETWORK_TIMEOUT' {
  return o === 'networkFailure' ? 'NETWORK' : o === 'timeout' ? 'NETWORK_TIMEOUT' : 'ACTIVE';
}

/** Every health checker kind the model has is run. */
export function isSupportedHealthCheck(hc: HealthCheck): boolean {
  return hc.healthChecker !== undefined;
}

/** One host's checks. */
class HealthCheckSession {
  readonly host: UpstreamHost;
  readonly prober: HealthProber;
  first = true;
  numHealthy = 0;
  numUnhealthy = 0;
  stopped = false;
  timer: NodeJS.Timeout | undefined = undefined;
  /** Resolves when the first check has an outcome (cluster warming waits for it). */
  readonly firstCheck: Promise<void>;
  resolveFirst: () => void = () => {};

  constructor(host: UpstreamHost, prober: HealthProber) {
    this.host = host;
    this.prober = prober;
    this.firstCheck = new Promise((r) => (this.resolveFirst = r));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.prober.close();
    this.resolveFirst();
  }
}

export class ActiveHealthChecker {
  readonly #cluster: HealthCheckedCluster;
  readonly #config: HealthCheck;
  readonly #stats: HealthCheckStats;
  readonly #random: Random;
  readonly #intervals: HealthCheckIntervals;
  readonly #verify: ((v: string) => boolean) | undefined;
  readonly #sessions = new Map<UpstreamHost, HealthCheckSession>();
  #started = false;
  #stopped = false;

  constructor(cluster: HealthCheckedCluster, config: HealthCheck, stats: HealthCheckStats, random: Random) {
    this.#cluster = cluster;
    this.#config = config;
    this.#stats = stats;
    this.#random = random;
    this.#intervals = compileHealthCheckIntervals(config);
    const hc = config.healthChecker;
    const matcher = hc.kind === 'httpHealthCheck' ? hc.httpHealthCheck.serviceNameMatcher : undefined;
    const compiled = matcher === undefined ? undefined : compileStringMatcher(matcher);
    // An invalid matcher (a bad regex) was reported when the snapshot was validated; here it fails every check.
    this.#verify = compiled === undefined ? undefined : compiled.ok ? compiled.value : () => false;
  }

  /** Starts a session per host; resolves when every host has had its first check (cluster warming). */
  start(): Promise<void> {
    this.#started = true;
    this.syncHosts();
    return Promise.all([...this.#sessions.values()].map((s) => s.firstCheck)).then(() => undefined);
  }

  /** The cluster's hosts changed: new hosts get a session (first check at once), removed ones lose theirs. */
  syncHosts(): void {
    if (!this.#started || this.#stopped) return;
    const hosts = new Set(this.#cluster.hosts);
    for (const [host, s] of this.#sessions) {
      if (!hosts.has(host)) {
        s.stop();
        this.#sessions.delete(host);
      }
    }
    for (const host of hosts) {
      if (this.#sessions.has(host)) continue;
      const s = new HealthCheckSession(host, this.#prober(host));
      this.#sessions.set(host, s);
      const delay = initialCheckDelayMs(this.#intervals, this.#random);
      if (delay === 0) void this.#check(s);
      else this.#schedule(s, delay);
    }
    this.#updateHealthyGauge();
  }

  stop(): void {
    this.#stopped = true;
    for (const s of this.#sessions.values()) s.stop();
    this.#sessions.clear();
  }

  #prober(host: UpstreamHost): HealthProber {
    const c = this.#config;
    const hc = c.healthChecker;
    const target = (authority: string | undefined): ProbeTarget => ({
      address: host.address,
      port: host.port,
      tls: this.#cluster.tlsOptions,
      authority: authority ?? this.#cluster.name,
      reuseConnection: c.reuseConnection ?? true,
    });
    switch (hc.kind) {
      case 'httpHealthCheck': {
        const h = hc.httpHealthCheck;
        return h.codecClientType === 'HTTP2' ? new Http2Prober(target(h.host), h, this.#verify) : new Http1Prober(target(h.host), h, this.#verify);
      }
      case 'tcpHealthCheck':
        return new TcpProber(target(undefined), hc.tcpHealthCheck);
      case 'grpcHealthCheck':
        return new GrpcProber(target(undefined), hc.grpcHealthCheck);
      default:
        return assertNever(hc, 'health checker kind');
    }
  }

  #schedule(s: HealthCheckSession, ms: number): void {
    s.timer = setTimeout(onSessionTimer, ms, this, s);
    s.timer.unref();
  }

  /** Runs one check of `s`, applies it, and arms the next. */
  async check(s: HealthCheckSession): Promise<void> {
    s.timer = undefined;
    await this.#check(s);
  }

  async #check(s: HealthCheckSession): Promise<void> {
    if (s.stopped) return;
    this.#stats.attempt.inc();
    if (this.#verify !== undefined) this.#stats.verifyCluster.inc();
    const outcome = await s.prober.probe(this.#config.timeoutMs);
    if (s.stopped) return;
    const transition = outcome === 'healthy' ? this.#passed(s) : this.#failed(s, outcome);
    s.first = false;
    s.resolveFirst();
    this.#schedule(s, nextCheckDelayMs(this.#intervals, outcome === 'healthy', transition, this.#cluster.trafficSeen, this.#random));
  }

  #passed(s: HealthCheckSession): HealthTransition {
    const host = s.host;
    s.numUnhealthy = 0;
    this.#stats.success.inc();
    if ((host.healthFlags & HEALTH_FLAGS.FAILED_ACTIVE_HC) === 0) return 'unchanged';
    if (s.first || ++s.numHealthy >= this.#config.healthyThreshold) {
      host.setHealthFlag(HEALTH_FLAGS.FAILED_ACTIVE_HC, false);
      this.#changed();
      if (succeededChannel.hasSubscribers) succeededChannel.publish({ cluster: this.#cluster.name, host: host.addressString, firstCheck: s.first });
      return 'changed';
    }
    return 'changePending';
  }

  #failed(s: HealthCheckSession, outcome: ProbeOutcome): HealthTransition {
    const host = s.host;
    s.numHealthy = 0;
    this.#stats.failure.inc();
    if (outcome === 'networkFailure') this.#stats.networkFailure.inc();
    const type = failureType(outcome);
    let transition: HealthTransition = 'unchanged';
    if ((host.healthFlags & HEALTH_FLAGS.FAILED_ACTIVE_HC) === 0) {
      if ((type === 'ACTIVE' && outcome !== 'retriable') || ++s.numUnhealthy >= this.#config.unhealthyThreshold) {
        host.setHealthFlag(HEALTH_FLAGS.FAILED_ACTIVE_HC, true);
        this.#changed();
        transition = 'changed';
      } else transition = 'changePending';
    }
    const ejected = transition === 'changed';
    if ((ejected || s.first || this.#config.alwaysLogHealthCheckFailures === true) && failedChannel.hasSubscribers) {
      failedChannel.publish({ cluster: this.#cluster.name, host: host.addressString, failureType: type, firstCheck: s.first, ejected });
    }
    return transition;
  }

  #changed(): void {
    this.#cluster.refreshLoadBalancer();
    this.#updateHealthyGauge();
  }

  #updateHealthyGauge(): void {
    let n = 0;
    for (const h of this.#cluster.hosts) if ((h.healthFlags & HEALTH_FLAGS.FAILED_ACTIVE_HC) === 0) n++;
    this.#stats.healthy.set(n);
  }
}

function onSessionTimer(c: ActiveHealthChecker, s: HealthCheckSession): void {
  void c.check(s);
}
