/**
 * The router filter's shared config (Envoy's Router::FilterConfig): built once per HCM from the
 * model's Router message, holding the stats and the randomness it needs per request.
 */
import type { Router } from '../../../model/index.ts';
import { createRouterStats, type RouterStats, type StatStore } from '../../../observe/stats/index.ts';
import type { Random } from '../../lb/index.ts';

export interface RouterFilterConfig {
  /** Add no `x-envoy-*` headers (upstream-service-time, expected-rq-timeout-ms, original-path). */
  readonly suppressEnvoyHeaders: boolean;
  readonly stats: RouterStats;
  readonly random: Random;
}

export function buildRouterFilterConfig(config: Router, statPrefix: string, stats: StatStore, random: Random): RouterFilterConfig {
  return {
    suppressEnvoyHeaders: config.suppressEnvoyHeaders === true,
    stats: createRouterStats(stats, statPrefix),
    random,
  };
}
