/**
 * What a stream routes with: the route table and the clusters it resolves names against, from the
 * runtime that was current when the stream started. A connection manager reads its provider's
 * `current` once per stream; a snapshot swap replaces `current` (never the objects inside), so a
 * stream keeps the table and clusters it started with.
 */
import type { RouteEntry, RouteTable } from '../routing/index.ts';
import type { HeaderMutationLayer } from './header-mutations.ts';

/** The upstream side as the router sees it; opaque to the connection manager. */
export interface UpstreamLookup {
  /** A cluster by name (undefined → 503 NC). */
  cluster(name: string): unknown;
}

/** A route's header mutation layers compiled, in evaluation order. */
export interface RouteMutations {
  readonly request: readonly HeaderMutationLayer[];
  readonly response: readonly HeaderMutationLayer[];
}

/** What a route needs at request time beyond its RouteEntry, compiled with the snapshot. */
export interface RouteExtras {
  /** The route, virtual host and route configuration header mutations. */
  readonly mutations: RouteMutations | undefined;
  /** A weighted_clusters entry's own mutations, by the entry (ClusterWeight) object. */
  readonly weighted: ReadonlyMap<object, RouteMutations> | undefined;
  /** A direct_response body, read once. */
  readonly directBody: string | undefined;
}

export interface RouteSnapshot {
  readonly table: RouteTable;
  readonly upstream: UpstreamLookup;
  /** Only routes that have extras have an entry. */
  readonly extras: ReadonlyMap<RouteEntry, RouteExtras>;
}

export interface RouteProvider {
  current: RouteSnapshot;
}
