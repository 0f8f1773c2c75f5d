/**
 * envoy.config.cluster.v3.Cluster with its load-balancer settings, circuit breakers, outlier
 * detection, health checks, HTTP protocol options (as the typed extension, not the deprecated
 * per-cluster fields) and upstream TLS. An EDS cluster fetches its endpoints over ADS.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { CircuitBreakerThresholds, CircuitBreakers, RetryBudget } from '../circuit-breakers.ts';
import type { Cluster, CommonLbConfig, LbConfig, SlowStartConfig } from '../cluster.ts';
import { ADS_CONFIG_SOURCE, ENVOY_TYPES, sourcesMetadata, typed } from './any.ts';
import { encodeClusterLoadAssignment } from './endpoint.ts';
import { encodeHealthCheck } from './health-check.ts';
import { durationOf, enumName, flag, int64, list, noOtherFields, obj, percent, runtimeValue, str, type JsonObject } from './json.ts';
import { encodeOutlierDetection } from './outlier-detection.ts';
import { encodeUpstreamHttpProtocolOptions } from './protocol-options.ts';
import { upstreamTransportSocket } from './tls.ts';

function encodeSlowStart(s: SlowStartConfig): JsonObject {
  const { slowStartWindowMs, aggression, minWeightPercent, ...rest } = s;
  noOtherFields(rest);
  return obj({
    slow_start_window: durationOf(slowStartWindowMs),
    aggression: aggression === undefined ? undefined : runtimeValue(aggression, 'slow_start.aggression'),
    min_weight_percent: percent(minWeightPercent),
  });
}

const optionalInt64 = (v: number | undefined): string | undefined => (v === undefined ? undefined : int64(v));

/** Cluster.lb_config (a oneof). */
function encodeLbConfig(c: LbConfig): JsonObject {
  switch (c.kind) {
    case 'ringHashLbConfig': {
      const { minimumRingSize, maximumRingSize, hashFunction, ...rest } = c.ringHashLbConfig;
      noOtherFields(rest);
      return {
        ring_hash_lb_config: obj({
          minimum_ring_size: optionalInt64(minimumRingSize),
          hash_function: enumName(hashFunction, 'XX_HASH'),
          maximum_ring_size: optionalInt64(maximumRingSize),
        }),
      };
    }
    case 'maglevLbConfig': {
      const { tableSize, ...rest } = c.maglevLbConfig;
      noOtherFields(rest);
      return { maglev_lb_config: obj({ table_size: optionalInt64(tableSize) }) };
    }
    case 'leastRequestLbConfig': {
      const { choiceCount, activeRequestBias, ...rest } = c.leastRequestLbConfig;
      noOtherFields(rest);
      const bias = activeRequestBias === undefined ? undefined : runtimeValue(activeRequestBias, 'least_request.active_request_bias');
      return { least_request_lb_config: obj({ choice_count: choiceCount, active_request_bias: bias }) };
    }
    case 'roundRobinLbConfig': {
      const { slowStartConfig, ...rest } = c.roundRobinLbConfig;
      noOtherFields(rest);
      return { round_robin_lb_config: obj({ slow_start_config: slowStartConfig ? encodeSlowStart(slowStartConfig) : undefined }) };
    }
    default:
      return assertNever(c, 'lb config kind');
  }
}

function encodeRetryBudget(b: RetryBudget): JsonObject {
  const { budgetPercent, minRetryConcurrency, ...rest } = b;
  noOtherFields(rest);
  return obj({ budget_percent: percent(budgetPercent), min_retry_concurrency: minRetryConcurrency });
}

function encodeThresholds(t: CircuitBreakerThresholds): JsonObject {
  const { priority, maxConnections, maxPendingRequests, maxRequests, maxRetries, retryBudget, trackRemaining, ...rest } = t;
  noOtherFields(rest);
  return obj({
    priority: enumName(priority, 'DEFAULT'),
    max_connections: maxConnections,
    max_pending_requests: maxPendingRequests,
    max_requests: maxRequests,
    max_retries: maxRetries,
    retry_budget: retryBudget ? encodeRetryBudget(retryBudget) : undefined,
    track_remaining: flag(trackRemaining),
  });
}

function encodeCircuitBreakers(c: CircuitBreakers): JsonObject {
  const { thresholds, ...rest } = c;
  noOtherFields(rest);
  return obj({ thresholds: list(thresholds, encodeThresholds) });
}

function encodeCommonLbConfig(c: CommonLbConfig): JsonObject {
  const { healthyPanicThreshold, ...rest } = c;
  noOtherFields(rest);
  return obj({ healthy_panic_threshold: percent(healthyPanicThreshold) });
}

function encodeEdsClusterConfig(e: NonNullable<Cluster['edsClusterConfig']>): JsonObject {
  const { serviceName, ...rest } = e;
  noOtherFields(rest);
  return obj({ eds_config: ADS_CONFIG_SOURCE, service_name: str(serviceName) });
}

export function encodeCluster(c: Cluster): JsonObject {
  const { name, altStatName, type, edsClusterConfig, loadAssignment, connectTimeoutMs, lbPolicy, lbConfig, commonLbConfig, ...more } = c;
  const { dnsLookupFamily, dnsRefreshRateMs, respectDnsTtl, circuitBreakers, outlierDetection, healthChecks, httpProtocolOptions, ...more2 } = more;
  const { transportSocket, perConnectionBufferLimitBytes, closeConnectionsOnHostHealthFailure, sources, ...rest } = more2;
  noOtherFields(rest);
  return obj({
    name: str(name),
    alt_stat_name: str(altStatName),
    // A oneof member (cluster_discovery_type): printed even when STATIC.
    type,
    eds_cluster_config: edsClusterConfig ? encodeEdsClusterConfig(edsClusterConfig) : undefined,
    connect_timeout: durationOf(connectTimeoutMs),
    per_connection_buffer_limit_bytes: perConnectionBufferLimitBytes,
    lb_policy: enumName(lbPolicy, 'ROUND_ROBIN'),
    load_assignment: loadAssignment ? encodeClusterLoadAssignment(loadAssignment) : undefined,
    health_checks: list(healthChecks, encodeHealthCheck),
    circuit_breakers: circuitBreakers ? encodeCircuitBreakers(circuitBreakers) : undefined,
    typed_extension_protocol_options: httpProtocolOptions
      ? { [ENVOY_TYPES.upstreamHttpProtocolOptions]: typed(ENVOY_TYPES.upstreamHttpProtocolOptions, encodeUpstreamHttpProtocolOptions(httpProtocolOptions)) }
      : undefined,
    dns_refresh_rate: durationOf(dnsRefreshRateMs),
    respect_dns_ttl: flag(respectDnsTtl),
    dns_lookup_family: enumName(dnsLookupFamily, 'AUTO'),
    outlier_detection: outlierDetection ? encodeOutlierDetection(outlierDetection) : undefined,
    ...(lbConfig ? encodeLbConfig(lbConfig) : {}),
    common_lb_config: commonLbConfig ? encodeCommonLbConfig(commonLbConfig) : undefined,
    transport_socket: transportSocket ? upstreamTransportSocket(transportSocket) : undefined,
    metadata: sourcesMetadata(sources),
    close_connections_on_host_health_failure: flag(closeConnectionsOnHostHealthFailure),
  });
}
