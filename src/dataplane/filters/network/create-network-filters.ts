/**
 * Builds a filter chain's network read filters (every filter but the terminal one) from the
 * model, once per listener build. Problems come back as text for the runtime's Diagnostics.
 */
import { assertNever } from '../../../lib/assert-never.ts';
import { err, ok, type Result } from '../../../lib/result.ts';
import type { NetworkFilter } from '../../../model/index.ts';
import type { Clock } from '../../../observe/clock.ts';
import type { StatStore } from '../../../observe/stats/index.ts';
import type { NetworkReadFilter } from '../../listener/network-filter.ts';
import { MIN_FILL_INTERVAL_MS } from '../local-ratelimit/config.ts';
import { ConnectionLimitFilter } from './connection-limit.ts';
import { NetworkLocalRateLimitFilter } from './network-local-rate-limit.ts';

export function createNetworkFilters(models: readonly NetworkFilter[], stats: StatStore, clock: Clock): Result<NetworkReadFilter[], string[]> {
  const problems: string[] = [];
  const specs: (() => NetworkReadFilter)[] = [];
  for (const m of models) {
    switch (m.kind) {
      case 'localRateLimit': {
        const c = m.typedConfig;
        if (c.tokenBucket.fillIntervalMs < MIN_FILL_INTERVAL_MS) problems.push(`network filter ${m.name}: token bucket fill_interval must be >= ${MIN_FILL_INTERVAL_MS}ms`);
        specs.push(() => new NetworkLocalRateLimitFilter(m.name, c, stats, clock));
        break;
      }
      case 'connectionLimit': {
        const c = m.typedConfig;
        if (!(c.maxConnections >= 1)) problems.push(`network filter ${m.name}: max_connections must be at least 1`);
        specs.push(() => new ConnectionLimitFilter(m.name, c, stats));
        break;
      }
      case 'httpConnectionManager':
      case 'tcpProxy':
        problems.push(`network filter ${m.name} (${m.kind}) is a terminal filter and must be the last in the chain`);
        break;
      default:
        assertNever(m, 'network filter kind');
    }
  }
  if (problems.length > 0) return err(problems);
  return ok(specs.map((make) => make()));
}
