/**
 * The local rate limit filter's shared config (Envoy's FilterConfig in local_ratelimit.cc): built
 * once from the model's LocalRateLimit, for the HCM's filter or for one route's
 * typed_per_filter_config. It owns the token buckets (the default one and one per descriptor;
 * one set shared, or one per downstream connection when local_rate_limit_per_downstream_connection
 * is set), the compiled descriptor table, the compiled header mutations and the
 * `<stat_prefix>.http_local_rate_limit.*` stats.
 */
import { err, ok, type Result } from '../../../lib/result.ts';
import type { Fraction, LocalRateLimit } from '../../../model/index.ts';
import type { Clock } from '../../../observe/clock.ts';
import { createLocalRateLimitStats, type LocalRateLimitStats, type StatStore } from '../../../observe/stats/index.ts';
import { compileMutationLayer, type HeaderMutationLayer } from '../../http/header-mutations.ts';
import type { DownstreamConnection } from '../../http/request-headers.ts';
import type { HttpStream } from '../../http/http-stream.ts';
import type { Random } from '../../lb/index.ts';
import { checkDescriptors, DescriptorTable } from './descriptors.ts';
import { TokenBucket } from './token-bucket.ts';

/** Envoy refuses a token bucket fill interval under 50 ms. */
export const MIN_FILL_INTERVAL_MS = 50;
const DEFAULT_STATUS = 429;

/** Problems with a LocalRateLimit config, as text (the caller makes Diagnostics of them). */
export function checkLocalRateLimit(c: LocalRateLimit): string[] {
  const problems: string[] = [];
  const tb = c.tokenBucket;
  if (tb !== undefined && tb.fillIntervalMs < MIN_FILL_INTERVAL_MS) {
    problems.push(`local rate limit ${JSON.stringify(c.statPrefix)}: token bucket fill_interval must be >= ${MIN_FILL_INTERVAL_MS}ms`);
  }
  for (const d of c.descriptors ?? []) {
    if (d.tokenBucket.fillIntervalMs < MIN_FILL_INTERVAL_MS) {
      problems.push(`local rate limit ${JSON.stringify(c.statPrefix)}: descriptor token bucket fill_interval must be >= ${MIN_FILL_INTERVAL_MS}ms`);
    }
  }
  for (const p of checkDescriptors(c.descriptors ?? [])) problems.push(`local rate limit ${JSON.stringify(c.statPrefix)}: ${p}`);
  for (const [what, list] of [['response_headers_to_add', c.responseHeadersToAdd], ['request_headers_to_add_when_not_enforced', c.requestHeadersToAddWhenNotEnforced]] as const) {
    const layer = compileMutationLayer(list, []);
    if (!layer.ok) problems.push(`local rate limit ${JSON.stringify(c.statPrefix)}: ${what}: ${layer.error}`);
  }
  return problems;
}

function layerOf(list: LocalRateLimit['responseHeadersToAdd']): HeaderMutationLayer | undefined {
  if (list.length === 0) return undefined;
  const c = compileMutationLayer(list, []);
  return c.ok ? c.value : undefined;
}

/** True for a share `f` of the calls (Envoy's runtime fractional percent check). */
export function fractionHit(f: Fraction, random: Random): boolean {
  return f >= 1 || (f > 0 && random.next() < f);
}

/** The buckets one limiter owns: the default one and one per configured descriptor. */
interface Limiter {
  readonly default: TokenBucket | undefined;
  readonly descriptors: readonly TokenBucket[];
}

export class LocalRateLimitFilterConfig {
  readonly stats: LocalRateLimitStats;
  /** The status of a limited request (Envoy: 429 unless a status >= 400 is configured). */
  readonly status: number;
  readonly filterEnabled: Fraction;
  readonly filterEnforced: Fraction;
  readonly responseHeaders: HeaderMutationLayer | undefined;
  readonly requestHeadersWhenNotEnforced: HeaderMutationLayer | undefined;
  readonly xRateLimitHeaders: boolean;
  readonly #model: LocalRateLimit;
  readonly #clock: Clock;
  readonly #shared: Limiter | undefined;
  readonly #perConnection: WeakMap<DownstreamConnection, Limiter> | undefined;
  readonly #table: DescriptorTable | undefined;
  readonly #alwaysConsumeDefault: boolean;
  /** Per-request scratch: matches per descriptor index (requests are checked one at a time). */
  readonly #matched: Uint8Array;
  /** The bucket the last `allow` reported (Envoy's token bucket context), for x-ratelimit-*. */
  lastBucket: TokenBucket | undefined = undefined;

