/**
 * envoy.filters.network.local_ratelimit: a token bucket per filter (per filter chain) on new
 * connections. Each connection takes one token; with none left the connection is closed at once,
 * before the TLS handshake and the terminal filter, and `local_ratelimit.<stat_prefix>.rate_limited`
 * counts it. `runtime_enabled` false turns the filter off.
 */
import type { Socket } from 'node:net';
import type { NetworkLocalRateLimit } from '../../../model/index.ts';
import type { Clock } from '../../../observe/clock.ts';
import { counter, createStatSet, type StatScope, type StatSet, type StatStore } from '../../../observe/stats/index.ts';
import type { NetworkReadFilter } from '../../listener/network-filter.ts';
import { TokenBucket } from '../local-ratelimit/token-bucket.ts';

export const ALL_NETWORK_LOCAL_RATE_LIMIT_STATS = {
  rateLimited: counter('rate_limited'),
} as const;

export class NetworkLocalRateLimitFilter implements NetworkReadFilter {
  readonly name: string;
  readonly stats: StatSet<typeof ALL_NETWORK_LOCAL_RATE_LIMIT_STATS>;
  readonly #scope: StatScope;
  readonly #bucket: TokenBucket | undefined;

  constructor(name: string, config: NetworkLocalRateLimit, store: StatStore, clock: Clock) {
    this.name = name;
    this.#scope = store.scope(`local_ratelimit.${config.statPrefix}`);
    this.stats = createStatSet(this.#scope, ALL_NETWORK_LOCAL_RATE_LIMIT_STATS);
    const tb = config.tokenBucket;
    this.#bucket = config.runtimeEnabled === false ? undefined : new TokenBucket(tb.maxTokens, tb.tokensPerFill ?? 1, tb.fillIntervalMs, clock);
  }

  onNewConnection(socket: Socket): boolean {
    const b = this.#bucket;
    if (b === undefined || b.consume()) return true;
    this.stats.rateLimited.inc();
    socket.destroy();
    return false;
  }

  release(): void {
    this.#scope.release();
  }
}
