/**
 * Test fixture: a RouteConfiguration that uses every member of every union a route configuration
 * holds, built with the model's builders. Every value is set to something other than its default,
 * so an encoder that drops a field shows in the golden JSON and in the round trip through
 * ingest/envoy. Shared by envoy-json's tests and test/envoy-json-round-trip.test.ts.
 */
import { newRoute, newRouteAction, newRouteConfiguration, newRouteMatch, newVirtualHost, toCluster } from '../builders.ts';
import type { HeaderValueOption } from '../common.ts';
import type { Fault, LocalRateLimit } from '../http-filters.ts';
import { clusterName } from '../ids.ts';
import type { HeaderMatcher } from '../matchers.ts';
import type { RetryPolicy } from '../route-action.ts';
import type { RouteConfiguration } from '../route-configuration.ts';
import type { SourceRef } from '../source-ref.ts';

/** The sources ingest/envoy gives a resource decoded from this object with no base path. */
export const KITCHEN_SINK_SOURCES_FOR_TEST: readonly SourceRef[] = [{ kind: 'CiliumEnvoyConfig', namespace: 'demo', name: 'kitchen-sink' }];

export const ADD_HEADER_FOR_TEST: HeaderValueOption = { header: { key: 'x-added', value: '%REQ(:authority)%' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD', keepEmptyValue: true };

/** Every HeaderMatchSpecifier and StringMatcher member. */
export const HEADER_MATCHERS_FOR_TEST: readonly HeaderMatcher[] = [
  { name: 'x-exact', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: 'a', ignoreCase: true } } },
  { name: 'x-prefix', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'prefix', prefix: 'b' } }, invertMatch: true },
  { name: 'x-suffix', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'suffix', suffix: 'c' } }, treatMissingHeaderAsEmpty: true },
  { name: 'x-contains', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'contains', contains: 'd' } } },
  { name: 'x-regex', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'safeRegex', regex: '^e+$' } } },
  { name: 'x-absent', headerMatchSpecifier: { kind: 'present', present: false } },
  { name: 'x-range', headerMatchSpecifier: { kind: 'range', range: { start: -10, end: 20 } } },
];

export const LOCAL_RATE_LIMIT_FOR_TEST: LocalRateLimit = {
  statPrefix: 'http_local_rate_limiter',
  status: 503,
  tokenBucket: { maxTokens: 10, tokensPerFill: 2, fillIntervalMs: 1500 },
  filterEnabled: 0.5,
  filterEnforced: 0.0025,
  requestHeadersToAddWhenNotEnforced: [{ header: { key: 'x-not-enforced', value: 'yes' } }],
  responseHeadersToAdd: [{ header: { key: 'x-limited', value: 'true' }, appendAction: 'ADD_IF_ABSENT' }],
  localRateLimitPerDownstreamConnection: true,
  enableXRatelimitHeaders: 'DRAFT_VERSION_03',
  descriptors: [
    { entries: [{ key: 'user', value: 'alice' }, { key: 'generic_key', value: 'api' }], tokenBucket: { maxTokens: 2, tokensPerFill: 2, fillIntervalMs: 60_000 } },
    { entries: [{ key: 'remote_address', value: '127.0.0.1' }], tokenBucket: { maxTokens: 5, fillIntervalMs: 1000 } },
  ],
  stage: 2,
  alwaysConsumeDefaultTokenBucket: false,
};

export const FAULT_FOR_TEST: Fault = {
  delay: { faultDelaySpecifier: { kind: 'fixedDelay', fixedDelayMs: 250 }, percentage: 0.1 },
  abort: { errorType: { kind: 'httpStatus', httpStatus: 418 }, percentage: 0.000001 },
  upstreamCluster: clusterName('cluster-static'),
  headers: [{ name: 'x-fault', headerMatchSpecifier: { kind: 'present', present: true } }],
  downstreamNodes: ['node-a'],
  maxActiveFaults: 7,
  responseRateLimit: { limitType: { kind: 'fixedLimit', limitKbps: 64 }, percentage: 1 },
};

/** The other fault members, for the per-route override. */
export const HEADER_FAULT_FOR_TEST: Fault = {
  delay: { faultDelaySpecifier: { kind: 'headerDelay' } },
  abort: { errorType: { kind: 'grpcStatus', grpcStatus: 14 } },
  headers: [],
  downstreamNodes: [],
  responseRateLimit: { limitType: { kind: 'headerLimit' } },
};

const HEADER_ABORT_FAULT: Fault = { abort: { errorType: { kind: 'headerAbort' } }, headers: [], downstreamNodes: [] };

