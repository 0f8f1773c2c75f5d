/**
 * Process-wide stats: `server.*`, `cluster_manager.*` and `listener_manager.*`, Envoy's names. The
 * runtime updates them when it swaps snapshots; the server wiring updates `server.*`.
 */
import { counter, createStatSet, gauge, type StatSet } from './stat-set.ts';
import type { StatStore } from './stat-store.ts';

export const ALL_SERVER_STATS = {
  live: gauge('live'),
  state: gauge('state'),
  uptime: gauge('uptime'),
  concurrency: gauge('concurrency'),
  memoryAllocated: gauge('memory_allocated'),
  memoryHeapSize: gauge('memory_heap_size'),
  memoryPhysicalSize: gauge('memory_physical_size'),
  totalConnections: gauge('total_connections'),
  daysUntilFirstCertExpiring: gauge('days_until_first_cert_expiring'),
  debugAssertionFailures: counter('debug_assertion_failures'),
  envoyBugFailures: counter('envoy_bug_failures'),
} as const;

export const ALL_CLUSTER_MANAGER_STATS = {
  clusterAdded: counter('cluster_added'),
  clusterModified: counter('cluster_modified'),
  clusterRemoved: counter('cluster_removed'),
  clusterUpdated: counter('cluster_updated'),
  clusterUpdatedViaMerge: counter('cluster_updated_via_merge'),
  updateMergeCancelled: counter('update_merge_cancelled'),
  updateOutOfMergeWindow: counter('update_out_of_merge_window'),
  activeClusters: gauge('active_clusters'),
  warmingClusters: gauge('warming_clusters'),
} as const;

export const ALL_LISTENER_MANAGER_STATS = {
  listenerAdded: counter('listener_added'),
  listenerModified: counter('listener_modified'),
  listenerRemoved: counter('listener_removed'),
  listenerStopped: counter('listener_stopped'),
  listenerCreateSuccess: counter('listener_create_success'),
  listenerCreateFailure: counter('listener_create_failure'),
  listenerInPlaceUpdated: counter('listener_in_place_updated'),
  totalFilterChainsDraining: gauge('total_filter_chains_draining'),
  totalListenersWarming: gauge('total_listeners_warming'),
  totalListenersActive: gauge('total_listeners_active'),
  totalListenersDraining: gauge('total_listeners_draining'),
  workersStarted: gauge('workers_started'),
} as const;

export type ServerStats = StatSet<typeof ALL_SERVER_STATS>;
export type ClusterManagerStats = StatSet<typeof ALL_CLUSTER_MANAGER_STATS>;
export type ListenerManagerStats = StatSet<typeof ALL_LISTENER_MANAGER_STATS>;

/** These live as long as the process, so their scopes are never released. */
export function createServerStats(store: StatStore): ServerStats {
  return createStatSet(store.scope('server'), ALL_SERVER_STATS);
}

export function createClusterManagerStats(store: StatStore): ClusterManagerStats {
  return createStatSet(store.scope('cluster_manager'), ALL_CLUSTER_MANAGER_STATS);
}

export function createListenerManagerStats(store: StatStore): ListenerManagerStats {
  return createStatSet(store.scope('listener_manager'), ALL_LISTENER_MANAGER_STATS);
}
