/**
 * HTTP filters (router, local_ratelimit, fault) as `http_filters` entries, and their per-route
 * forms as `typed_per_filter_config` values.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { Fault, FaultAbort, FaultDelay, FaultRateLimit, HttpFilter, LocalRateLimit, PerFilterConfig, PerFilterConfigs, Router } from '../http-filters.ts';
import { ENVOY_TYPES, typed } from './any.ts';
import { encodeHeaderValueOptions, encodeTokenBucket } from './common.ts';
import { STATUS_CODE_NAMES } from './http-status.ts';
import { duration, enumName, flag, fractionalPercent, int64, list, noOtherFields, num, obj, runtimeFractionalPercent, str, strings, type JsonObject } from './json.ts';
import { encodeHeaderMatchers } from './matchers.ts';
import { encodeLocalRateLimitDescriptor } from './rate-limit.ts';

export function encodeRouter(r: Router): JsonObject {
  const { suppressEnvoyHeaders, dynamicStats, ...rest } = r;
  noOtherFields(rest);
  return obj({ dynamic_stats: dynamicStats, suppress_envoy_headers: flag(suppressEnvoyHeaders) });
}

/** envoy.type.v3.HttpStatus: the StatusCode enum's name (its number when Envoy names none). */
function httpStatus(code: number): JsonObject {
  return { code: STATUS_CODE_NAMES[code] ?? code };
}

export function encodeLocalRateLimit(l: LocalRateLimit): JsonObject {
  const { statPrefix, status, tokenBucket, filterEnabled, filterEnforced, requestHeadersToAddWhenNotEnforced, responseHeadersToAdd, ...more } = l;
  const { localRateLimitPerDownstreamConnection, enableXRatelimitHeaders, descriptors, stage, alwaysConsumeDefaultTokenBucket, ...rest } = more;
  noOtherFields(rest);
  return obj({
    stat_prefix: str(statPrefix),
    status: status === undefined ? undefined : httpStatus(status),
    token_bucket: tokenBucket ? encodeTokenBucket(tokenBucket) : undefined,
    filter_enabled: filterEnabled === undefined ? undefined : runtimeFractionalPercent(filterEnabled),
    filter_enforced: filterEnforced === undefined ? undefined : runtimeFractionalPercent(filterEnforced),
    request_headers_to_add_when_not_enforced: encodeHeaderValueOptions(requestHeadersToAddWhenNotEnforced),
    response_headers_to_add: encodeHeaderValueOptions(responseHeadersToAdd),
    local_rate_limit_per_downstream_connection: flag(localRateLimitPerDownstreamConnection),
    enable_x_ratelimit_headers: enumName(enableXRatelimitHeaders, 'OFF'),
    descriptors: descriptors === undefined ? undefined : list(descriptors, encodeLocalRateLimitDescriptor),
    stage: num(stage),
    always_consume_default_token_bucket: alwaysConsumeDefaultTokenBucket,
  });
}

function percentage(f: number | undefined): JsonObject | undefined {
  return f === undefined ? undefined : fractionalPercent(f);
}

/** envoy.extensions.filters.common.fault.v3.FaultDelay (oneof `fault_delay_secifier`, Envoy's spelling). */
function encodeFaultDelay(d: FaultDelay): JsonObject {
  const { faultDelaySpecifier: spec, percentage: p, ...rest } = d;
  noOtherFields(rest);
  switch (spec.kind) {
    case 'fixedDelay':
      return obj({ fixed_delay: duration(spec.fixedDelayMs), percentage: percentage(p) });
    case 'headerDelay':
      return obj({ header_delay: {}, percentage: percentage(p) });
    default:
      return assertNever(spec, 'fault delay kind');
  }
}

function encodeFaultAbort(a: FaultAbort): JsonObject {
  const { errorType: e, percentage: p, ...rest } = a;
  noOtherFields(rest);
  switch (e.kind) {
    case 'httpStatus':
      return obj({ http_status: e.httpStatus, percentage: percentage(p) });
    case 'grpcStatus':
      return obj({ grpc_status: e.grpcStatus, percentage: percentage(p) });
    case 'headerAbort':
      return obj({ header_abort: {}, percentage: percentage(p) });
    default:
      return assertNever(e, 'fault abort kind');
  }
}

function encodeFaultRateLimit(r: FaultRateLimit): JsonObject {
  const { limitType: l, percentage: p, ...rest } = r;
  noOtherFields(rest);
  switch (l.kind) {
    case 'fixedLimit':
      // limit_kbps is a uint64.
      return obj({ fixed_limit: { limit_kbps: int64(l.limitKbps) }, percentage: percentage(p) });
    case 'headerLimit':
      return obj({ header_limit: {}, percentage: percentage(p) });
    default:
      return assertNever(l, 'fault rate limit kind');
  }
}

/** envoy.extensions.filters.http.fault.v3.HTTPFault. */
export function encodeFault(f: Fault): JsonObject {
  const { delay, abort, upstreamCluster, headers, downstreamNodes, maxActiveFaults, responseRateLimit, ...rest } = f;
  noOtherFields(rest);
  return obj({
    delay: delay ? encodeFaultDelay(delay) : undefined,
    abort: abort ? encodeFaultAbort(abort) : undefined,
    upstream_cluster: str(upstreamCluster),
    headers: encodeHeaderMatchers(headers),
    downstream_nodes: strings(downstreamNodes),
    max_active_faults: maxActiveFaults,
    response_rate_limit: responseRateLimit ? encodeFaultRateLimit(responseRateLimit) : undefined,
  });
}

/** The filter's typed config as an `Any`. */
function filterTypedConfig(f: HttpFilter): JsonObject {
  switch (f.kind) {
    case 'router':
      return typed(ENVOY_TYPES.router, encodeRouter(f.typedConfig));
    case 'localRateLimit':
      return typed(ENVOY_TYPES.httpLocalRateLimit, encodeLocalRateLimit(f.typedConfig));
    case 'fault':
      return typed(ENVOY_TYPES.fault, encodeFault(f.typedConfig));
    default:
      return assertNever(f, 'HTTP filter kind');
  }
}

/** envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter. */
export function encodeHttpFilter(f: HttpFilter): JsonObject {
  const { kind: _kind, typedConfig: _typedConfig, name, disabled, ...rest } = f;
  noOtherFields(rest);
  return obj({ name: str(name), typed_config: filterTypedConfig(f), disabled: flag(disabled) });
}

function encodePerFilterConfig(c: PerFilterConfig): JsonObject {
  switch (c.kind) {
    case 'localRateLimit':
      return typed(ENVOY_TYPES.httpLocalRateLimit, encodeLocalRateLimit(c.typedConfig));
    case 'fault':
      return typed(ENVOY_TYPES.fault, encodeFault(c.typedConfig));
    case 'filterConfig':
      return typed(ENVOY_TYPES.filterConfig, obj({ disabled: flag(c.disabled) }));
    default:
      return assertNever(c, 'per-filter config kind');
  }
}

/** `typed_per_filter_config`: filter name → `Any`; absent when empty. */
export function encodePerFilterConfigs(configs: PerFilterConfigs): JsonObject | undefined {
  const entries = Object.entries(configs);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([name, c]) => [name, encodePerFilterConfig(c)]));
}
