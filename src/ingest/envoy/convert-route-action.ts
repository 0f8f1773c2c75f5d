/**
 * envoy.config.route.v3.{RouteAction, WeightedCluster, RetryPolicy, RedirectAction,
 * DirectResponseAction} and the policies a RouteAction carries.
 *
 * Ignored, with the reason:
 * - WeightedCluster `runtime_key_prefix` (weft has no runtime layer; the configured weights apply,
 *   as in Envoy when the keys are unset).
 * - RequestMirrorPolicy `trace_sampled` (tracing; weft does not trace).
 * - The deprecated WeightedCluster `total_weight` is checked against the weights' sum, as Envoy
 *   does, then dropped (the model's weights are relative).
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import {
  clusterName,
  RETRY_ON_VALUES,
  type ClusterNotFoundResponseCode,
  type ClusterSpecifier,
  type ClusterWeight,
  type DirectResponseAction,
  type HashPolicy,
  type HostRewriteSpecifier,
  type MaxStreamDuration,
  type RedirectAction,
  type RedirectPathRewriteSpecifier,
  type RedirectResponseCode,
  type RequestMirrorPolicy,
  type RetryHostPredicate,
  type RetryOn,
  type RetryPolicy,
  type RouteAction,
  type RoutingPriority,
  type SchemeRewriteSpecifier,
  type UpgradeConfig,
} from '../../model/index.ts';
import { closestName } from './closest-name.ts';
import { compact, convertDataSource, convertHeaderValueOptions, convertRuntimeFractionalPercent, enumIn } from './convert-common.ts';
import { convertPerFilterConfigs } from './convert-http-filters.ts';
import { convertHeaderMatchers, convertRegexMatchAndSubstitute } from './convert-matchers.ts';
import { convertRateLimits } from './convert-rate-limits.ts';
import { reportUnsupportedPayload, type ProtoObject } from './proto-object.ts';
import { PREVIOUS_HOSTS_PREDICATE_TYPE } from './typed-configs.ts';

const PREVIOUS_HOSTS_NAMES = new Set(['envoy.retry_host_predicates.previous_hosts']);

function convertClusterWeight(o: ProtoObject): ClusterWeight | undefined {
  const name = o.str('name') ?? '';
  const hostRewrite = o.str('host_rewrite_literal');
  const weight = compact({
    name: clusterName(name),
    weight: o.num('weight') ?? 0,
    requestHeadersToAdd: convertHeaderValueOptions(o.msgs('request_headers_to_add')),
    requestHeadersToRemove: o.strs('request_headers_to_remove'),
    responseHeadersToAdd: convertHeaderValueOptions(o.msgs('response_headers_to_add')),
    responseHeadersToRemove: o.strs('response_headers_to_remove'),
    hostRewriteLiteral: hostRewrite || undefined,
    typedPerFilterConfig: convertPerFilterConfigs(o),
  });
  if (name === '' && !o.has('cluster_header')) {
    o.error('name', DIAGNOSTIC_CODES.REQUIRED, 'a weighted cluster needs a name');
    return undefined;
  }
  return weight;
}

function convertWeightedClusters(o: ProtoObject): ClusterSpecifier | undefined {
  o.ignore('runtime_key_prefix');
  const clusters = o.msgs('clusters').map(convertClusterWeight);
  const total = o.num('total_weight');
  if (clusters.some((c) => c === undefined)) return undefined;
  const ok = clusters as ClusterWeight[];
  const sum = ok.reduce((s, c) => s + c.weight, 0);
  if (total !== undefined && total !== sum) {
    o.error('total_weight', DIAGNOSTIC_CODES.INVALID_VALUE, `the weights add up to ${sum}, not total_weight ${total}`, 'total_weight is deprecated: drop it, weights are relative');
    return undefined;
  }
  if (ok.length > 0 && sum === 0) {
    o.error('clusters', DIAGNOSTIC_CODES.INVALID_VALUE, 'the weights of weighted_clusters add up to 0; at least one must be greater than 0');
    return undefined;
  }
  return { kind: 'weightedClusters', weightedClusters: { clusters: ok } };
}

function convertRetryOn(o: ProtoObject): RetryOn[] | undefined {
  const text = o.str('retry_on') ?? '';
  const out: RetryOn[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if ((RETRY_ON_VALUES as readonly string[]).includes(part)) out.push(part as RetryOn);
    else {
      const near = closestName(part, RETRY_ON_VALUES);
      o.error('retry_on', DIAGNOSTIC_CODES.INVALID_VALUE, `unknown retry_on condition "${part}"`, `${near ? `did you mean "${near}"? ` : ''}conditions: ${RETRY_ON_VALUES.join(', ')}`);
      return undefined;
    }
  }
  return out;
}

function convertRetryHostPredicate(o: ProtoObject): RetryHostPredicate | undefined {
  const name = o.str('name') ?? '';
  const payload = o.any('typed_config');
  if (payload) {
    if (payload.typeName === PREVIOUS_HOSTS_PREDICATE_TYPE) return { kind: 'previousHosts' };
    reportUnsupportedPayload(payload, o.cx, 'a retry host predicate', [PREVIOUS_HOSTS_PREDICATE_TYPE]);
    return undefined;
  }
  if (PREVIOUS_HOSTS_NAMES.has(name)) return { kind: 'previousHosts' };
  o.error('name', DIAGNOSTIC_CODES.UNSUPPORTED, `retry host predicate "${name}" is not one weft runs`, `weft runs envoy.retry_host_predicates.previous_hosts (${PREVIOUS_HOSTS_PREDICATE_TYPE})`);
  return undefined;
}

export function convertRetryPolicy(o: ProtoObject): RetryPolicy | undefined {
  const retryOn = convertRetryOn(o);
  const backOff = o.msg('retry_back_off');
  const predicates = o.msgs('retry_host_predicate').map(convertRetryHostPredicate);
  const policy = compact({
    numRetries: o.num('num_retries'),
    perTryTimeoutMs: o.durationMs('per_try_timeout'),
    perTryIdleTimeoutMs: o.durationMs('per_try_idle_timeout'),
    retryBackOff: backOff
      ? compact({ baseIntervalMs: backOff.durationMs('base_interval') ?? 0, maxIntervalMs: backOff.durationMs('max_interval') })
      : undefined,
    retriableStatusCodes: o.nums('retriable_status_codes'),
    retriableHeaders: convertHeaderMatchers(o.msgs('retriable_headers')),
    retriableRequestHeaders: convertHeaderMatchers(o.msgs('retriable_request_headers')),
    retryHostPredicate: predicates as RetryHostPredicate[],
    hostSelectionRetryMaxAttempts: o.num('host_selection_retry_max_attempts') || undefined,
  });
  if (!retryOn || predicates.some((p) => p === undefined)) return undefined;
  return { ...policy, retryOn };
}

function convertHashPolicy(o: ProtoObject): HashPolicy | undefined {
  const terminal = o.bool('terminal') || undefined;
  switch (o.oneof('policy_specifier')) {
    case 'header': {
      const h = o.msg('header');
      if (!h) return undefined;
      const rr = h.msg('regex_rewrite');
      const regexRewrite = rr ? convertRegexMatchAndSubstitute(rr) : undefined;
      return compact({ policySpecifier: { kind: 'header' as const, header: compact({ headerName: h.str('header_name') ?? '', regexRewrite }) }, terminal });
    }
    case 'cookie': {
      const c = o.msg('cookie');
      if (!c) return undefined;
      const cookie = compact({ name: c.str('name') ?? '', ttlMs: c.durationMs('ttl'), path: c.str('path') || undefined });
      return compact({ policySpecifier: { kind: 'cookie' as const, cookie }, terminal });
    }
    case 'connection_properties': {
      const sourceIp = o.msg('connection_properties')?.bool('source_ip') ?? false;
      return compact({ policySpecifier: { kind: 'connectionProperties' as const, connectionProperties: { sourceIp } }, terminal });
    }
    case 'query_parameter': {
      const name = o.msg('query_parameter')?.str('name') ?? '';
      return compact({ policySpecifier: { kind: 'queryParameter' as const, queryParameter: { name } }, terminal });
    }
    default:
      // filter_state stays unread and is reported as unsupported.
      return undefined;
  }
}

function convertMirror(o: ProtoObject): RequestMirrorPolicy | undefined {
  o.ignore('trace_sampled');
  const cluster = o.str('cluster') ?? '';
  const f = o.msg('runtime_fraction');
  const runtimeFraction = f ? convertRuntimeFractionalPercent(f) : undefined;
  if (cluster === '') return undefined; // cluster_header stays unread and is reported
  return compact({ cluster: clusterName(cluster), runtimeFraction });
}

function convertUpgrade(o: ProtoObject): UpgradeConfig {
  return compact({ upgradeType: o.str('upgrade_type') ?? '', enabled: o.bool('enabled') });
}

function clusterSpecifier(o: ProtoObject): ClusterSpecifier | undefined {
  switch (o.oneof('cluster_specifier')) {
    case 'cluster':
      return { kind: 'cluster', cluster: clusterName(o.str('cluster') ?? '') };
    case 'weighted_clusters': {
      const w = o.msg('weighted_clusters');
      return w ? convertWeightedClusters(w) : undefined;
    }
    default:
      // cluster_header and cluster specifier plugins stay unread and are reported as unsupported.
      return undefined;
  }
}

function hostRewrite(o: ProtoObject): HostRewriteSpecifier | undefined {
  switch (o.oneof('host_rewrite_specifier')) {
    case 'host_rewrite_literal':
      return { kind: 'hostRewriteLiteral', hostRewriteLiteral: o.str('host_rewrite_literal') ?? '' };
    case 'auto_host_rewrite':
      return { kind: 'autoHostRewrite', autoHostRewrite: o.bool('auto_host_rewrite') ?? false };
    case 'host_rewrite_header':
      return { kind: 'hostRewriteHeader', hostRewriteHeader: o.str('host_rewrite_header') ?? '' };
    default:
      return undefined;
  }
}

function maxStreamDuration(o: ProtoObject): MaxStreamDuration | undefined {
  const m = o.msg('max_stream_duration');
  // The deprecated max_grpc_timeout / grpc_timeout_offset are the same settings, moved.
  const grpcMax = o.durationMs('max_grpc_timeout');
  const grpcOffset = o.durationMs('grpc_timeout_offset');
  if (!m && grpcMax === undefined && grpcOffset === undefined) return undefined;
  return compact({
    maxStreamDurationMs: m?.durationMs('max_stream_duration'),
    grpcTimeoutHeaderMaxMs: m?.durationMs('grpc_timeout_header_max') ?? grpcMax,
    grpcTimeoutHeaderOffsetMs: m?.durationMs('grpc_timeout_header_offset') ?? grpcOffset,
  });
}

export function convertRouteAction(o: ProtoObject): RouteAction | undefined {
  const specifier = clusterSpecifier(o);
  const prefixRewrite = o.str('prefix_rewrite');
  const rr = o.msg('regex_rewrite');
  const regexRewrite = rr ? convertRegexMatchAndSubstitute(rr) : undefined;
  if (prefixRewrite && rr) {
    o.error('regex_rewrite', DIAGNOSTIC_CODES.INVALID_VALUE, 'prefix_rewrite and regex_rewrite cannot both be set', 'keep one of them');
    return undefined;
  }
  const retry = o.msg('retry_policy');
  const retryPolicy = retry ? convertRetryPolicy(retry) : undefined;
  const action = compact({
    clusterSpecifier: specifier,
    prefixRewrite: prefixRewrite || undefined,
    regexRewrite,
    hostRewriteSpecifier: hostRewrite(o),
    timeoutMs: o.durationMs('timeout'),
    idleTimeoutMs: o.durationMs('idle_timeout'),
    retryPolicy,
    requestMirrorPolicies: o.msgs('request_mirror_policies').map(convertMirror).filter((m): m is RequestMirrorPolicy => m !== undefined),
    hashPolicy: o.msgs('hash_policy').map(convertHashPolicy).filter((h): h is HashPolicy => h !== undefined),
    upgradeConfigs: o.msgs('upgrade_configs').map(convertUpgrade),
    maxStreamDuration: maxStreamDuration(o),
    priority: enumIn<RoutingPriority>(o, 'priority', ['DEFAULT', 'HIGH'], 'priority'),
    clusterNotFoundResponseCode: enumIn<ClusterNotFoundResponseCode>(
      o,
      'cluster_not_found_response_code',
      ['SERVICE_UNAVAILABLE', 'NOT_FOUND', 'INTERNAL_SERVER_ERROR'],
      'cluster_not_found_response_code',
    ),
    rateLimits: convertRateLimits(o.msgs('rate_limits')),
    includeVhRateLimits: o.bool('include_vh_rate_limits') || undefined,
  });
  if (!specifier || (retry && !retryPolicy) || (rr && !regexRewrite)) return undefined;
  return { ...action, clusterSpecifier: specifier };
}

export function convertRedirectAction(o: ProtoObject): RedirectAction {
  let scheme: SchemeRewriteSpecifier | undefined;
  if (o.oneof('scheme_rewrite_specifier') === 'https_redirect') scheme = { kind: 'httpsRedirect', httpsRedirect: o.bool('https_redirect') ?? false };
  else if (o.oneof('scheme_rewrite_specifier') === 'scheme_redirect') scheme = { kind: 'schemeRedirect', schemeRedirect: o.str('scheme_redirect') ?? '' };
  let path: RedirectPathRewriteSpecifier | undefined;
  switch (o.oneof('path_rewrite_specifier')) {
    case 'path_redirect':
      path = { kind: 'pathRedirect', pathRedirect: o.str('path_redirect') ?? '' };
      break;
    case 'prefix_rewrite':
      path = { kind: 'prefixRewrite', prefixRewrite: o.str('prefix_rewrite') ?? '' };
      break;
    case 'regex_rewrite': {
      const rr = o.msg('regex_rewrite');
      const regexRewrite = rr ? convertRegexMatchAndSubstitute(rr) : undefined;
      if (regexRewrite) path = { kind: 'regexRewrite', regexRewrite };
      break;
    }
    default:
      break;
  }
  return compact({
    schemeRewriteSpecifier: scheme,
    hostRedirect: o.str('host_redirect') || undefined,
    portRedirect: o.num('port_redirect') || undefined,
    pathRewriteSpecifier: path,
    responseCode: o.enum('response_code') as RedirectResponseCode | undefined,
    stripQuery: o.bool('strip_query') || undefined,
  });
}

export function convertDirectResponseAction(o: ProtoObject): DirectResponseAction {
  const b = o.msg('body');
  return compact({ status: o.num('status') ?? 0, body: b ? convertDataSource(b) : undefined });
}