  private constructor(model: LocalRateLimit, stats: StatStore, clock: Clock) {
    this.#model = model;
    this.#clock = clock;
    this.stats = createLocalRateLimitStats(stats, model.statPrefix);
    this.status = model.status !== undefined && model.status >= 400 ? model.status : DEFAULT_STATUS;
    this.filterEnabled = model.filterEnabled ?? 0;
    this.filterEnforced = model.filterEnforced ?? 0;
    this.responseHeaders = layerOf(model.responseHeadersToAdd);
    this.requestHeadersWhenNotEnforced = layerOf(model.requestHeadersToAddWhenNotEnforced);
    this.xRateLimitHeaders = model.enableXRatelimitHeaders === 'DRAFT_VERSION_03';
    const descriptors = model.descriptors ?? [];
    this.#table = descriptors.length > 0 ? new DescriptorTable(descriptors, model.stage ?? 0) : undefined;
    this.#alwaysConsumeDefault = model.alwaysConsumeDefaultTokenBucket !== false;
    this.#matched = new Uint8Array(descriptors.length);
    const perConnection = model.localRateLimitPerDownstreamConnection === true;
    this.#shared = perConnection ? undefined : this.#newLimiter();
    this.#perConnection = perConnection ? new WeakMap() : undefined;
  }

  /** Builds the config, or the problems that refuse it. */
  static build(model: LocalRateLimit, stats: StatStore, clock: Clock): Result<LocalRateLimitFilterConfig, string[]> {
    const problems = checkLocalRateLimit(model);
    if (problems.length > 0) return err(problems);
    return ok(new LocalRateLimitFilterConfig(model, stats, clock));
  }

  /**
   * Envoy's LocalRateLimiterImpl::requestAllowed: the request's descriptors (from its route's
   * rate_limits) that equal configured ones each take a token from their bucket, most restrictive
   * fill rate first; the request is limited as soon as one is empty. Then the default bucket is
   * consumed too when nothing matched or always_consume_default_token_bucket (default true).
   * No default bucket = allowed. Sets `lastBucket` to the bucket x-ratelimit-* report on.
   */
  allow(s: HttpStream): boolean {
    const limiter = this.#limiterFor(s.conn);
    const table = this.#table;
    let matched = 0;
    let first: TokenBucket | undefined;
    if (table !== undefined && s.route !== undefined) {
      const counts = this.#matched;
      matched = table.match(s, table.rateLimitsFor(s.route), counts);
      if (matched > 0) {
        let allowed = true;
        const order = table.order;
        for (let k = 0; k < order.length; k++) {
          const i = order[k]!;
          let n = counts[i]!;
          if (n === 0) continue;
          counts[i] = 0;
          const b = limiter.descriptors[i]!;
          first ??= b;
          for (; allowed && n > 0; n--) {
            if (!b.consume()) {
              allowed = false;
              this.lastBucket = b;
            }
          }
        }
        if (!allowed) return false;
      }
    }
    if (matched === 0 || this.#alwaysConsumeDefault) {
      this.lastBucket = first ?? limiter.default;
      return limiter.default === undefined || limiter.default.consume();
    }
    this.lastBucket = first;
    return true;
  }

  #limiterFor(conn: DownstreamConnection): Limiter {
    const map = this.#perConnection;
    if (map === undefined) return this.#shared!;
    let l = map.get(conn);
    if (l === undefined) map.set(conn, (l = this.#newLimiter()));
    return l;
  }

  release(): void {
    this.stats.release();
  }

  #newLimiter(): Limiter {
    const tb = this.#model.tokenBucket;
    const bucket = (b: NonNullable<LocalRateLimit['tokenBucket']>): TokenBucket => new TokenBucket(b.maxTokens, b.tokensPerFill ?? 1, b.fillIntervalMs, this.#clock);
    return { default: tb === undefined ? undefined : bucket(tb), descriptors: (this.#model.descriptors ?? []).map((d) => bucket(d.tokenBucket)) };
  }
}
