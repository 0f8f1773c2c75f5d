/**
 * envoy.config.route.v3.{RouteConfiguration, VirtualHost, Route, RouteMatch}.
 *
 * Ignored, with the reason:
 * - `metadata` everywhere (data for filters weft does not run).
 * - RouteConfiguration `validate_clusters` (weft always checks every cluster reference when it
 *   builds a snapshot) and `max_direct_response_body_size_bytes` (a limit on bodies Envoy reads
 *   from files at load time).
 * - VirtualHost `virtual_clusters` (only names extra stats) and `per_request_buffer_limit_bytes`,
 *   Route `per_request_buffer_limit_bytes` (weft streams bodies instead of buffering them).
 * - Route `decorator` and `tracing` (span names and sampling; weft does not trace) and
 *   `stat_prefix` (only names extra stats).
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import {
  routeConfigName,
  type PathSpecifier,
  type QueryParameterMatcher,
  type Route,
  type RouteActionSpecifier,
  type RouteConfiguration,
  type RouteMatch,
  type SourceRef,
  type TlsRequirementType,
  type VirtualHost,
} from '../../model/index.ts';
import { compact, convertHeaderValueOptions, convertRuntimeFractionalPercent, enumIn } from './convert-common.ts';
import { convertPerFilterConfigs } from './convert-http-filters.ts';
import { convertHeaderMatchers, convertQueryParameterMatcher, convertRegexMatcher } from './convert-matchers.ts';
import { convertRateLimits } from './convert-rate-limits.ts';
import { convertDirectResponseAction, convertRedirectAction, convertRetryPolicy, convertRouteAction } from './convert-route-action.ts';
import type { ProtoObject } from './proto-object.ts';

function pathSpecifier(o: ProtoObject): PathSpecifier | undefined {
  switch (o.oneof('path_specifier')) {
    case 'prefix':
      return { kind: 'prefix', prefix: o.str('prefix') ?? '' };
    case 'path':
      return { kind: 'path', path: o.str('path') ?? '' };
    case 'path_separated_prefix': {
      const prefix = o.str('path_separated_prefix') ?? '';
      return { kind: 'pathSeparatedPrefix', prefix };
    }
    case 'safe_regex': {
      const r = o.msg('safe_regex');
      const re = r ? convertRegexMatcher(r) : undefined;
      return re ? { kind: 'safeRegex', regex: re.pattern } : undefined;
    }
    case 'connect_matcher':
      o.msg('connect_matcher');
      return { kind: 'connectMatcher' };
    default:
      // path_match_policy (an extension) stays unread and is reported as unsupported.
      return undefined;
  }
}

function convertRouteMatch(o: ProtoObject): RouteMatch | undefined {
  const spec = pathSpecifier(o);
  const fraction = o.msg('runtime_fraction');
  const tls = o.msg('tls_context');
  const grpc = o.msg('grpc') !== undefined;
  const match = compact({
    pathSpecifier: spec,
    caseSensitive: o.bool('case_sensitive'),
    headers: convertHeaderMatchers(o.msgs('headers')),
    queryParameters: o.msgs('query_parameters').map(convertQueryParameterMatcher).filter((q): q is QueryParameterMatcher => q !== undefined),
    grpc: grpc || undefined,
    runtimeFraction: fraction ? convertRuntimeFractionalPercent(fraction) : undefined,
    tlsContext: tls ? compact({ presented: tls.bool('presented'), validated: tls.bool('validated') }) : undefined,
  });
  return spec ? { ...match, pathSpecifier: spec } : undefined;
}

function routeAction(o: ProtoObject): RouteActionSpecifier | undefined {
  switch (o.oneof('action')) {
    case 'route': {
      const r = o.msg('route');
      const route = r ? convertRouteAction(r) : undefined;
      return route ? { kind: 'route', route } : undefined;
    }
    case 'redirect': {
      const r = o.msg('redirect');
      return r ? { kind: 'redirect', redirect: convertRedirectAction(r) } : undefined;
    }
    case 'direct_response': {
      const r = o.msg('direct_response');
      return r ? { kind: 'directResponse', directResponse: convertDirectResponseAction(r) } : undefined;
    }
    default:
      // filter_action and non_forwarding_action stay unread and are reported as unsupported.
      return undefined;
  }
}

function convertRoute(o: ProtoObject): Route | undefined {
  o.ignore('metadata', 'decorator', 'tracing', 'stat_prefix', 'per_request_buffer_limit_bytes');
  const m = o.msg('match');
  const match = m ? convertRouteMatch(m) : undefined;
  const action = routeAction(o);
  const route = compact({
    name: o.str('name') || undefined,
    requestHeadersToAdd: convertHeaderValueOptions(o.msgs('request_headers_to_add')),
    requestHeadersToRemove: o.strs('request_headers_to_remove'),
    responseHeadersToAdd: convertHeaderValueOptions(o.msgs('response_headers_to_add')),
    responseHeadersToRemove: o.strs('response_headers_to_remove'),
    typedPerFilterConfig: convertPerFilterConfigs(o),
  });
  return match && action ? { ...route, match, action } : undefined;
}

function convertVirtualHost(o: ProtoObject): VirtualHost | undefined {
  o.ignore('metadata', 'virtual_clusters', 'per_request_buffer_limit_bytes');
  const routes = o.msgs('routes').map(convertRoute);
  const retry = o.msg('retry_policy');
  const retryPolicy = retry ? convertRetryPolicy(retry) : undefined;
  const vh = compact({
    name: o.str('name') ?? '',
    domains: o.strs('domains'),
    requireTls: enumIn<TlsRequirementType>(o, 'require_tls', ['NONE', 'EXTERNAL_ONLY', 'ALL'], 'require_tls'),
    requestHeadersToAdd: convertHeaderValueOptions(o.msgs('request_headers_to_add')),
    requestHeadersToRemove: o.strs('request_headers_to_remove'),
    responseHeadersToAdd: convertHeaderValueOptions(o.msgs('response_headers_to_add')),
    responseHeadersToRemove: o.strs('response_headers_to_remove'),
    retryPolicy,
    typedPerFilterConfig: convertPerFilterConfigs(o),
    includeRequestAttemptCount: o.bool('include_request_attempt_count') || undefined,
    rateLimits: convertRateLimits(o.msgs('rate_limits')),
  });
  if (routes.some((r) => r === undefined) || (retry && !retryPolicy)) return undefined;
  return { ...vh, routes: routes as Route[] };
}

/**
 * A RouteConfiguration, top-level or inline in an HTTP connection manager. `requireName` is set
 * for top-level ones (RDS resources are looked up by name).
 */
