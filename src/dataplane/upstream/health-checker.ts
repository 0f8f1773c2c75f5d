/**
 * Active health checking of one cluster (Envoy's HealthCheckerImplBase, HTTP and TCP): every
 * `interval` each host is probed (one probe in flight per host; `timeout` bounds it). Hosts start
 * as `failed_active_hc` (Envoy marks a new host unhealthy until it passes; the load balancer's
 * panic threshold keeps routing while none has); the first success marks a new host healthy, then
 * `unhealthy_threshold` failures in a row take a host out and `healthy_threshold` successes bring
 * it back. Probes only report; this checker decides, sets the host's FAILED_ACTIVE_HC bit and
 * refreshes the load balancer, and counts `health_check.{attempt,success,failure,network_failure}`
 * and the `healthy` gauge. Not covered: gRPC checks (never started), HTTP/2 probes (sent as
 * HTTP/1.1), no_traffic_interval and the *_edge_interval variants (`interval` is always used).
 */
import type { HealthCheck } from '../../model/index.ts';
import type { ConnectionOptions } from 'node:tls';
import type { ALL_HEALTH_CHECK_STATS, StatSet } from '../../observe/stats/index.ts';
import { probeHttp, probeTcp, type ProbeOutcome } from './health-probe.ts';
import { HEALTH_FLAGS, type UpstreamHost } from './upstream-host.ts';

export interface HealthCheckedCluster {
  readonly name: string;
  readonly hosts: readonly UpstreamHost[];
  readonly tlsOptions: ConnectionOptions | undefined;
  refreshLoadBalancer(): void;
}

type HealthCheckStats = StatSet<typeof ALL_HEALTH_CHECK_STATS>;

interface HostCheckState {
  inFlight: boolean;
  checked: boolean;
  successes: number;
  failures: number;
}

/** Whether the checker can run this config (gRPC checks are not supported). */
export function isSupportedHealthCheck(hc: HealthCheck): boolean {
  return hc.healthChecker.kind !== 'grpcHealthCheck';
}

export class ActiveHealthChecker {
  readonly #cluster: HealthCheckedCluster;
  readonly #config: HealthCheck;
  readonly #stats: HealthCheckStats;
  readonly #state = new WeakMap<UpstreamHost, HostCheckState>();
  #timer: NodeJS.Timeout | undefined = undefined;
  #stopped = false;
  #firstRound: Promise<void> | undefined = undefined;

  constructor(cluster: HealthCheckedCluster, config: HealthCheck, stats: HealthCheckStats) {
    this.#cluster = cluster;
    this.#config = config;
    this.#stats = stats;
  }

  /** Starts probing; resolves when the first round has finished (cluster warming). */
  start(): Promise<void> {
    if (this.#firstRound !== undefined) return this.#firstRound;
    this.#timer = setInterval(onTick, Math.max(1, this.#config.intervalMs), this);
    this.#timer.unref();
    this.#firstRound = this.tick();
    return this.#firstRound;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One round: probes every host that has no probe in flight. */
  async tick(): Promise<void> {
    const probes: Promise<void>[] = [];
    for (const host of this.#cluster.hosts) {
      let st = this.#state.get(host);
      if (st === undefined) {
        st = { inFlight: false, checked: false, successes: 0, failures: 0 };
        this.#state.set(host, st);
      }
      if (st.inFlight) continue;
      st.inFlight = true;
      probes.push(this.#probe(host, st));
    }
    await Promise.all(probes);
  }

  async #probe(host: UpstreamHost, st: HostCheckState): Promise<void> {
    this.#stats.attempt.inc();
    const c = this.#config;
    const checker = c.healthChecker;
    let outcome: ProbeOutcome;
    switch (checker.kind) {
      case 'httpHealthCheck':
        outcome = await probeHttp(host, checker.httpHealthCheck, checker.httpHealthCheck.host ?? this.#cluster.name, c.timeoutMs, this.#cluster.tlsOptions);
        break;
      case 'tcpHealthCheck':
        outcome = await probeTcp(host, checker.tcpHealthCheck, c.timeoutMs);
        break;
      case 'grpcHealthCheck':
        st.inFlight = false;
        return;
      default: {
        const never: never = checker;
        throw new Error(`unexpected health checker ${JSON.stringify(never)}`);
      }
    }
    st.inFlight = false;
    if (this.#stopped) return;
    this.#apply(host, st, outcome);
  }

  #apply(host: UpstreamHost, st: HostCheckState, outcome: ProbeOutcome): void {
    const c = this.#config;
    const failed = (host.healthFlags & HEALTH_FLAGS.FAILED_ACTIVE_HC) !== 0;
    const first = !st.checked;
    st.checked = true;
    let changed = false;
    if (outcome === 'healthy') {
      this.#stats.success.inc();
      st.failures = 0;
      st.successes++;
      if (failed && (first || st.successes >= c.healthyThreshold)) {
        host.setHealthFlag(HEALTH_FLAGS.FAILED_ACTIVE_HC, false);
        changed = true;
      }
    } else {
      this.#stats.failure.inc();
      if (outcome !== 'unhealthy') this.#stats.networkFailure.inc();
      st.successes = 0;
      st.failures++;
      if (!failed && st.failures >= c.unhealthyThreshold) {
        host.setHealthFlag(HEALTH_FLAGS.FAILED_ACTIVE_HC, true);
        changed = true;
      }
    }
    if (changed) {
      this.#cluster.refreshLoadBalancer();
      this.#updateHealthyGauge();
    }
  }

  #updateHealthyGauge(): void {
    let n = 0;
    for (const h of this.#cluster.hosts) if ((h.healthFlags & HEALTH_FLAGS.FAILED_ACTIVE_HC) === 0) n++;
    this.#stats.healthy.set(n);
  }
}

function onTick(c: ActiveHealthChecker): void {
  void c.tick();
}
