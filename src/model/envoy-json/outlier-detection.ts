/**
 * envoy.config.cluster.v3.OutlierDetection. The model's enforcement shares are fractions; Envoy's
 * are UInt32Value percentages (0–100).
 */
import type { OutlierDetection } from '../outlier-detection.ts';
import { durationOf, flag, noOtherFields, obj, uint32Percent, type JsonObject } from './json.ts';

export function encodeOutlierDetection(o: OutlierDetection): JsonObject {
  const { consecutive5xx, intervalMs, baseEjectionTimeMs, maxEjectionTimeMs, maxEjectionTimeJitterMs, maxEjectionPercent, ...a } = o;
  const { enforcingConsecutive5xx, enforcingSuccessRate, successRateMinimumHosts, successRateRequestVolume, successRateStdevFactor, ...b } = a;
  const { consecutiveGatewayFailure, enforcingConsecutiveGatewayFailure, splitExternalLocalOriginErrors, consecutiveLocalOriginFailure, ...c } = b;
  const { enforcingConsecutiveLocalOriginFailure, enforcingLocalOriginSuccessRate, failurePercentageThreshold, enforcingFailurePercentage, ...d } = c;
  const { enforcingFailurePercentageLocalOrigin, failurePercentageMinimumHosts, failurePercentageRequestVolume, ...rest } = d;
  noOtherFields(rest);
  return obj({
    consecutive_5xx: consecutive5xx,
    interval: durationOf(intervalMs),
    base_ejection_time: durationOf(baseEjectionTimeMs),
    max_ejection_percent: uint32Percent(maxEjectionPercent),
    enforcing_consecutive_5xx: uint32Percent(enforcingConsecutive5xx),
    enforcing_success_rate: uint32Percent(enforcingSuccessRate),
    success_rate_minimum_hosts: successRateMinimumHosts,
    success_rate_request_volume: successRateRequestVolume,
    success_rate_stdev_factor: successRateStdevFactor,
    consecutive_gateway_failure: consecutiveGatewayFailure,
    enforcing_consecutive_gateway_failure: uint32Percent(enforcingConsecutiveGatewayFailure),
    split_external_local_origin_errors: flag(splitExternalLocalOriginErrors),
    consecutive_local_origin_failure: consecutiveLocalOriginFailure,
    enforcing_consecutive_local_origin_failure: uint32Percent(enforcingConsecutiveLocalOriginFailure),
    enforcing_local_origin_success_rate: uint32Percent(enforcingLocalOriginSuccessRate),
    failure_percentage_threshold: failurePercentageThreshold,
    enforcing_failure_percentage: uint32Percent(enforcingFailurePercentage),
    enforcing_failure_percentage_local_origin: uint32Percent(enforcingFailurePercentageLocalOrigin),
    failure_percentage_minimum_hosts: failurePercentageMinimumHosts,
    failure_percentage_request_volume: failurePercentageRequestVolume,
    max_ejection_time: durationOf(maxEjectionTimeMs),
    max_ejection_time_jitter: durationOf(maxEjectionTimeJitterMs),
  });
}
