/** envoy.config.route.v3.{RouteConfiguration, VirtualHost, Route, RouteMatch}. */
import { assertNever } from '../../lib/assert-never.ts';
import type { PathSpecifier, Route, RouteActionSpecifier, RouteConfiguration, RouteMatch, VirtualHost } from '../route-configuration.ts';
import { sourcesMetadata } from './any.ts';
import { encodeHeaderValueOptions } from './common.ts';
import { encodePerFilterConfigs } from './http-filters.ts';
import { enumName, flag, list, noOtherFields, obj, runtimeFractionalPercent, str, strings, type JsonObject } from './json.ts';
import { encodeHeaderMatchers, encodeQueryParameterMatcher, encodeRegexMatcher } from './matchers.ts';
import { encodeRateLimits } from './rate-limit.ts';
import { encodeDirectResponseAction, encodeRedirectAction, encodeRetryPolicy, encodeRouteAction } from './route-action.ts';

/** RouteMatch.path_specifier (a oneof: printed even when empty). */
function encodePathSpecifier(p: PathSpecifier): JsonObject {
  switch (p.kind) {
    case 'prefix':
      return { prefix: p.prefix };
    case 'path':
      return { path: p.path };
    case 'safeRegex':
      return { safe_regex: encodeRegexMatcher(p.regex) };
    case 'pathSeparatedPrefix':
      return { path_separated_prefix: p.prefix };
    case 'connectMatcher':
      return { connect_matcher: {} };
    default:
      return assertNever(p, 'path specifier kind');
  }
}

function encodeTlsContextMatch(t: NonNullable<RouteMatch['tlsContext']>): JsonObject {
  const { presented, validated, ...rest } = t;
  noOtherFields(rest);
  return obj({ presented, validated });
}

function encodeRouteMatch(m: RouteMatch): JsonObject {
  const { pathSpecifier, caseSensitive, headers, queryParameters, grpc, runtimeFraction, tlsContext, ...rest } = m;
  noOtherFields(rest);
  return obj({
    ...encodePathSpecifier(pathSpecifier),
    case_sensitive: caseSensitive,
    runtime_fraction: runtimeFraction === undefined ? undefined : runtimeFractionalPercent(runtimeFraction),
    headers: encodeHeaderMatchers(headers),
    query_parameters: list(queryParameters, encodeQueryParameterMatcher),
    grpc: grpc ? {} : undefined,
    tls_context: tlsContext ? encodeTlsContextMatch(tlsContext) : undefined,
  });
}

/** Route.action (a oneof). */
function encodeAction(a: RouteActionSpecifier): JsonObject {
  switch (a.kind) {
    case 'route':
      return { route: encodeRouteAction(a.route) };
    case 'redirect':
      return { redirect: encodeRedirectAction(a.redirect) };
    case 'directResponse':
      return { direct_response: encodeDirectResponseAction(a.directResponse) };
    default:
      return assertNever(a, 'route action kind');
  }
}

function encodeRoute(r: Route): JsonObject {
  const { name, match, action, requestHeadersToAdd, requestHeadersToRemove, responseHeadersToAdd, responseHeadersToRemove, typedPerFilterConfig, ...rest } = r;
  noOtherFields(rest);
  return obj({
    name: str(name),
    match: encodeRouteMatch(match),
    ...encodeAction(action),
    typed_per_filter_config: encodePerFilterConfigs(typedPerFilterConfig),
    request_headers_to_add: encodeHeaderValueOptions(requestHeadersToAdd),
    request_headers_to_remove: strings(requestHeadersToRemove),
    response_headers_to_add: encodeHeaderValueOptions(responseHeadersToAdd),
    response_headers_to_remove: strings(responseHeadersToRemove),
  });
}

function encodeVirtualHost(v: VirtualHost): JsonObject {
  const { name, domains, routes, requireTls, requestHeadersToAdd, requestHeadersToRemove, responseHeadersToAdd, ...more } = v;
  const { responseHeadersToRemove, retryPolicy, typedPerFilterConfig, includeRequestAttemptCount, rateLimits, ...rest } = more;
  noOtherFields(rest);
  return obj({
    name: str(name),
    domains: strings(domains),
    routes: list(routes, encodeRoute),
    require_tls: enumName(requireTls, 'NONE'),
    request_headers_to_add: encodeHeaderValueOptions(requestHeadersToAdd),
    request_headers_to_remove: strings(requestHeadersToRemove),
    response_headers_to_add: encodeHeaderValueOptions(responseHeadersToAdd),
    response_headers_to_remove: strings(responseHeadersToRemove),
    typed_per_filter_config: encodePerFilterConfigs(typedPerFilterConfig),
    include_request_attempt_count: flag(includeRequestAttemptCount),
    retry_policy: retryPolicy ? encodeRetryPolicy(retryPolicy) : undefined,
    rate_limits: encodeRateLimits(rateLimits),
  });
}

/** envoy.config.route.v3.RouteConfiguration, top-level (RDS) or inline in an HTTP connection manager. */
export function encodeRouteConfiguration(rc: RouteConfiguration): JsonObject {
  const { name, virtualHosts, internalOnlyHeaders, requestHeadersToAdd, requestHeadersToRemove, responseHeadersToAdd, ...more } = rc;
  const { responseHeadersToRemove, mostSpecificHeaderMutationsWins, ignorePortInHostMatching, typedPerFilterConfig, sources, ...rest } = more;
  noOtherFields(rest);
  return obj({
    name: str(name),
    virtual_hosts: list(virtualHosts, encodeVirtualHost),
    internal_only_headers: strings(internalOnlyHeaders),
    response_headers_to_add: encodeHeaderValueOptions(responseHeadersToAdd),
    response_headers_to_remove: strings(responseHeadersToRemove),
    request_headers_to_add: encodeHeaderValueOptions(requestHeadersToAdd),
    request_headers_to_remove: strings(requestHeadersToRemove),
    most_specific_header_mutations_wins: flag(mostSpecificHeaderMutationsWins),
    ignore_port_in_host_matching: flag(ignorePortInHostMatching),
    typed_per_filter_config: encodePerFilterConfigs(typedPerFilterConfig),
    metadata: sourcesMetadata(sources),
  });
}
