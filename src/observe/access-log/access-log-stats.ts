/**
 * Stats of the access log sinks, `access_log.*` (Envoy's file sink keeps the same counters under
 * `filesystem.*`). `dropped` counts lines thrown away because a sink fell behind.
 */
import { counter, createStatSet, gauge, type StatSet } from '../stats/stat-set.ts';
import type { StatStore } from '../stats/stat-store.ts';

export const ALL_ACCESS_LOG_STATS = {
  dropped: counter('dropped'),
  writeBuffered: counter('write_buffered'),
  writeCompleted: counter('write_completed'),
  writeFailed: counter('write_failed'),
  flushedByTimer: counter('flushed_by_timer'),
  reopenFailed: counter('reopen_failed'),
  writeTotalBuffered: gauge('write_total_buffered'),
} as const;

export type AccessLogStats = StatSet<typeof ALL_ACCESS_LOG_STATS>;

/** One set per store; every sink of the process shares it. */
export function createAccessLogStats(store: StatStore): AccessLogStats {
  return createStatSet(store.scope('access_log'), ALL_ACCESS_LOG_STATS);
}
