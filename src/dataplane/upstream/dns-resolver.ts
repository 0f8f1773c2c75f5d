/**
 * STRICT_DNS resolution: every endpoint name is looked up (all addresses) when the cluster is
 * built and again every dns_refresh_rate; each result replaces the cluster's hosts. A failed
 * lookup keeps the addresses the name had (Envoy keeps the last good answer). IP literals are
 * never looked up. The lookup function is injected (tests resolve `localhost` only).
 */
import { promises as dns } from 'node:dns';
import net from 'node:net';
import type { DnsLookupFamily } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';

/** All addresses of a name, for an address family (0 = any). */
export type LookupAll = (hostname: string, family: 0 | 4 | 6) => Promise<string[]>;

export const systemLookup: LookupAll = async (hostname, family) => {
  const found = await dns.lookup(hostname, { all: true, family, verbatim: true });
  return found.map((a) => a.address);
};

function familyOf(f: DnsLookupFamily): 0 | 4 | 6 {
  switch (f) {
    case 'V4_ONLY':
      return 4;
    case 'V6_ONLY':
      return 6;
    case 'AUTO':
    case 'V4_PREFERRED':
    case 'ALL':
      return 0;
    default:
      return assertNever(f, 'DNS lookup family');
  }
}

/** AUTO prefers IPv6 when there is any, V4_PREFERRED IPv4; ALL keeps everything. */
function select(addresses: string[], f: DnsLookupFamily): string[] {
  if (f === 'ALL' || f === 'V4_ONLY' || f === 'V6_ONLY') return addresses;
  const v4 = addresses.filter((a) => net.isIPv4(a));
  const v6 = addresses.filter((a) => net.isIPv6(a));
  if (f === 'V4_PREFERRED') return v4.length > 0 ? v4 : v6;
  return v6.length > 0 ? v6 : v4;
}

export class DnsResolver {
  readonly #names: readonly string[];
  readonly #family: DnsLookupFamily;
  readonly #lookup: LookupAll;
  readonly #onResolved: (resolved: readonly string[][]) => void;
  readonly #onFailure: (name: string, error: Error) => void;
  readonly #current: string[][];
  readonly #first: Promise<void>;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    names: readonly string[],
    family: DnsLookupFamily,
    refreshMs: number,
    lookup: LookupAll,
    onResolved: (resolved: readonly string[][]) => void,
    onFailure: (name: string, error: Error) => void,
  ) {
    this.#names = names;
    this.#onFailure = onFailure;
    this.#family = family;
    this.#lookup = lookup;
    this.#onResolved = onResolved;
    this.#current = names.map(() => []);
    this.#first = this.#resolve();
    this.#timer = setInterval(() => void this.#resolve(), Math.max(refreshMs, 100));
    this.#timer.unref();
  }

  /** Resolves once the first round of lookups is done. */
  ready(): Promise<void> {
    return this.#first;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #resolve(): Promise<void> {
    const family = familyOf(this.#family);
    await Promise.all(
      this.#names.map(async (name, i) => {
        if (net.isIP(name) !== 0) {
          this.#current[i] = [name];
          return;
        }
        try {
          const found = select(await this.#lookup(name, family), this.#family);
          if (found.length > 0) this.#current[i] = found;
        } catch (e) {
          // The last answer stays; the next refresh tries again.
          this.#onFailure(name, e as Error);
        }
      }),
    );
    if (!this.#stopped) this.#onResolved(this.#current);
  }
}
