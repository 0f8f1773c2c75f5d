/**
 * What a connection pool needs from the rest of the data plane, as small interfaces: the
 * cluster-wide connection limit it asks before opening a connection, the pending budget a request
 * waits against, and the observer that turns connection events into stats. The upstream folder
 * implements them (circuit breakers, host and cluster stats); the pool knows no cluster.
 */
import type { Dispatcher } from 'undici';

export type UpstreamProtocol = 'http1' | 'http2';

/** Receives the life of each connection; implemented by the host (host and cluster stats). */
export interface PoolObserver {
  connected(connectMs: number, protocol: UpstreamProtocol): void;
  connectFailed(timedOut: boolean, error: Error): void;
  /** A connection closed after `lengthMs`; `remote` when the peer closed it. */
  disconnected(lengthMs: number, remote: boolean): void;
  /** A new connection was wanted while the cluster's max_connections was reached (`upstream_cx_overflow`). */
  connectionOverflow(): void;
}

/**
 * The cluster's `max_connections` circuit breaker, shared by the pools of all its hosts. Every
 * connection, connecting, open or draining, holds one unit from creation to close.
 */
export interface ConnectionLimit {
  canCreate(): boolean;
  inc(): void;
  dec(): void;
}

/**
 * The pending-request budget (`max_pending_requests`, per routing priority) a request draws on
 * while it waits for a connection of the pool.
 */
export interface WaitBudget {
  /** Takes a pending slot; false = the budget is spent (it counted the overflow) and the request must not wait. */
  tryWait(): boolean;
  /** The wait ended: dispatched to a connection, cancelled, or failed. */
  endWait(): void;
}

/** A request as the pool takes it: undici's dispatch options and handler in one object. */
export type PoolRequest = Dispatcher.DispatchOptions & Dispatcher.DispatchHandler;

/** Sent to a connection (or failed at once through the handler's onError). */
export const DISPATCHED = 0;
/** Waiting in the pool for a connection; it holds a pending slot until it leaves. */
export const QUEUED = 1;
/** No connection could be had and the pending budget was spent: the caller answers 503 UO. */
export const OVERFLOWED = 2;
export type PoolDispatch = typeof DISPATCHED | typeof QUEUED | typeof OVERFLOWED;
