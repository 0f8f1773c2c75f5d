/**
 * The local rate limit filter's shared config (Envoy's FilterConfig in local_ratelimit.cc): built
 * once from the model's LocalRateLimit, for the HCM's filter or for one route's
 * typed_per_filter_config. It owns the token bucket (one shared, or one per downstream connection
 * when local_rate_limit_per_downstream_connection is set), the compiled header mutations and the
 * `<stat_prefix>.http_local_rate_limit.*` stats.
 */
import { err, ok, type Result } from '../../../lib/result.ts';
import type { Fraction, LocalRateLimit } from '../../../model/index.ts';
import type { Clock } from '../../../observe/clock.ts';
import { createLocalRateLimitStats, type LocalRateLimitStats, type StatStore } from '../../../observe/stats/index.ts';
import { compileMutationLayer, type HeaderMutationLayer } from '../../http/header-mutations.ts';
import type { DownstreamConnection } from '../../http/request-headers.ts';
import type { Random } from '../../lb/index.ts';
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
  readonly #shared: TokenBucket | undefined;
  readonly #perConnection: WeakMap<DownstreamConnection, TokenBucket> | undefined;

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
    const perConnection = model.localRateLimitPerDownstreamConnection === true;
    this.#shared = perConnection ? undefined : this.#newBucket();
    this.#perConnection = perConnection && model.tokenBucket !== undefined ? new WeakMap() : undefined;
  }

  /** Builds the config, or the problems that refuse it. */
  static build(model: LocalRateLimit, stats: StatStore, clock: Clock): Result<LocalRateLimitFilterConfig, string[]> {
    const problems = checkLocalRateLimit(model);
    if (problems.length > 0) return err(problems);
    return ok(new LocalRateLimitFilterConfig(model, stats, clock));
  }

  /** The bucket this connection's requests draw from; undefined = no token bucket (all allowed). */
  bucketFor(conn: DownstreamConnection): TokenBucket | undefined {
    const map = this.#perConnection;
    if (map === undefined) return this.#shared;
    let b = map.get(conn);
    if (b === undefined) {
      b = this.#newBucket();
      if (b !== undefined) map.set(conn, b);
    }
    return b;
  }

  release(): void {
    this.stats.release();
  }

  #newBucket(): TokenBucket | undefined {
    const tb = this.#model.tokenBucket;
    if (tb === undefined) return undefined;
    return new TokenBucket(tb.maxTokens, tb.tokensPerFill ?? 1, tb.fillIntervalMs, this.#clock);
  }
}
