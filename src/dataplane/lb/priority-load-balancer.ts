/**
 * The bookkeeping every balancer shares (Envoy's LoadBalancerBase / EdfLoadBalancerBase), so a
 * strategy only makes its one decision (STYLE.md habit 4):
 * - priorities: the highest priority level (lowest number) that has a healthy host serves; this
 *   is the simple form of Envoy's priority load (no overprovisioning spill-over);
 * - panic (Cluster.CommonLbConfig.healthy_panic_threshold, default 50%): when fewer than that
 *   share of the chosen level's hosts are healthy, Envoy balances across all of them, healthy or
 *   not, rather than overload the few; a threshold of 0 turns panic off;
 * - when no level has a healthy host, the first non-empty level serves in panic (or nothing, when
 *   panic is off).
 */
import type { LbHost, LoadBalancer, LoadBalancerContext } from './host.ts';
import type { Random } from './random.ts';

export interface LoadBalancerOptions {
  readonly random: Random;
  /** Fraction in [0, 1]. Default 0.5. */
  readonly healthyPanicThreshold?: number;
}

export const DEFAULT_HEALTHY_PANIC_THRESHOLD = 0.5;

export abstract class PriorityLoadBalancer<H extends LbHost> implements LoadBalancer<H> {
  protected readonly random: Random;
  readonly #threshold: number;
  #priorities: readonly (readonly H[])[];
  #candidates: readonly H[] = [];
  #panic = false;
  #level = -1;

  /** Subclasses call `this.refresh()` at the end of their constructor. */
  protected constructor(hostsByPriority: readonly (readonly H[])[], options: LoadBalancerOptions) {
    this.random = options.random;
    this.#threshold = options.healthyPanicThreshold ?? DEFAULT_HEALTHY_PANIC_THRESHOLD;
    this.#priorities = hostsByPriority;
  }

  /** True when the last refresh found too few healthy hosts and balances across all of them. */
  get panic(): boolean {
    return this.#panic;
  }

  /** The priority level serving, or -1 when none can. */
  get priority(): number {
    return this.#level;
  }

  /** The hosts picks are made from since the last refresh. */
  get candidates(): readonly H[] {
    return this.#candidates;
  }

  setHosts(hostsByPriority: readonly (readonly H[])[]): void {
    this.#priorities = hostsByPriority;
    this.refresh();
  }

  refresh(): void {
    const levels = this.#priorities;
    let level = -1;
    let healthy: H[] = [];
    for (let p = 0; p < levels.length; p++) {
      healthy = levels[p].filter((h) => h.healthy);
      if (healthy.length > 0) {
        level = p;
        break;
      }
    }
    let candidates: readonly H[];
    let panic = false;
    if (level >= 0) {
      const all = levels[level];
      panic = healthy.length < this.#threshold * all.length;
      candidates = panic ? all : healthy;
    } else {
      level = this.#threshold > 0 ? levels.findIndex((l) => l.length > 0) : -1;
      panic = level >= 0;
      candidates = level >= 0 ? levels[level] : [];
    }
    this.#level = level;
    this.#panic = panic;
    this.#candidates = candidates;
    this.rebuild(candidates);
  }

  pick(context?: LoadBalancerContext): H | undefined {
    return this.#candidates.length === 0 ? undefined : this.choose(context);
  }

  /** True when all hosts have the same weight (strategies then skip weighting, as Envoy does). */
  protected static equalWeights(hosts: readonly LbHost[]): boolean {
    for (let i = 1; i < hosts.length; i++) if (hosts[i].weight !== hosts[0].weight) return false;
    return true;
  }

  /** Rebuilds the strategy's structure over these (non-empty or empty) hosts. */
  protected abstract rebuild(hosts: readonly H[]): void;

  /** Picks one of the hosts given to the last rebuild; called only when there is at least one. */
  protected abstract choose(context: LoadBalancerContext | undefined): H;
}
