/** envoy.config.core.v3.HealthCheck. */
import { assertNever } from '../../lib/assert-never.ts';
import type { HealthCheck, HealthChecker, HealthCheckPayload, HttpHealthCheck } from '../health-check.ts';
import { encodeHeaderValueOptions, encodeInt64Range } from './common.ts';
import { duration, durationOf, enumName, flag, list, noOtherFields, num, obj, str, strings, type JsonObject } from './json.ts';
import { encodeStringMatcher } from './matchers.ts';

/** HealthCheck.Payload (a oneof: printed even when empty). */
function encodePayload(p: HealthCheckPayload): JsonObject {
  switch (p.kind) {
    case 'text':
      return { text: p.text };
    case 'binary':
      return { binary: p.binary };
    default:
      return assertNever(p, 'health check payload kind');
  }
}

function encodeHttpHealthCheck(h: HttpHealthCheck): JsonObject {
  const { host, path, expectedStatuses, retriableStatuses, requestHeadersToAdd, requestHeadersToRemove, codecClientType, method, serviceNameMatcher, ...rest } = h;
  noOtherFields(rest);
  return obj({
    host: str(host),
    path: str(path),
    request_headers_to_add: encodeHeaderValueOptions(requestHeadersToAdd),
    request_headers_to_remove: strings(requestHeadersToRemove),
    expected_statuses: list(expectedStatuses, encodeInt64Range),
    retriable_statuses: list(retriableStatuses, encodeInt64Range),
    codec_client_type: enumName(codecClientType, 'HTTP1'),
    service_name_matcher: serviceNameMatcher ? encodeStringMatcher(serviceNameMatcher) : undefined,
    method: enumName(method, 'METHOD_UNSPECIFIED'),
  });
}

function encodeHealthChecker(c: HealthChecker): JsonObject {
  switch (c.kind) {
    case 'httpHealthCheck':
      return { http_health_check: encodeHttpHealthCheck(c.httpHealthCheck) };
    case 'tcpHealthCheck': {
      const { send, receive, ...rest } = c.tcpHealthCheck;
      noOtherFields(rest);
      return { tcp_health_check: obj({ send: send ? encodePayload(send) : undefined, receive: list(receive, encodePayload) }) };
    }
    case 'grpcHealthCheck': {
      const { serviceName, authority, ...rest } = c.grpcHealthCheck;
      noOtherFields(rest);
      return { grpc_health_check: obj({ service_name: str(serviceName), authority: str(authority) }) };
    }
    default:
      return assertNever(c, 'health checker kind');
  }
}

export function encodeHealthCheck(h: HealthCheck): JsonObject {
  const { timeoutMs, intervalMs, initialJitterMs, intervalJitterMs, intervalJitterPercent, unhealthyThreshold, healthyThreshold, ...more } = h;
  const { noTrafficIntervalMs, noTrafficHealthyIntervalMs, unhealthyIntervalMs, unhealthyEdgeIntervalMs, healthyEdgeIntervalMs, reuseConnection, alwaysLogHealthCheckFailures, healthChecker, ...rest } = more;
  noOtherFields(rest);
  return obj({
    timeout: duration(timeoutMs),
    interval: duration(intervalMs),
    initial_jitter: durationOf(initialJitterMs),
    interval_jitter: durationOf(intervalJitterMs),
    interval_jitter_percent: num(intervalJitterPercent),
    unhealthy_threshold: unhealthyThreshold,
    healthy_threshold: healthyThreshold,
    reuse_connection: reuseConnection,
    ...encodeHealthChecker(healthChecker),
    no_traffic_interval: durationOf(noTrafficIntervalMs),
    no_traffic_healthy_interval: durationOf(noTrafficHealthyIntervalMs),
    unhealthy_interval: durationOf(unhealthyIntervalMs),
    unhealthy_edge_interval: durationOf(unhealthyEdgeIntervalMs),
    healthy_edge_interval: durationOf(healthyEdgeIntervalMs),
    always_log_health_check_failures: flag(alwaysLogHealthCheckFailures),
  });
}
