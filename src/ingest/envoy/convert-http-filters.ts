/**
 * HTTP filters (envoy.filters.http.{router, local_ratelimit, fault}) and their per-route forms
 * (`typed_per_filter_config`).
 *
 * Ignored, with the reason:
 * - Router `start_child_span` (tracing spans; weft does not trace) and
 *   `suppress_grpc_request_failure_code_stats` (only renames stats).
 * - HTTPFault `*_runtime` keys (weft has no runtime layer: Envoy uses the configured values when a
 *   key is unset, as it always is in weft), `disable_downstream_cluster_stats` (stats naming),
 *   `filter_metadata` (metadata for other filters).
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import {
  clusterName,
  type Fault,
  type FaultAbortErrorType,
  type FaultDelay,
  type FaultRateLimit,
  type HttpFilter,
  type LocalRateLimit,
  type LocalRateLimitDescriptor,
  type PerFilterConfig,
  type PerFilterConfigs,
  type Router,
  type XRateLimitHeadersRfcVersion,
} from '../../model/index.ts';
import {
  compact,
  convertFractionalPercent,
  convertHeaderValueOptions,
  convertRuntimeFractionalPercent,
  convertTokenBucket,
  enumIn,
} from './convert-common.ts';
import { convertHeaderMatchers } from './convert-matchers.ts';
import { convertLocalRateLimitDescriptor } from './convert-rate-limits.ts';
import { reportUnsupportedPayload, type AnyPayload, type ProtoObject } from './proto-object.ts';
import { FILTER_CONFIG_TYPE, formatTypeList, HTTP_FILTER_TYPES } from './typed-configs.ts';

/** Filter names Envoy resolves to the router when `typed_config` is omitted (older configs do). */
const ROUTER_NAMES = new Set(['envoy.filters.http.router', 'envoy.router']);

export function convertRouter(o: ProtoObject): Router {
  o.ignore('start_child_span', 'suppress_grpc_request_failure_code_stats');
  return compact({ suppressEnvoyHeaders: o.bool('suppress_envoy_headers') || undefined, dynamicStats: o.bool('dynamic_stats') });
}

export function convertLocalRateLimit(o: ProtoObject): LocalRateLimit {
  const bucket = o.msg('token_bucket');
  const enabled = o.msg('filter_enabled');
  const enforced = o.msg('filter_enforced');
  const descriptors = o.msgs('descriptors').map(convertLocalRateLimitDescriptor);
  return compact({
    statPrefix: o.str('stat_prefix') ?? '',
    status: o.msg('status')?.enumNumber('code'),
    tokenBucket: bucket ? convertTokenBucket(bucket) : undefined,
    filterEnabled: enabled ? convertRuntimeFractionalPercent(enabled) : undefined,
    filterEnforced: enforced ? convertRuntimeFractionalPercent(enforced) : undefined,
    requestHeadersToAddWhenNotEnforced: convertHeaderValueOptions(o.msgs('request_headers_to_add_when_not_enforced')),
    responseHeadersToAdd: convertHeaderValueOptions(o.msgs('response_headers_to_add')),
    localRateLimitPerDownstreamConnection: o.bool('local_rate_limit_per_downstream_connection') || undefined,
    enableXRatelimitHeaders: enumIn<XRateLimitHeadersRfcVersion>(o, 'enable_x_ratelimit_headers', ['OFF', 'DRAFT_VERSION_03'], 'enable_x_ratelimit_headers'),
    descriptors: descriptors.length > 0 ? descriptors.filter((d): d is LocalRateLimitDescriptor => d !== undefined) : undefined,
    stage: o.num('stage') || undefined,
    alwaysConsumeDefaultTokenBucket: o.bool('always_consume_default_token_bucket'),
  });
}

function faultDelay(o: ProtoObject): FaultDelay | undefined {
  const p = o.msg('percentage');
  const percentage = p ? convertFractionalPercent(p) : undefined;
  if (o.oneof('fault_delay_secifier') === 'header_delay') {
    o.msg('header_delay');
    return compact({ faultDelaySpecifier: { kind: 'headerDelay' as const }, percentage });
  }
  return compact({ faultDelaySpecifier: { kind: 'fixedDelay' as const, fixedDelayMs: o.durationMs('fixed_delay') ?? 0 }, percentage });
}

function faultAbort(o: ProtoObject): { errorType: FaultAbortErrorType; percentage?: number } {
  const p = o.msg('percentage');
  const percentage = p ? convertFractionalPercent(p) : undefined;
  let errorType: FaultAbortErrorType;
  switch (o.oneof('error_type')) {
    case 'grpc_status':
      errorType = { kind: 'grpcStatus', grpcStatus: o.num('grpc_status') ?? 0 };
      break;
    case 'header_abort':
      o.msg('header_abort');
      errorType = { kind: 'headerAbort' };
      break;
    default:
      errorType = { kind: 'httpStatus', httpStatus: o.num('http_status') ?? 0 };
  }
  return compact({ errorType, percentage });
}

function faultRateLimit(o: ProtoObject): FaultRateLimit {
  const p = o.msg('percentage');
  const percentage = p ? convertFractionalPercent(p) : undefined;
  if (o.oneof('limit_type') === 'header_limit') {
    o.msg('header_limit');
    return compact({ limitType: { kind: 'headerLimit' as const }, percentage });
  }
  return compact({ limitType: { kind: 'fixedLimit' as const, limitKbps: o.msg('fixed_limit')?.num('limit_kbps') ?? 0 }, percentage });
}

