/**
 * LEAST_REQUEST (Envoy's LeastRequestLoadBalancer):
 * - equal weights: power of `choice_count` choices (default 2): sample that many hosts at random
 *   (with replacement) and keep the one with the fewest active requests (the first on a tie);
 * - different weights: EDF where a host's weight is `weight / (active_requests + 1)^bias`
 *   (active_request_bias, default 1), re-read each time the host is rescheduled.
 */
import { EdfScheduler } from './edf-scheduler.ts';
import type { LbHost, LoadBalancerContext } from './host.ts';
import { PriorityLoadBalancer, type LoadBalancerOptions } from './priority-load-balancer.ts';

export interface LeastRequestOptions extends LoadBalancerOptions {
  /** Default 2. */
  readonly choiceCount?: number;
  /** Default 1. */
  readonly activeRequestBias?: number;
}

export class LeastRequestBalancer<H extends LbHost> extends PriorityLoadBalancer<H> {
  readonly #choiceCount: number;
  readonly #bias: number;
  readonly #weightOf: (h: H) => number;
  #hosts: readonly H[] = [];
  #edf: EdfScheduler<H> | undefined;

  constructor(hostsByPriority: readonly (readonly H[])[], options: LeastRequestOptions) {
    super(hostsByPriority, options);
    this.#choiceCount = Math.max(2, options.choiceCount ?? 2);
    const bias = options.activeRequestBias ?? 1;
    this.#bias = bias;
    this.#weightOf =
      bias === 1 ? (h) => h.weight / (h.activeRequests + 1) : bias === 0 ? (h) => h.weight : (h) => h.weight / Math.pow(h.activeRequests + 1, bias);
    this.refresh();
  }

  /** active_request_bias in use. */
  get activeRequestBias(): number {
    return this.#bias;
  }

  protected override rebuild(hosts: readonly H[]): void {
    this.#hosts = hosts;
    this.#edf = undefined;
    if (hosts.length === 0 || PriorityLoadBalancer.equalWeights(hosts)) return;
    const edf = new EdfScheduler<H>();
    for (const h of hosts) edf.add(h, this.#weightOf(h));
    this.#edf = edf;
  }

  protected override choose(_context: LoadBalancerContext | undefined): H {
    if (this.#edf) return this.#edf.pick(this.#weightOf);
    const hosts = this.#hosts;
    const n = hosts.length;
    let best = hosts[Math.floor(this.random.next() * n)];
    for (let i = 1; i < this.#choiceCount; i++) {
      const h = hosts[Math.floor(this.random.next() * n)];
      if (h.activeRequests < best.activeRequests) best = h;
    }
    return best;
  }
}