export function convertRouteConfiguration(o: ProtoObject, sources: readonly SourceRef[], requireName: boolean): RouteConfiguration | undefined {
  o.ignore('metadata', 'validate_clusters', 'max_direct_response_body_size_bytes');
  const name = o.str('name') ?? '';
  if (requireName && name === '') o.error('name', DIAGNOSTIC_CODES.REQUIRED, 'a RouteConfiguration needs a name (listeners refer to it by name)');
  const hosts = o.msgs('virtual_hosts').map(convertVirtualHost);
  const rc: RouteConfiguration = {
    name: routeConfigName(name),
    virtualHosts: hosts.filter((h): h is VirtualHost => h !== undefined),
    internalOnlyHeaders: o.strs('internal_only_headers'),
    requestHeadersToAdd: convertHeaderValueOptions(o.msgs('request_headers_to_add')),
    requestHeadersToRemove: o.strs('request_headers_to_remove'),
    responseHeadersToAdd: convertHeaderValueOptions(o.msgs('response_headers_to_add')),
    responseHeadersToRemove: o.strs('response_headers_to_remove'),
    mostSpecificHeaderMutationsWins: o.bool('most_specific_header_mutations_wins') || undefined,
    ignorePortInHostMatching: o.bool('ignore_port_in_host_matching') || undefined,
    typedPerFilterConfig: convertPerFilterConfigs(o),
    sources,
  };
  if ((requireName && name === '') || hosts.some((h) => h === undefined)) return undefined;
  return compact(rc);
}
