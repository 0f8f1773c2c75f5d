/**
 * A cluster's circuit breakers for one routing priority (Envoy's ResourceManagerImpl): four
 * counted resources (connections, pending requests, requests, retries), each with its limit, its
 * `circuit_breakers.<priority>.*_open` gauge (1 while the limit is reached) and, with
 * track_remaining, its `remaining_*` gauge.
 *
 * Requests are admitted here before they are dispatched to a host's pool: below max_requests a
 * request goes at once; at the limit it waits in the bounded pending queue (max_pending_requests,
 * `upstream_rq_pending_active`) until a running request ends; with the queue full it overflows
 * (the router answers 503 UO with `x-envoy-overloaded: true`; the caller counts
 * `upstream_rq_pending_overflow`, as Envoy does for both overflows). Nothing is allocated per
 * request: a pending request is the router request itself, kept in an insertion-ordered set.
 *
 * max_connections is enforced by the pools of the cluster's hosts (see pool/connection-pool.ts):
 * the DEFAULT priority's `connections` is the one limit all of them share, and a request that
 * waits in a pool for a connection draws on its own priority's pending budget (`WaitBudget`),
 * as Envoy's pending streams do.
 */
import type { CircuitBreakerThresholds, CircuitBreakers } from '../../model/index.ts';
import { effectiveThresholds, thresholdsFor } from '../../model/index.ts';
import type { CircuitBreakerStats, ClusterStats, Gauge } from '../../observe/stats/index.ts';
import type { ConnectionLimit, WaitBudget } from '../pool/connection-pool.ts';

/** One counted resource with its limit and gauges. */
export class ResourceLimit implements ConnectionLimit {
  readonly max: number;
  count = 0;
  readonly #open: Gauge;
  readonly #remaining: Gauge | undefined;

  constructor(max: number, open: Gauge, remaining: Gauge | undefined) {
    this.max = max;
    this.#open = open;
    this.#remaining = remaining;
    remaining?.set(max);
  }

  canCreate(): boolean {
    return this.count < this.max;
  }

  inc(): void {
    this.count++;
    this.#update();
  }

  dec(): void {
    this.count--;
    this.#update();
  }

  #update(): void {
    const full = this.count >= this.max ? 1 : 0;
    if (this.#open.value !== full) this.#open.set(full);
    if (this.#remaining !== undefined) this.#remaining.set(Math.max(0, this.max - this.count));
  }
}

/** A request waiting for a `max_requests` slot. */
export interface PendingRequest {
  /** A slot was taken for it: dispatch now. */
  admitted(): void;
}

export const ADMITTED = 0;
export const PENDING = 1;
export const OVERFLOW = 2;
export type Admission = typeof ADMITTED | typeof PENDING | typeof OVERFLOW;

export class ClusterResources implements WaitBudget {
  readonly connections: ResourceLimit;
  readonly pendingRequests: ResourceLimit;
  readonly requests: ResourceLimit;
  readonly retries: ResourceLimit;
  readonly #stats: ClusterStats;
  readonly #queue = new Set<PendingRequest>();

  constructor(t: CircuitBreakerThresholds | undefined, cb: CircuitBreakerStats, stats: ClusterStats) {
    const e = effectiveThresholds(t);
    this.#stats = stats;
    this.connections = new ResourceLimit(e.maxConnections, cb.cxOpen, cb.remainingCx);
    this.pendingRequests = new ResourceLimit(e.maxPendingRequests, cb.rqPendingOpen, cb.remainingPending);
    this.requests = new ResourceLimit(e.maxRequests, cb.rqOpen, cb.remainingRq);
    this.retries = new ResourceLimit(e.maxRetries, cb.rqRetryOpen, cb.remainingRetries);
  }

  /** Takes a request slot, or queues `r`, or refuses it (the caller answers 503 UO). */
  admit(r: PendingRequest): Admission {
    if (this.requests.canCreate() && this.#queue.size === 0) {
      this.requests.inc();
      return ADMITTED;
    }
    if (!this.pendingRequests.canCreate()) {
      this.#stats.upstreamRqPendingOverflow.inc();
      return OVERFLOW;
    }
    this.pendingRequests.inc();
    this.#stats.upstreamRqPendingTotal.inc();
    this.#stats.upstreamRqPendingActive.inc();
    this.#queue.add(r);
    return PENDING;
  }

  /**
   * WaitBudget: a request admitted here must wait in a host's pool for a connection (the cluster
   * is at max_connections). It takes a pending slot, or overflows.
   */
  tryWait(): boolean {
    if (!this.pendingRequests.canCreate()) {
      this.#stats.upstreamRqPendingOverflow.inc();
      return false;
    }
    this.pendingRequests.inc();
    this.#stats.upstreamRqPendingTotal.inc();
    this.#stats.upstreamRqPendingActive.inc();
    return true;
  }

  /** WaitBudget: the request left the pool's queue. */
  endWait(): void {
    this.pendingRequests.dec();
    this.#stats.upstreamRqPendingActive.dec();
  }

  /** A pending request gave up (timeout, downstream gone). */
  cancelPending(r: PendingRequest): void {
    if (!this.#queue.delete(r)) return;
    this.pendingRequests.dec();
    this.#stats.upstreamRqPendingActive.dec();
  }

  /** A request ended: its slot goes to the oldest pending request, if any. */
  release(): void {
    this.requests.dec();
    while (this.#queue.size > 0 && this.requests.canCreate()) {
      const next: PendingRequest = this.#queue.values().next().value as PendingRequest;
      this.#queue.delete(next);
      this.pendingRequests.dec();
      this.#stats.upstreamRqPendingActive.dec();
      this.requests.inc();
      next.admitted();
    }
  }
}

/** The cluster's resources for DEFAULT and HIGH priority. */
export interface ClusterResourceManagers {
  readonly default: ClusterResources;
  readonly high: ClusterResources;
}

export function buildResourceManagers(cb: CircuitBreakers | undefined, stats: ClusterStats): ClusterResourceManagers {
  return {
    default: new ClusterResources(thresholdsFor(cb, 'DEFAULT'), stats.circuitBreakers.default, stats),
    high: new ClusterResources(thresholdsFor(cb, 'HIGH'), stats.circuitBreakers.high, stats),
  };
}

/** Whether any threshold asks for the `remaining_*` gauges. */
export function tracksRemaining(cb: CircuitBreakers | undefined): boolean {
  return cb?.thresholds.some((t) => t.trackRemaining === true) ?? false;
}
