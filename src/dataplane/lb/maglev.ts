/**
 * MAGLEV (Envoy's MaglevLoadBalancer, after Google's Maglev paper §3.4): a lookup table of prime
 * size M (default 65537) filled by letting each host claim slots along its own permutation
 * `(offset + skip × j) mod M`, with `offset = h0(key) mod M` and `skip = h1(key) mod (M − 1) + 1`.
 * Weighted as Envoy does it: on each round a host claims a slot only when its running target lets
 * it, so slot counts follow the weights. A request's hash picks `table[hash mod M]`. Removing a
 * host frees only its slots (others keep theirs except for the few the refill reassigns), so most
 * keys stay where they were.
 */
import { murmur3Hash32 } from '../../lib/stable-hash.ts';
import type { LbHost, LoadBalancerContext } from './host.ts';
import { PriorityLoadBalancer, type LoadBalancerOptions } from './priority-load-balancer.ts';

export interface MaglevOptions extends LoadBalancerOptions {
  /** A prime. Default 65537. */
  readonly tableSize?: number;
}

export const DEFAULT_MAGLEV_TABLE_SIZE = 65_537;

interface BuildEntry<H> {
  readonly host: H;
  readonly offset: number;
  readonly skip: number;
  readonly weight: number;
  target: number;
  next: number;
}

export class MaglevBalancer<H extends LbHost> extends PriorityLoadBalancer<H> {
  readonly #size: number;
  #table: (H | undefined)[] = [];

  constructor(hostsByPriority: readonly (readonly H[])[], options: MaglevOptions) {
    super(hostsByPriority, options);
    this.#size = options.tableSize ?? DEFAULT_MAGLEV_TABLE_SIZE;
    this.refresh();
  }

  get tableSize(): number {
    return this.#size;
  }

  protected override rebuild(hosts: readonly H[]): void {
    const size = this.#size;
    if (hosts.length === 0) {
      this.#table = [];
      return;
    }
    // Hosts in a fixed order (by key), so the table does not depend on the order they came in.
    const sorted = [...hosts].sort((a, b) => (a.hashKey < b.hashKey ? -1 : a.hashKey > b.hashKey ? 1 : 0));
    const total = sorted.reduce((s, h) => s + h.weight, 0);
    const entries: BuildEntry<H>[] = sorted.map((h) => ({
      host: h,
      offset: murmur3Hash32(h.hashKey, 0) % size,
      skip: (murmur3Hash32(h.hashKey, 1) % (size - 1)) + 1,
      weight: h.weight / total,
      target: 0,
      next: 0,
    }));
    const maxWeight = Math.max(...entries.map((e) => e.weight));
    const table = new Array<H | undefined>(size).fill(undefined);
    let filled = 0;
    for (let iteration = 1; filled < size; iteration++) {
      for (const e of entries) {
        if (filled >= size) break;
        if (iteration * e.weight < e.target) continue;
        e.target += maxWeight;
        let c = (e.offset + e.skip * e.next) % size;
        while (table[c] !== undefined) {
          e.next++;
          c = (e.offset + e.skip * e.next) % size;
        }
        table[c] = e.host;
        e.next++;
        filled++;
      }
    }
    this.#table = table;
  }

  protected override choose(context: LoadBalancerContext | undefined): H {
    const hash = context?.hashKey !== undefined ? context.hashKey >>> 0 : Math.floor(this.random.next() * 4294967296);
    return this.#table[hash % this.#size] as H;
  }
}
