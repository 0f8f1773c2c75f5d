/**
 * envoy.config.route.v3.{RouteAction, WeightedCluster, RetryPolicy, RedirectAction,
 * DirectResponseAction} and the policies a RouteAction carries.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type {
  ClusterSpecifier,
  ClusterWeight,
  DirectResponseAction,
  HashPolicy,
  HostRewriteSpecifier,
  MaxStreamDuration,
  RedirectAction,
  RedirectPathRewriteSpecifier,
  RequestMirrorPolicy,
  RetryHostPredicate,
  RetryPolicy,
  RouteAction,
  SchemeRewriteSpecifier,
  UpgradeConfig,
} from '../route-action.ts';
import { ENVOY_TYPES, PREVIOUS_HOSTS_PREDICATE_NAME, typed } from './any.ts';
import { encodeDataSourceOf, encodeHeaderValueOptions } from './common.ts';
import { encodePerFilterConfigs } from './http-filters.ts';
import { durationOf, encodeClusterOrWeighted, enumName, flag, int64, list, noOtherFields, num, obj, runtimeFractionalPercent, str, strings, type JsonObject } from './json.ts';
import { encodeHeaderMatchers, encodeRegexMatchAndSubstitute } from './matchers.ts';
import { encodeRateLimits } from './rate-limit.ts';

function encodeClusterWeight(w: ClusterWeight): JsonObject {
  const { name, weight, requestHeadersToAdd, requestHeadersToRemove, responseHeadersToAdd, responseHeadersToRemove, hostRewriteLiteral, typedPerFilterConfig, ...rest } = w;
  noOtherFields(rest);
  return obj({
    name: str(name),
    weight,
    request_headers_to_add: encodeHeaderValueOptions(requestHeadersToAdd),
    request_headers_to_remove: strings(requestHeadersToRemove),
    response_headers_to_add: encodeHeaderValueOptions(responseHeadersToAdd),
    response_headers_to_remove: strings(responseHeadersToRemove),
    typed_per_filter_config: encodePerFilterConfigs(typedPerFilterConfig),
    host_rewrite_literal: hostRewriteLiteral,
  });
}

function encodeClusterSpecifier(c: ClusterSpecifier): JsonObject {
  return encodeClusterOrWeighted(c, encodeClusterWeight);
}

function encodeHostRewrite(h: HostRewriteSpecifier): JsonObject {
  switch (h.kind) {
    case 'hostRewriteLiteral':
      return { host_rewrite_literal: h.hostRewriteLiteral };
    case 'autoHostRewrite':
      return { auto_host_rewrite: h.autoHostRewrite };
    case 'hostRewriteHeader':
      return { host_rewrite_header: h.hostRewriteHeader };
    default:
      return assertNever(h, 'host rewrite kind');
  }
}

function encodeRetryHostPredicate(p: RetryHostPredicate): JsonObject {
  switch (p.kind) {
    case 'previousHosts':
      return { name: PREVIOUS_HOSTS_PREDICATE_NAME, typed_config: typed(ENVOY_TYPES.previousHostsPredicate, {}) };
    default:
      return assertNever(p.kind, 'retry host predicate kind');
  }
}

function encodeRetryBackOff(b: NonNullable<RetryPolicy['retryBackOff']>): JsonObject {
  const { baseIntervalMs, maxIntervalMs, ...rest } = b;
  noOtherFields(rest);
  return obj({ base_interval: durationOf(baseIntervalMs), max_interval: durationOf(maxIntervalMs) });
}

export function encodeRetryPolicy(p: RetryPolicy): JsonObject {
  const { retryOn, numRetries, perTryTimeoutMs, perTryIdleTimeoutMs, retryBackOff, retriableStatusCodes, ...more } = p;
  const { retriableHeaders, retriableRequestHeaders, retryHostPredicate, hostSelectionRetryMaxAttempts, ...rest } = more;
  noOtherFields(rest);
  return obj({
    retry_on: str(retryOn.join(',')),
    num_retries: numRetries,
    per_try_timeout: durationOf(perTryTimeoutMs),
    per_try_idle_timeout: durationOf(perTryIdleTimeoutMs),
    retry_host_predicate: list(retryHostPredicate, encodeRetryHostPredicate),
    // host_selection_retry_max_attempts is an int64.
    host_selection_retry_max_attempts: hostSelectionRetryMaxAttempts ? int64(hostSelectionRetryMaxAttempts) : undefined,
    retriable_status_codes: list(retriableStatusCodes, (c) => c),
    retry_back_off: retryBackOff ? encodeRetryBackOff(retryBackOff) : undefined,
    retriable_headers: encodeHeaderMatchers(retriableHeaders),
    retriable_request_headers: encodeHeaderMatchers(retriableRequestHeaders),
  });
}

function encodeHashPolicy(h: HashPolicy): JsonObject {
  const { policySpecifier: s, terminal, ...rest } = h;
  noOtherFields(rest);
  let spec: JsonObject;
  switch (s.kind) {
    case 'header': {
      const { headerName, regexRewrite, ...rest } = s.header;
      noOtherFields(rest);
      spec = { header: obj({ header_name: str(headerName), regex_rewrite: regexRewrite ? encodeRegexMatchAndSubstitute(regexRewrite) : undefined }) };
      break;
    }
    case 'cookie': {
      const { name, ttlMs, path, ...rest } = s.cookie;
      noOtherFields(rest);
      spec = { cookie: obj({ name: str(name), ttl: durationOf(ttlMs), path: str(path) }) };
      break;
    }
    case 'connectionProperties': {
      const { sourceIp, ...rest } = s.connectionProperties;
      noOtherFields(rest);
      spec = { connection_properties: obj({ source_ip: flag(sourceIp) }) };
      break;
    }
    case 'queryParameter': {
      const { name, ...rest } = s.queryParameter;
      noOtherFields(rest);
      spec = { query_parameter: obj({ name: str(name) }) };
      break;
    }
    default:
      return assertNever(s, 'hash policy kind');
  }
  return obj({ ...spec, terminal: flag(terminal) });
}

function encodeMirror(m: RequestMirrorPolicy): JsonObject {
  const { cluster, runtimeFraction, ...rest } = m;
  noOtherFields(rest);
  return obj({ cluster: str(cluster), runtime_fraction: runtimeFraction === undefined ? undefined : runtimeFractionalPercent(runtimeFraction) });
}

function encodeUpgradeConfig(u: UpgradeConfig): JsonObject {
  const { upgradeType, enabled, ...rest } = u;
  noOtherFields(rest);
  return obj({ upgrade_type: str(upgradeType), enabled });
}

function encodeMaxStreamDuration(m: MaxStreamDuration): JsonObject {
  const { maxStreamDurationMs, grpcTimeoutHeaderMaxMs, grpcTimeoutHeaderOffsetMs, ...rest } = m;
  noOtherFields(rest);
  return obj({
    max_stream_duration: durationOf(maxStreamDurationMs),
    grpc_timeout_header_max: durationOf(grpcTimeoutHeaderMaxMs),
    grpc_timeout_header_offset: durationOf(grpcTimeoutHeaderOffsetMs),
  });
}

export function encodeRouteAction(a: RouteAction): JsonObject {
  const { clusterSpecifier, prefixRewrite, regexRewrite, hostRewriteSpecifier, timeoutMs, idleTimeoutMs, retryPolicy, ...more } = a;
  const { requestMirrorPolicies, hashPolicy, upgradeConfigs, maxStreamDuration, priority, clusterNotFoundResponseCode, rateLimits, includeVhRateLimits, ...rest } = more;
  noOtherFields(rest);
  return obj({
    ...encodeClusterSpecifier(clusterSpecifier),
    cluster_not_found_response_code: enumName(clusterNotFoundResponseCode, 'SERVICE_UNAVAILABLE'),
    prefix_rewrite: str(prefixRewrite),
    regex_rewrite: regexRewrite ? encodeRegexMatchAndSubstitute(regexRewrite) : undefined,
    ...(hostRewriteSpecifier ? encodeHostRewrite(hostRewriteSpecifier) : {}),
    timeout: durationOf(timeoutMs),
    idle_timeout: durationOf(idleTimeoutMs),
    retry_policy: retryPolicy ? encodeRetryPolicy(retryPolicy) : undefined,
    request_mirror_policies: list(requestMirrorPolicies, encodeMirror),
    priority: enumName(priority, 'DEFAULT'),
    hash_policy: list(hashPolicy, encodeHashPolicy),
    upgrade_configs: list(upgradeConfigs, encodeUpgradeConfig),
    max_stream_duration: maxStreamDuration ? encodeMaxStreamDuration(maxStreamDuration) : undefined,
    rate_limits: encodeRateLimits(rateLimits),
    include_vh_rate_limits: flag(includeVhRateLimits),
  });
}

function encodeSchemeRewrite(s: SchemeRewriteSpecifier): JsonObject {
  switch (s.kind) {
    case 'httpsRedirect':
      return { https_redirect: s.httpsRedirect };
    case 'schemeRedirect':
      return { scheme_redirect: s.schemeRedirect };
    default:
      return assertNever(s, 'scheme rewrite kind');
  }
}

function encodeRedirectPathRewrite(p: RedirectPathRewriteSpecifier): JsonObject {
  switch (p.kind) {
    case 'pathRedirect':
      return { path_redirect: p.pathRedirect };
    case 'prefixRewrite':
      return { prefix_rewrite: p.prefixRewrite };
    case 'regexRewrite':
      return { regex_rewrite: encodeRegexMatchAndSubstitute(p.regexRewrite) };
    default:
      return assertNever(p, 'redirect path rewrite kind');
  }
}

export function encodeRedirectAction(r: RedirectAction): JsonObject {
  const { schemeRewriteSpecifier, hostRedirect, portRedirect, pathRewriteSpecifier, responseCode, stripQuery, ...rest } = r;
  noOtherFields(rest);
  return obj({
    ...(schemeRewriteSpecifier ? encodeSchemeRewrite(schemeRewriteSpecifier) : {}),
    host_redirect: str(hostRedirect),
    port_redirect: num(portRedirect),
    ...(pathRewriteSpecifier ? encodeRedirectPathRewrite(pathRewriteSpecifier) : {}),
    response_code: enumName(responseCode, 'MOVED_PERMANENTLY'),
    strip_query: flag(stripQuery),
  });
}

export function encodeDirectResponseAction(d: DirectResponseAction): JsonObject {
  const { status, body, ...rest } = d;
  noOtherFields(rest);
  return obj({ status: num(status), body: encodeDataSourceOf(body) });
}
