/**
 * RING_HASH (Envoy's RingHashLoadBalancer, source/extensions/load_balancing_policies/ring_hash/):
 * each host is placed on a hash ring at `hash("<hashKey>_<i>")` for i = 0, 1, ..., as many times
 * as its share of the total weight calls for, with the ring sized so the lightest host gets at
 * least `minimum_ring_size × its share` entries (capped at `maximum_ring_size`). A request's hash
 * picks the first entry at or after it (wrapping). Adding or removing a host only moves the keys
 * that land next to its entries. Without a request hash the point is random. Hashes are 32-bit
 * MurmurHash3 (Envoy uses 64-bit xxHash; the placement rule is the same).
 */
import { murmur3Hash32 } from '../../lib/stable-hash.ts';
import type { LbHost, LoadBalancerContext } from './host.ts';
import { PriorityLoadBalancer, type LoadBalancerOptions } from './priority-load-balancer.ts';

export interface RingHashOptions extends LoadBalancerOptions {
  /** Default 1024. */
  readonly minimumRingSize?: number;
  /** Default 8388608. */
  readonly maximumRingSize?: number;
}

export class RingHashBalancer<H extends LbHost> extends PriorityLoadBalancer<H> {
  readonly #min: number;
  readonly #max: number;
  #hashes: Uint32Array = new Uint32Array(0);
  #hosts: H[] = [];

  constructor(hostsByPriority: readonly (readonly H[])[], options: RingHashOptions) {
    super(hostsByPriority, options);
    this.#min = options.minimumRingSize ?? 1024;
    this.#max = options.maximumRingSize ?? 8_388_608;
    this.refresh();
  }

  /** Entries on the ring. */
  get ringSize(): number {
    return this.#hashes.length;
  }

  protected override rebuild(hosts: readonly H[]): void {
    if (hosts.length === 0) {
      this.#hashes = new Uint32Array(0);
      this.#hosts = [];
      return;
    }
    const total = hosts.reduce((s, h) => s + h.weight, 0);
    const normalized = hosts.map((h) => h.weight / total);
    const minShare = Math.min(...normalized);
    const scale = Math.min(Math.ceil(minShare * this.#min) / minShare, this.#max);
    const entries: { hash: number; host: H }[] = [];
    // Running sums across hosts, as Envoy keeps them, so rounding never drifts.
    let current = 0;
    let target = 0;
    hosts.forEach((h, k) => {
      target += scale * normalized[k];
      for (let i = 0; current < target; i++, current++) entries.push({ hash: murmur3Hash32(`${h.hashKey}_${i}`), host: h });
    });
    entries.sort((a, b) => a.hash - b.hash || (a.host.hashKey < b.host.hashKey ? -1 : a.host.hashKey > b.host.hashKey ? 1 : 0));
    this.#hashes = Uint32Array.from(entries, (e) => e.hash);
    this.#hosts = entries.map((e) => e.host);
  }

  protected override choose(context: LoadBalancerContext | undefined): H {
    const hash = context?.hashKey !== undefined ? context.hashKey >>> 0 : Math.floor(this.random.next() * 4294967296);
    const hashes = this.#hashes;
    // First entry with hash >= the request's, wrapping past the end (Envoy: "lower_bound").
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid] < hash) lo = mid + 1;
      else hi = mid;
    }
    return this.#hosts[lo === hashes.length ? 0 : lo];
  }
}
