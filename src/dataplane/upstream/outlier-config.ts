/**
 * OutlierDetection with Envoy's defaults filled in, once per cluster build. Percent fields stay
 * in Envoy's units where the algorithm compares percentages (max_ejection_percent and
 * failure_percentage_threshold: 0–100); the enforcing_* shares stay fractions in [0, 1].
 */
import type { OutlierDetection } from '../../model/index.ts';

export interface ResolvedOutlierDetection {
  readonly consecutive5xx: number;
  readonly intervalMs: number;
  readonly baseEjectionTimeMs: number;
  readonly maxEjectionTimeMs: number;
  readonly maxEjectionTimeJitterMs: number;
  /** 0–100. */
  readonly maxEjectionPercent: number;
  readonly enforcingConsecutive5xx: number;
  readonly enforcingSuccessRate: number;
  readonly successRateMinimumHosts: number;
  readonly successRateRequestVolume: number;
  readonly successRateStdevFactor: number;
  readonly consecutiveGatewayFailure: number;
  readonly enforcingConsecutiveGatewayFailure: number;
  readonly splitExternalLocalOriginErrors: boolean;
  readonly consecutiveLocalOriginFailure: number;
  readonly enforcingConsecutiveLocalOriginFailure: number;
  readonly enforcingLocalOriginSuccessRate: number;
  /** 0–100. */
  readonly failurePercentageThreshold: number;
  readonly enforcingFailurePercentage: number;
  readonly enforcingFailurePercentageLocalOrigin: number;
  readonly failurePercentageMinimumHosts: number;
  readonly failurePercentageRequestVolume: number;
}

export function resolveOutlierDetection(o: OutlierDetection): ResolvedOutlierDetection {
  return {
    consecutive5xx: o.consecutive5xx ?? 5,
    intervalMs: o.intervalMs ?? 10_000,
    baseEjectionTimeMs: o.baseEjectionTimeMs ?? 30_000,
    maxEjectionTimeMs: o.maxEjectionTimeMs ?? 300_000,
    maxEjectionTimeJitterMs: o.maxEjectionTimeJitterMs ?? 0,
    maxEjectionPercent: (o.maxEjectionPercent ?? 0.1) * 100,
    enforcingConsecutive5xx: o.enforcingConsecutive5xx ?? 1,
    enforcingSuccessRate: o.enforcingSuccessRate ?? 1,
    successRateMinimumHosts: o.successRateMinimumHosts ?? 5,
    successRateRequestVolume: o.successRateRequestVolume ?? 100,
    successRateStdevFactor: o.successRateStdevFactor ?? 1900,
    consecutiveGatewayFailure: o.consecutiveGatewayFailure ?? 5,
    enforcingConsecutiveGatewayFailure: o.enforcingConsecutiveGatewayFailure ?? 0,
    splitExternalLocalOriginErrors: o.splitExternalLocalOriginErrors === true,
    consecutiveLocalOriginFailure: o.consecutiveLocalOriginFailure ?? 5,
    enforcingConsecutiveLocalOriginFailure: o.enforcingConsecutiveLocalOriginFailure ?? 1,
    enforcingLocalOriginSuccessRate: o.enforcingLocalOriginSuccessRate ?? 1,
    failurePercentageThreshold: o.failurePercentageThreshold ?? 85,
    enforcingFailurePercentage: o.enforcingFailurePercentage ?? 0,
    enforcingFailurePercentageLocalOrigin: o.enforcingFailurePercentageLocalOrigin ?? 0,
    failurePercentageMinimumHosts: o.failurePercentageMinimumHosts ?? 5,
    failurePercentageRequestVolume: o.failurePercentageRequestVolume ?? 50,
  };
}