export const RETRY_POLICY_FOR_TEST: RetryPolicy = {
  retryOn: ['5xx', 'reset', 'retriable-status-codes'],
  numRetries: 3,
  perTryTimeoutMs: 1000,
  perTryIdleTimeoutMs: 500,
  retryBackOff: { baseIntervalMs: 25, maxIntervalMs: 250 },
  retriableStatusCodes: [502, 503],
  retriableHeaders: [{ name: 'x-retry', headerMatchSpecifier: { kind: 'present', present: true } }],
  retriableRequestHeaders: [{ name: ':method', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: 'GET' } } }],
  retryHostPredicate: [{ kind: 'previousHosts' }],
  hostSelectionRetryMaxAttempts: 3,
};

const prefix = (p: string) => newRouteMatch({ pathSpecifier: { kind: 'prefix', prefix: p } });

function vhost(): ReturnType<typeof newVirtualHost> {
  return newVirtualHost({
    name: 'everything',
    domains: ['example.com', '*.example.com'],
    requireTls: 'EXTERNAL_ONLY',
    requestHeadersToAdd: [ADD_HEADER_FOR_TEST],
    requestHeadersToRemove: ['x-vh-req'],
    responseHeadersToAdd: [{ header: { key: 'x-vh', value: '1' } }],
    responseHeadersToRemove: ['x-vh-resp'],
    retryPolicy: { ...RETRY_POLICY_FOR_TEST, retryOn: ['gateway-error'], retriableStatusCodes: [], retriableHeaders: [], retriableRequestHeaders: [], retryHostPredicate: [] },
    typedPerFilterConfig: { 'envoy.filters.http.fault': { kind: 'filterConfig', disabled: true } },
    includeRequestAttemptCount: true,
    rateLimits: [{ actions: [{ kind: 'remoteAddress' }] }],
    routes: [
      newRoute({
        name: 'full',
        match: newRouteMatch({
          pathSpecifier: { kind: 'prefix', prefix: '/api' },
          caseSensitive: false,
          headers: HEADER_MATCHERS_FOR_TEST,
          queryParameters: [
            { name: 'q', queryParameterMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'prefix', prefix: 'v' } } },
            { name: 'debug', queryParameterMatchSpecifier: { kind: 'presentMatch', presentMatch: true } },
          ],
          grpc: true,
          runtimeFraction: 0.25,
          tlsContext: { presented: true, validated: false },
        }),
        action: {
          kind: 'route',
          route: newRouteAction({
            clusterSpecifier: { kind: 'cluster', cluster: clusterName('cluster-static') },
            prefixRewrite: '/v2',
            hostRewriteSpecifier: { kind: 'hostRewriteLiteral', hostRewriteLiteral: 'backend.local' },
            timeoutMs: 0,
            idleTimeoutMs: 30_000,
            retryPolicy: RETRY_POLICY_FOR_TEST,
            requestMirrorPolicies: [{ cluster: clusterName('cluster-eds'), runtimeFraction: 0.05 }],
            hashPolicy: [
              { policySpecifier: { kind: 'header', header: { headerName: 'x-user', regexRewrite: { pattern: '^(.*)-.*$', substitution: '\\1' } } }, terminal: true },
              { policySpecifier: { kind: 'cookie', cookie: { name: 'session', ttlMs: 3_600_000, path: '/' } } },
              { policySpecifier: { kind: 'connectionProperties', connectionProperties: { sourceIp: true } } },
              { policySpecifier: { kind: 'queryParameter', queryParameter: { name: 'user' } } },
            ],
            upgradeConfigs: [{ upgradeType: 'websocket', enabled: false }],
            maxStreamDuration: { maxStreamDurationMs: 60_000, grpcTimeoutHeaderMaxMs: 5000, grpcTimeoutHeaderOffsetMs: 10 },
            priority: 'HIGH',
            clusterNotFoundResponseCode: 'NOT_FOUND',
            rateLimits: [
              {
                stage: 2,
                actions: [
                  { kind: 'requestHeaders', headerName: 'x-user', descriptorKey: 'user', skipIfAbsent: true },
                  { kind: 'genericKey', descriptorValue: 'api', descriptorKey: 'generic_key' },
                  { kind: 'sourceCluster' },
                  { kind: 'destinationCluster' },
                ],
              },
              { actions: [{ kind: 'headerValueMatch', descriptorValue: 'no-get', expectMatch: false, headers: [{ name: ':method', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: 'GET' } } }] }] },
            ],
            includeVhRateLimits: true,
          }),
        },
        requestHeadersToAdd: [ADD_HEADER_FOR_TEST],
        requestHeadersToRemove: ['x-route-req'],
        responseHeadersToAdd: [{ header: { key: 'x-route', value: 'full' } }],
        responseHeadersToRemove: ['x-route-resp'],
        typedPerFilterConfig: {
          'envoy.filters.http.local_ratelimit': { kind: 'localRateLimit', typedConfig: { ...LOCAL_RATE_LIMIT_FOR_TEST, statPrefix: 'per_route' } },
          'envoy.filters.http.fault': { kind: 'fault', typedConfig: HEADER_FAULT_FOR_TEST },
        },
      }),
      newRoute({
        match: newRouteMatch({ pathSpecifier: { kind: 'path', path: '/exact' } }),
        action: toCluster('cluster-static', { regexRewrite: { pattern: '^/exact$', substitution: '/rewritten' }, hostRewriteSpecifier: { kind: 'autoHostRewrite', autoHostRewrite: true } }),
      }),
      newRoute({
        match: newRouteMatch({ pathSpecifier: { kind: 'safeRegex', regex: '^/r/[0-9]+$' } }),
        action: {
          kind: 'route',
          route: newRouteAction({
            clusterSpecifier: {
              kind: 'weightedClusters',
              weightedClusters: {
                clusters: [
                  {
                    name: clusterName('cluster-static'),
                    weight: 90,
                    requestHeadersToAdd: [ADD_HEADER_FOR_TEST],
                    requestHeadersToRemove: ['x-w-req'],
                    responseHeadersToAdd: [{ header: { key: 'x-w', value: 'static' } }],
                    responseHeadersToRemove: ['x-w-resp'],
                    hostRewriteLiteral: 'static.local',
                    typedPerFilterConfig: { 'envoy.filters.http.fault': { kind: 'fault', typedConfig: HEADER_ABORT_FAULT } },
                  },
                  { name: clusterName('cluster-eds'), weight: 10, requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [], typedPerFilterConfig: {} },
                ],
              },
            },
            hostRewriteSpecifier: { kind: 'hostRewriteHeader', hostRewriteHeader: 'x-host' },
          }),
        },
      }),
      newRoute({
        match: newRouteMatch({ pathSpecifier: { kind: 'pathSeparatedPrefix', prefix: '/old' } }),
        action: {
          kind: 'redirect',
          redirect: {
            schemeRewriteSpecifier: { kind: 'httpsRedirect', httpsRedirect: true },
            hostRedirect: 'new.example.com',
            portRedirect: 8443,
            pathRewriteSpecifier: { kind: 'prefixRewrite', prefixRewrite: '/new' },
            responseCode: 'PERMANENT_REDIRECT',
            stripQuery: true,
          },
        },
      }),
      newRoute({ match: prefix('/scheme'), action: { kind: 'redirect', redirect: { schemeRewriteSpecifier: { kind: 'schemeRedirect', schemeRedirect: 'http' }, pathRewriteSpecifier: { kind: 'pathRedirect', pathRedirect: '/elsewhere' } } } }),
      newRoute({ match: prefix('/regex'), action: { kind: 'redirect', redirect: { pathRewriteSpecifier: { kind: 'regexRewrite', regexRewrite: { pattern: '^/regex/(.*)$', substitution: '/\\1' } } } } }),
      newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'connectMatcher' } }), action: { kind: 'directResponse', directResponse: { status: 200 } } }),
      newRoute({ match: prefix('/file'), action: { kind: 'directResponse', directResponse: { status: 503, body: { kind: 'filename', filename: '/etc/weft/503.html' } } } }),
      newRoute({ match: prefix('/text'), action: { kind: 'directResponse', directResponse: { status: 404, body: { kind: 'inlineString', inlineString: 'not here' } } } }),
      newRoute({ match: prefix('/bytes'), action: { kind: 'directResponse', directResponse: { status: 200, body: { kind: 'inlineBytes', inlineBytes: 'aGVsbG8=' } } } }),
      newRoute({ match: prefix('/env'), action: { kind: 'directResponse', directResponse: { status: 200, body: { kind: 'environmentVariable', environmentVariable: 'WEFT_BODY' } } } }),
    ],
  });
}

/** A route configuration as an RDS resource (or, with other sources, inline in an HCM). */
export function kitchenSinkRouteConfigurationForTest(name = 'rc-kitchen-sink'): RouteConfiguration {
  return newRouteConfiguration({
    name,
    sources: KITCHEN_SINK_SOURCES_FOR_TEST,
    virtualHosts: [vhost()],
    internalOnlyHeaders: ['x-internal'],
    requestHeadersToAdd: [{ header: { key: 'x-rc', value: 'req' }, appendAction: 'OVERWRITE_IF_EXISTS' }],
    requestHeadersToRemove: ['x-rc-req'],
    responseHeadersToAdd: [{ header: { key: 'x-rc', value: 'resp' } }],
    responseHeadersToRemove: ['x-rc-resp'],
    mostSpecificHeaderMutationsWins: true,
    ignorePortInHostMatching: true,
    typedPerFilterConfig: { 'envoy.filters.http.local_ratelimit': { kind: 'filterConfig', disabled: false } },
  });
}
