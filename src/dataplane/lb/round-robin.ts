/**
 * ROUND_ROBIN (Envoy's RoundRobinLoadBalancer): equal weights → plain rotation; different weights
 * → EDF over the weights, so 1:2:7 gives exactly 1, 2 and 7 picks in every 10, spread evenly
 * (smooth). The starting point is random, as Envoy seeds it, so a fleet of proxies does not send
 * its first requests to the same host.
 */
import { EdfScheduler } from './edf-scheduler.ts';
import type { LbHost, LoadBalancerContext } from './host.ts';
import { PriorityLoadBalancer, type LoadBalancerOptions } from './priority-load-balancer.ts';

const weightOf = (h: LbHost): number => h.weight;

export class RoundRobinBalancer<H extends LbHost> extends PriorityLoadBalancer<H> {
  #hosts: readonly H[] = [];
  #next = 0;
  #edf: EdfScheduler<H> | undefined;

  constructor(hostsByPriority: readonly (readonly H[])[], options: LoadBalancerOptions) {
    super(hostsByPriority, options);
    this.refresh();
  }

  protected override rebuild(hosts: readonly H[]): void {
    this.#hosts = hosts;
    this.#edf = undefined;
    if (hosts.length === 0) return;
    const start = Math.floor(this.random.next() * hosts.length);
    if (PriorityLoadBalancer.equalWeights(hosts)) {
      this.#next = start;
      return;
    }
    const edf = new EdfScheduler<H>();
    for (const h of hosts) edf.add(h, h.weight);
    for (let i = 0; i < start; i++) edf.pick(weightOf);
    this.#edf = edf;
  }

  protected override choose(_context: LoadBalancerContext | undefined): H {
    if (this.#edf) return this.#edf.pick(weightOf);
    const hosts = this.#hosts;
    const h = hosts[this.#next % hosts.length];
    this.#next = (this.#next + 1) % hosts.length;
    return h;
  }
}
