/**
 * What a load balancer sees of a host, and what it offers. The upstream's host objects satisfy
 * `LbHost` directly (getters over live state), so the balancer never copies them.
 */

/** The minimal host view a balancer needs. */
export interface LbHost {
  /** load_balancing_weight, ≥ 1. */
  readonly weight: number;
  /** Passes health checks and is not ejected by outlier detection. */
  readonly healthy: boolean;
  /** Requests in flight to this host now (read at pick time). */
  readonly activeRequests: number;
  /**
   * What RING_HASH and MAGLEV hash to place the host: its address (`ip:port`), or its hostname;
   * stable across snapshots so keys keep their host when others come and go.
   */
  readonly hashKey: string;
}

/** Per-pick input from the router. */
export interface LoadBalancerContext {
  /** The request's hash (the route's hash_policy); absent = pick as if at random. */
  readonly hashKey?: number;
}

export interface LoadBalancer<H extends LbHost> {
  /** A host for the next request, or undefined when there is none to use (→ 503 UH). */
  pick(context?: LoadBalancerContext): H | undefined;
  /**
   * Re-reads the hosts' `healthy` and `weight` and rebuilds what depends on them. The upstream
   * calls it after a health check or outlier detection changes a host; `activeRequests` needs no
   * refresh (it is read at each pick).
   */
  refresh(): void;
  /** Replaces the hosts (e.g. an EDS update): `hostsByPriority[p]` are the hosts of priority p. */
  setHosts(hostsByPriority: readonly (readonly H[])[]): void;
}
