/**
 * RANDOM: a uniform pick, weighted by load_balancing_weight when the weights differ (a cumulative
 * array built once and a binary search per pick: no allocation).
 */
import type { LbHost, LoadBalancerContext } from './host.ts';
import { PriorityLoadBalancer, type LoadBalancerOptions } from './priority-load-balancer.ts';

export class RandomBalancer<H extends LbHost> extends PriorityLoadBalancer<H> {
  #hosts: readonly H[] = [];
  #cumulative: Float64Array | undefined;

  constructor(hostsByPriority: readonly (readonly H[])[], options: LoadBalancerOptions) {
    super(hostsByPriority, options);
    this.refresh();
  }

  protected override rebuild(hosts: readonly H[]): void {
    this.#hosts = hosts;
    this.#cumulative = undefined;
    if (hosts.length === 0 || PriorityLoadBalancer.equalWeights(hosts)) return;
    const cum = new Float64Array(hosts.length);
    let total = 0;
    hosts.forEach((h, i) => {
      total += h.weight;
      cum[i] = total;
    });
    this.#cumulative = cum;
  }

  protected override choose(_context: LoadBalancerContext | undefined): H {
    const hosts = this.#hosts;
    const cum = this.#cumulative;
    if (!cum) return hosts[Math.floor(this.random.next() * hosts.length)];
    const r = this.random.next() * cum[cum.length - 1];
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return hosts[lo];
  }
}
