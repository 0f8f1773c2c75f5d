/**
 * Pod IPs from the pod CIDR, the way a host-local IPAM hands them out: the next free address after
 * the last one given, wrapping around, so a freed address is not reused at once. The pool is
 * in-memory; the addresses themselves live in Pod status (status.podIP), from which the Pod
 * controller rebuilds the pool at start, so a Pod keeps its IP across restarts.
 */
import { allocatableRange, cidrContains, formatIpv4, parseIpv4 } from './ipv4.ts';
import type { Ipv4Cidr } from './ipv4.ts';

export class PodAddressPool {
  readonly #cidr: Ipv4Cidr;
  readonly #first: number;
  readonly #last: number;
  readonly #byIp = new Map<number, string>();
  readonly #byOwner = new Map<string, number>();
  #cursor: number;

  constructor(cidr: Ipv4Cidr) {
    this.#cidr = cidr;
    ({ first: this.#first, last: this.#last } = allocatableRange(cidr));
    this.#cursor = this.#first;
  }

  get used(): number {
    return this.#byIp.size;
  }

  /** The address held by `owner` (a Pod uid), if any. */
  addressOf(owner: string): string | undefined {
    const n = this.#byOwner.get(owner);
    return n === undefined ? undefined : formatIpv4(n);
  }

  /**
   * Gives `owner` an address: the one it holds; else `preferred` when it is in the range and free;
   * else the next free one. Undefined when the range is full.
   */
  claim(owner: string, preferred?: string): string | undefined {
    const held = this.#byOwner.get(owner);
    if (held !== undefined) return formatIpv4(held);
    const want = preferred === undefined ? undefined : parseIpv4(preferred);
    if (want !== undefined && this.#isAllocatable(want) && !this.#byIp.has(want)) return this.#take(owner, want);
    const span = this.#last - this.#first + 1;
    for (let i = 0; i < span; i++) {
      const n = this.#first + ((this.#cursor - this.#first + i) % span);
      if (!this.#byIp.has(n)) {
        this.#cursor = n === this.#last ? this.#first : n + 1;
        return this.#take(owner, n);
      }
    }
    return undefined;
  }

  release(owner: string): void {
    const n = this.#byOwner.get(owner);
    if (n === undefined) return;
    this.#byOwner.delete(owner);
    this.#byIp.delete(n);
  }

  #isAllocatable(n: number): boolean {
    return cidrContains(this.#cidr, n) && n >= this.#first && n <= this.#last;
  }

  #take(owner: string, n: number): string {
    this.#byIp.set(n, owner);
    this.#byOwner.set(owner, n);
    return formatIpv4(n);
  }
}
