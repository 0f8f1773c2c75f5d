/**
 * Per-host stats, Envoy's HOST_STATS: plain number fields (Envoy keeps these as "primitive"
 * stats outside the store too). They appear in /clusters, not in /stats.
 */
export class HostStats {
  /** Counters. */
  cxConnectFail = 0;
  cxTotal = 0;
  rqError = 0;
  rqSuccess = 0;
  rqTimeout = 0;
  rqTotal = 0;
  /** Gauges. */
  cxActive = 0;
  rqActive = 0;
}

/** Counter names then gauge names, in Envoy's declaration order (the /clusters JSON order). */
export const HOST_COUNTER_NAMES = ['cx_connect_fail', 'cx_total', 'rq_error', 'rq_success', 'rq_timeout', 'rq_total'] as const;
export const HOST_GAUGE_NAMES = ['cx_active', 'rq_active'] as const;

export type HostStatName = (typeof HOST_COUNTER_NAMES)[number] | (typeof HOST_GAUGE_NAMES)[number];

export interface HostStatsView {
  readonly cxConnectFail: number;
  readonly cxTotal: number;
  readonly rqError: number;
  readonly rqSuccess: number;
  readonly rqTimeout: number;
  readonly rqTotal: number;
  readonly cxActive: number;
  readonly rqActive: number;
}

export function hostStatValue(stats: HostStatsView, name: HostStatName): number {
  switch (name) {
    case 'cx_connect_fail':
      return stats.cxConnectFail;
    case 'cx_total':
      return stats.cxTotal;
    case 'rq_error':
      return stats.rqError;
    case 'rq_success':
      return stats.rqSuccess;
    case 'rq_timeout':
      return stats.rqTimeout;
    case 'rq_total':
      return stats.rqTotal;
    case 'cx_active':
      return stats.cxActive;
    case 'rq_active':
      return stats.rqActive;
  }
}