export function convertFault(o: ProtoObject): Fault {
  o.ignore(
    'delay_percent_runtime',
    'abort_percent_runtime',
    'delay_duration_runtime',
    'abort_http_status_runtime',
    'max_active_faults_runtime',
    'response_rate_limit_percent_runtime',
    'abort_grpc_status_runtime',
    'disable_downstream_cluster_stats',
    'filter_metadata',
  );
  const delay = o.msg('delay');
  const abort = o.msg('abort');
  const rate = o.msg('response_rate_limit');
  const upstream = o.str('upstream_cluster');
  return compact({
    delay: delay ? faultDelay(delay) : undefined,
    abort: abort ? faultAbort(abort) : undefined,
    upstreamCluster: upstream ? clusterName(upstream) : undefined,
    headers: convertHeaderMatchers(o.msgs('headers')),
    downstreamNodes: o.strs('downstream_nodes'),
    maxActiveFaults: o.num('max_active_faults'),
    responseRateLimit: rate ? faultRateLimit(rate) : undefined,
  });
}

const HTTP_FILTER_LIST = Object.values(HTTP_FILTER_TYPES);

/** One entry of an HCM's `http_filters`; undefined when it cannot be run (and was reported). */
export function convertHttpFilter(o: ProtoObject): HttpFilter | undefined {
  const name = o.str('name') ?? '';
  const disabled = o.bool('disabled') || undefined;
  const optional = o.bool('is_optional') === true;
  const payload = o.any('typed_config');
  if (!payload) {
    if (o.has('config_discovery')) return undefined; // reported as unsupported when unread
    if (ROUTER_NAMES.has(name)) return compact({ kind: 'router' as const, typedConfig: {}, name, disabled });
    o.error('typed_config', DIAGNOSTIC_CODES.REQUIRED, `HTTP filter "${name}" needs typed_config`, `weft runs: ${formatTypeList(HTTP_FILTER_LIST)}`);
    return undefined;
  }
  const p = payload.object;
  if (!p) return undefined;
  switch (payload.typeName) {
    case HTTP_FILTER_TYPES.router:
      return compact({ kind: 'router' as const, typedConfig: convertRouter(p), name, disabled });
    case HTTP_FILTER_TYPES.localRateLimit:
      return compact({ kind: 'localRateLimit' as const, typedConfig: convertLocalRateLimit(p), name, disabled });
    case HTTP_FILTER_TYPES.fault:
      return compact({ kind: 'fault' as const, typedConfig: convertFault(p), name, disabled });
    default:
      if (optional) {
        // Envoy skips an optional filter it does not have; weft does the same, and says so.
        p.discard();
        o.cx.sink.warning(
          [...payload.path, '@type'],
          DIAGNOSTIC_CODES.UNSUPPORTED,
          `optional HTTP filter "${name}" (${payload.typeName}) is skipped: weft does not run it`,
          `weft runs: ${formatTypeList(HTTP_FILTER_LIST)}`,
        );
        return undefined;
      }
      reportUnsupportedPayload(payload, o.cx, 'an HTTP filter', HTTP_FILTER_LIST);
      return undefined;
  }
}

export function convertHttpFilters(list: readonly ProtoObject[]): HttpFilter[] {
  return list.map(convertHttpFilter).filter((f): f is HttpFilter => f !== undefined);
}

const PER_FILTER_LIST = [HTTP_FILTER_TYPES.localRateLimit, HTTP_FILTER_TYPES.fault, FILTER_CONFIG_TYPE];

function perFilterPayload(payload: AnyPayload, o: ProtoObject): PerFilterConfig | undefined {
  const p = payload.object;
  if (!p) return undefined;
  switch (payload.typeName) {
    case HTTP_FILTER_TYPES.localRateLimit:
      return { kind: 'localRateLimit', typedConfig: convertLocalRateLimit(p) };
    case HTTP_FILTER_TYPES.fault:
      return { kind: 'fault', typedConfig: convertFault(p) };
    case FILTER_CONFIG_TYPE: {
      const disabled = p.bool('disabled') === true;
      const optional = p.bool('is_optional') === true;
      const inner = p.any('config');
      if (!inner) return { kind: 'filterConfig', disabled };
      if (disabled) {
        p.error('disabled', DIAGNOSTIC_CODES.UNSUPPORTED, 'a FilterConfig with both a config and disabled: true is valid Envoy, but weft holds one or the other', 'drop the config to disable the filter here');
        return undefined;
      }
      if (!optional || inner.typeName === HTTP_FILTER_TYPES.localRateLimit || inner.typeName === HTTP_FILTER_TYPES.fault) return perFilterPayload(inner, p);
      inner.object?.discard();
      o.cx.sink.warning([...inner.path, '@type'], DIAGNOSTIC_CODES.UNSUPPORTED, `optional per-route config ${inner.typeName} is skipped: weft does not run it`);
      return undefined;
    }
    default:
      reportUnsupportedPayload(payload, o.cx, 'a per-route filter config', PER_FILTER_LIST);
      return undefined;
  }
}

/** `typed_per_filter_config` of a route configuration, virtual host, route or weighted cluster. */
export function convertPerFilterConfigs(o: ProtoObject): PerFilterConfigs {
  const out: Record<string, PerFilterConfig> = {};
  for (const [name, payload] of o.anyMap('typed_per_filter_config')) {
    const c = perFilterPayload(payload, o);
    if (c) out[name] = c;
  }
  return out;
}
