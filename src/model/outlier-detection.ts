/**
 * envoy.config.cluster.v3.OutlierDetection: passive ejection of misbehaving hosts. Enforcement
 * percentages are fractions in [0, 1]. Absent fields = Envoy's defaults, written on each.
 */
import type { Fraction } from './common.ts';

export interface OutlierDetection {
  /** Consecutive 5xx before ejection. Default 5. */
  readonly consecutive5xx?: number;
  /** Sweep interval. Default 10000. */
  readonly intervalMs?: number;
  /** Ejection time = base × times ejected. Default 30000. */
  readonly baseEjectionTimeMs?: number;
  /** Default 300000. */
  readonly maxEjectionTimeMs?: number;
  /** Default 0. */
  readonly maxEjectionTimeJitterMs?: number;
  /** Share of hosts that may be ejected at once. Default 0.1 (at least one host is always allowed). */
  readonly maxEjectionPercent?: Fraction;
  /** Default 1. */
  readonly enforcingConsecutive5xx?: Fraction;
  /** Default 1. */
  readonly enforcingSuccessRate?: Fraction;
  /** Default 5. */
  readonly successRateMinimumHosts?: number;
  /** Default 100. */
  readonly successRateRequestVolume?: number;
  /** Stdev factor ×1000. Default 1900. */
  readonly successRateStdevFactor?: number;
  /** Default 5. */
  readonly consecutiveGatewayFailure?: number;
  /** Default 0. */
  readonly enforcingConsecutiveGatewayFailure?: Fraction;
  /** Count connect failures / timeouts apart from HTTP status. Default false. */
  readonly splitExternalLocalOriginErrors?: boolean;
  /** Default 5. */
  readonly consecutiveLocalOriginFailure?: number;
  /** Default 1. */
  readonly enforcingConsecutiveLocalOriginFailure?: Fraction;
  /** Default 1. */
  readonly enforcingLocalOriginSuccessRate?: Fraction;
  /** Failure percentage that ejects (0–100). Default 85. */
  readonly failurePercentageThreshold?: number;
  /** Default 0. */
  readonly enforcingFailurePercentage?: Fraction;
  /** Default 0. */
  readonly enforcingFailurePercentageLocalOrigin?: Fraction;
  /** Default 5. */
  readonly failurePercentageMinimumHosts?: number;
  /** Default 50. */
  readonly failurePercentageRequestVolume?: number;
}
