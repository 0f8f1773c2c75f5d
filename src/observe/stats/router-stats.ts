/**
 * The router filter's stats under `http.<stat_prefix>.` (Envoy's ALL_ROUTER_STATS): the counters
 * behind the router's local replies (`no_route` → 404 NR, `no_cluster` → 503 NC, ...).
 */
import { counter, createStatSet, type StatSet } from './stat-set.ts';
import type { StatStore } from './stat-store.ts';

export const ALL_ROUTER_STATS = {
  noRoute: counter('no_route'),
  noCluster: counter('no_cluster'),
  rqRedirect: counter('rq_redirect'),
  rqDirectResponse: counter('rq_direct_response'),
  rqTotal: counter('rq_total'),
  rqResetAfterDownstreamResponseStarted: counter('rq_reset_after_downstream_response_started'),
  passthroughInternalRedirectBadLocation: counter('passthrough_internal_redirect_bad_location'),
  passthroughInternalRedirectUnsafeScheme: counter('passthrough_internal_redirect_unsafe_scheme'),
  passthroughInternalRedirectTooManyRedirects: counter('passthrough_internal_redirect_too_many_redirects'),
  passthroughInternalRedirectNoRoute: counter('passthrough_internal_redirect_no_route'),
  passthroughInternalRedirectPredicate: counter('passthrough_internal_redirect_predicate'),
} as const;

export interface RouterStats extends StatSet<typeof ALL_ROUTER_STATS> {
  release(): void;
}

export function createRouterStats(store: StatStore, hcmStatPrefix: string): RouterStats {
  const scope = store.scope(`http.${hcmStatPrefix}`);
  return { ...createStatSet(scope, ALL_ROUTER_STATS), release: () => scope.release() };
}
