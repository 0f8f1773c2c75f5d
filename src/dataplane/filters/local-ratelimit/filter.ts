/**
 * envoy.filters.http.local_ratelimit, per stream. The config in effect is the route's
 * typed_per_filter_config for this filter when there is one, else the HCM's. Envoy's order:
 * filter_enabled decides whether the request is checked at all (`enabled`); a token → `ok`;
 * none → `rate_limited`, and filter_enforced decides whether it is refused (`enforced`, the
 * configured status, body `local_rate_limited`, response_headers_to_add, flag RL) or let through
 * with request_headers_to_add_when_not_enforced.
 *
 * The filter itself keeps no per-stream state, except the bucket a checked request drew from when
 * x-ratelimit headers are on (its `filterState` slot, read back on the response).
 */
import type { LocalRateLimit } from '../../../model/index.ts';
import type { Clock } from '../../../observe/clock.ts';
import { RESPONSE_FLAGS } from '../../../observe/response-flags.ts';
import type { StatStore } from '../../../observe/stats/index.ts';
import type { HeaderList } from '../../http/header-list.ts';
import { applyRequestMutations, applyResponseMutations } from '../../http/header-mutations.ts';
import { FILTER_CONTINUE, FILTER_STOP, type FilterStatus, type HttpFilter } from '../../http/http-filter.ts';
import type { HttpStream } from '../../http/http-stream.ts';
import type { Random } from '../../lb/index.ts';
import { fractionHit, LocalRateLimitFilterConfig } from './config.ts';
import type { TokenBucket } from './token-bucket.ts';

export const LOCAL_RATE_LIMITED_BODY = 'local_rate_limited';

export class LocalRateLimitFilter implements HttpFilter {
  readonly name: string;
  readonly disabledByDefault: boolean;
  readonly config: LocalRateLimitFilterConfig;
  readonly #index: number;
  readonly #random: Random;
  readonly #stats: StatStore;
  readonly #clock: Clock;
  /** Per-route configs, built the first time a route's override is used (they own buckets). */
  readonly #perRoute = new WeakMap<LocalRateLimit, LocalRateLimitFilterConfig>();
  readonly #built: LocalRateLimitFilterConfig[] = [];

  constructor(name: string, disabled: boolean, config: LocalRateLimitFilterConfig, index: number, deps: { random: Random; stats: StatStore; clock: Clock }) {
    this.name = name;
    this.disabledByDefault = disabled;
    this.config = config;
    this.#index = index;
    this.#random = deps.random;
    this.#stats = deps.stats;
    this.#clock = deps.clock;
  }

  decodeHeaders(s: HttpStream): FilterStatus {
    const c = this.#configFor(s);
    if (!fractionHit(c.filterEnabled, this.#random)) return FILTER_CONTINUE;
    c.stats.enabled.inc();
    const allowed = c.allow(s);
    if (c.lastBucket !== undefined && c.xRateLimitHeaders) (s.filterState ??= [])[this.#index] = c.lastBucket;
    if (allowed) {
      c.stats.ok.inc();
      return FILTER_CONTINUE;
    }
    c.stats.rateLimited.inc();
    if (!fractionHit(c.filterEnforced, this.#random)) {
      if (c.requestHeadersWhenNotEnforced !== undefined) applyRequestMutations(c.requestHeadersWhenNotEnforced, s.requestHeaders, s.info);
      return FILTER_CONTINUE;
    }
    c.stats.enforced.inc();
    // Envoy's docs: the filter sets x-envoy-ratelimited on the local reply.
    const headers: HeaderList = ['x-envoy-ratelimited', 'true'];
    if (c.responseHeaders !== undefined) applyResponseMutations(c.responseHeaders, headers, s.info);
    s.sendLocalReply(c.status, LOCAL_RATE_LIMITED_BODY, RESPONSE_FLAGS.RL, LOCAL_RATE_LIMITED_BODY, headers);
    return FILTER_STOP;
  }

  /** x-ratelimit-* (draft 03) on the response of a checked request, when configured. */
  encodeHeaders(s: HttpStream, headers: HeaderList): FilterStatus {
    const state = s.filterState;
    if (state === undefined) return FILTER_CONTINUE;
    const bucket = state[this.#index] as TokenBucket | undefined;
    if (bucket === undefined) return FILTER_CONTINUE;
    headers.push(
      'x-ratelimit-limit',
      String(bucket.maxTokens),
      'x-ratelimit-remaining',
      String(bucket.remaining()),
      'x-ratelimit-reset',
      String(Math.max(0, Math.ceil(bucket.msUntilNextFill() / 1000))),
    );
    return FILTER_CONTINUE;
  }

  release(): void {
    this.config.release();
    for (const c of this.#built) c.release();
    this.#built.length = 0;
  }

  #configFor(s: HttpStream): LocalRateLimitFilterConfig {
    const r = s.route?.perFilterConfig[this.name];
    if (r === undefined || r.kind !== 'localRateLimit') return this.config;
    const model = r.typedConfig;
    let c = this.#perRoute.get(model);
    if (c === undefined) {
      // The route configuration was checked when it was built (checkLocalRateLimit), so this builds.
      const built = LocalRateLimitFilterConfig.build(model, this.#stats, this.#clock);
      if (!built.ok) return this.config;
      c = built.value;
      this.#perRoute.set(model, c);
      this.#built.push(c);
    }
    return c;
  }
}
