/**
 * The local rate limit filter's descriptors (Envoy's LocalRateLimiterImpl): the configured
 * descriptors compiled once into a trie keyed entry by entry, and a route's `rate_limits` compiled
 * once per route entry into action readers. Per request, each applicable RateLimit walks the trie
 * as its actions produce entries (stopping at the first entry no configured descriptor has), so
 * building and matching a request's descriptors allocates nothing but header reads.
 *
 * Which RateLimits apply (Envoy): the route's entries whose stage equals the filter's; the virtual
 * host's too when the route sets include_vh_rate_limits, or when the route has no rate_limits.
 */
import { assertNever } from '../../../lib/assert-never.ts';
import type { LocalRateLimitDescriptor, RateLimit, RateLimitAction } from '../../../model/index.ts';
import { compileHeaderMatcher, type HeaderAccessor, type RequestPredicate, type RouteEntry, type RouteRequest } from '../../routing/index.ts';

/** What actions read of a request (an HttpStream is one): headers, and the trusted client IP. */
export interface RateLimitRequest extends RouteRequest, HeaderAccessor {
  /** The downstream address after x-forwarded-for processing, without port. */
  readonly clientIp: string;
}

/** An action's entry value; SKIP = the action adds no entry (skip_if_absent); undefined = no descriptor. */
const SKIP = null;
type EntryValue = string | typeof SKIP | undefined;

interface CompiledAction {
  readonly key: string;
  value(s: RateLimitRequest): EntryValue;
}

/** One RateLimit's actions, in order. */
export type CompiledRateLimit = readonly CompiledAction[];

interface TrieNode {
  /** entry key → entry value → node. */
  readonly next: Map<string, Map<string, TrieNode>>;
  /** The configured descriptor ending here, or -1. */
  index: number;
}

function newNode(): TrieNode {
  return { next: new Map(), index: -1 };
}

function compileAction(a: RateLimitAction, route: RouteEntry): CompiledAction {
  switch (a.kind) {
    case 'sourceCluster':
      // weft has no local service cluster (Envoy's --service-cluster): no descriptor.
      return { key: 'source_cluster', value: () => undefined };
    case 'destinationCluster': {
      const action = route.route.action;
      const cluster = action.kind === 'route' && action.route.clusterSpecifier.kind === 'cluster' ? action.route.clusterSpecifier.cluster : undefined;
      return { key: 'destination_cluster', value: () => cluster };
    }
    case 'requestHeaders': {
      const name = a.headerName.toLowerCase();
      const absent: EntryValue = a.skipIfAbsent === true ? SKIP : undefined;
      return { key: a.descriptorKey, value: (s) => s.get(name) ?? absent };
    }
    case 'remoteAddress':
      return { key: 'remote_address', value: (s) => s.clientIp || undefined };
    case 'genericKey': {
      const v = a.descriptorValue;
      return { key: a.descriptorKey || 'generic_key', value: () => v };
    }
    case 'headerValueMatch': {
      const predicates: RequestPredicate[] = [];
      for (const h of a.headers) {
        const c = compileHeaderMatcher(h);
        // A matcher that does not compile never matches (the route check reports it).
        predicates.push(c.ok ? c.value : () => false);
      }
      const expect = a.expectMatch !== false;
      const v = a.descriptorValue;
      return {
        key: a.descriptorKey || 'header_match',
        value: (s) => {
          let all = true;
          for (const p of predicates) {
            if (!p(s)) {
              all = false;
              break;
            }
          }
          return all === expect ? v : undefined;
        },
      };
    }
    default:
      return assertNever(a, 'rate limit action');
  }
}

function compileRateLimits(list: readonly RateLimit[] | undefined, stage: number, route: RouteEntry, out: CompiledRateLimit[]): void {
  if (list === undefined) return;
  for (const r of list) {
    if ((r.stage ?? 0) === stage) out.push(r.actions.map((a) => compileAction(a, route)));
  }
}

/** The configured descriptors of one filter config, and the route rate limits compiled for it. */
export class DescriptorTable {
  /** Descriptor index → its token bucket model. */
  readonly descriptors: readonly LocalRateLimitDescriptor[];
  /** Descriptor indexes, most restrictive fill rate first (Envoy consumes in this order). */
  readonly #rank: Int32Array;
  readonly #root = newNode();
  readonly #stage: number;
  readonly #perRoute = new WeakMap<RouteEntry, readonly CompiledRateLimit[]>();

  constructor(descriptors: readonly LocalRateLimitDescriptor[], stage: number) {
    this.descriptors = descriptors;
    this.#stage = stage;
    descriptors.forEach((d, i) => {
      let node = this.#root;
      for (const e of d.entries) {
        let values = node.next.get(e.key);
        if (values === undefined) node.next.set(e.key, (values = new Map()));
        let child = values.get(e.value);
        if (child === undefined) values.set(e.value, (child = newNode()));
        node = child;
      }
      // A later duplicate of the same entries is refused by the check; keep the first.
      if (node.index < 0) node.index = i;
    });
    const rate = (i: number): number => {
      const tb = descriptors[i]!.tokenBucket;
      return (tb.tokensPerFill ?? 1) / tb.fillIntervalMs;
    };
    this.#rank = Int32Array.from(descriptors.keys()).sort((a, b) => rate(a) - rate(b));
  }

  /** The RateLimits that apply on this route, compiled the first time the route is seen. */
  rateLimitsFor(route: RouteEntry): readonly CompiledRateLimit[] {
    let c = this.#perRoute.get(route);
    if (c === undefined) {
      const out: CompiledRateLimit[] = [];
      const action = route.route.action;
      const own = action.kind === 'route' ? action.route : undefined;
      compileRateLimits(own?.rateLimits, this.#stage, route, out);
      if (own?.includeVhRateLimits === true || own?.rateLimits === undefined || own.rateLimits.length === 0) {
        compileRateLimits(route.virtualHost.rateLimits, this.#stage, route, out);
      }
      c = out;
      this.#perRoute.set(route, c);
    }
    return c;
  }

  /**
   * Counts in `matched` (by descriptor index) the request descriptors equal to each configured
   * descriptor (Envoy takes a token per match); returns how many matched.
   */
  match(s: RateLimitRequest, limits: readonly CompiledRateLimit[], matched: Uint8Array): number {
    let count = 0;
    for (const actions of limits) {
      let node: TrieNode | undefined = this.#root;
      for (const a of actions) {
        const v = a.value(s);
        if (v === SKIP) continue;
        node = v === undefined ? undefined : node.next.get(a.key)?.get(v);
        if (node === undefined) break;
      }
      if (node !== undefined && node.index >= 0) {
        matched[node.index]!++;
        count++;
      }
    }
    return count;
  }

  /** Descriptor indexes in consumption order. */
  get order(): Int32Array {
    return this.#rank;
  }
}

/** Problems with descriptors, as text. */
export function checkDescriptors(descriptors: readonly LocalRateLimitDescriptor[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const d of descriptors) {
    const id = JSON.stringify(d.entries.map((e) => [e.key, e.value]));
    if (seen.has(id)) problems.push(`duplicate descriptor ${id}`);
    seen.add(id);
    if (d.entries.length === 0) problems.push('a descriptor needs at least one entry');
  }
  return problems;
}
