// The kitchen sink must hold every member of every `kind` union the encoders handle, so the golden
// tests (and the round trip through ingest/envoy) exercise each one. The tables below are typed by
// the model's unions: a member added to the model stops this file compiling until it is listed here
// (and then this test fails until the kitchen sink uses it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccessLogFilter, AccessLogSink, LogFormat } from '../access-log.ts';
import type { LbConfig } from '../cluster.ts';
import type { Address, DataSource } from '../common.ts';
import type { HealthChecker, HealthCheckPayload } from '../health-check.ts';
import type { HcmRouteSpecifier } from '../http-connection-manager.ts';
import type { FaultAbortErrorType, FaultDelaySpecifier, FaultRateLimit, HttpFilter, PerFilterConfig } from '../http-filters.ts';
import type { ListenerFilter } from '../listener.ts';
import type { HeaderMatchSpecifier, QueryParameterMatchSpecifier, StringMatcher } from '../matchers.ts';
import type { NetworkFilter, TcpProxyClusterSpecifier } from '../network-filters.ts';
import type { UpstreamProtocolOptions } from '../protocol-options.ts';
import type { RateLimitAction } from '../rate-limit.ts';
import type {
  ClusterSpecifier,
  HashPolicySpecifier,
  HostRewriteSpecifier,
  RedirectPathRewriteSpecifier,
  RetryHostPredicate,
  SchemeRewriteSpecifier,
} from '../route-action.ts';
import type { PathSpecifier, RouteActionSpecifier } from '../route-configuration.ts';
import type { SecretType, ValidationContextType } from '../tls.ts';
import { kitchenSinkResourcesForTest } from './kitchen-sink.ts';

type Kinds<U extends { readonly kind: string }> = Readonly<Record<U['kind'], true>>;
type ExplicitHttpConfig = Extract<UpstreamProtocolOptions, { kind: 'explicitHttpConfig' }>['explicitHttpConfig'];

/** A union, the property names it is held under, and all its members. */
const UNIONS: readonly (readonly [string, readonly string[], Kinds<{ kind: string }>])[] = [
  ['Address', ['address', 'additionalAddresses'], { socketAddress: true, pipe: true } satisfies Kinds<Address>],
  ['DataSource', ['body', 'certificateChain', 'privateKey', 'password', 'trustedCa', 'crl', 'secret'], { filename: true, inlineString: true, inlineBytes: true, environmentVariable: true } satisfies Kinds<DataSource>],
  ['StringMatcher', ['stringMatch', 'matcher', 'serviceNameMatcher'], { exact: true, prefix: true, suffix: true, contains: true, safeRegex: true } satisfies Kinds<StringMatcher>],
  ['HeaderMatchSpecifier', ['headerMatchSpecifier'], { stringMatch: true, present: true, range: true } satisfies Kinds<HeaderMatchSpecifier>],
  ['QueryParameterMatchSpecifier', ['queryParameterMatchSpecifier'], { stringMatch: true, presentMatch: true } satisfies Kinds<QueryParameterMatchSpecifier>],
  ['PathSpecifier', ['pathSpecifier'], { prefix: true, path: true, safeRegex: true, pathSeparatedPrefix: true, connectMatcher: true } satisfies Kinds<PathSpecifier>],
  ['RouteActionSpecifier', ['action'], { route: true, redirect: true, directResponse: true } satisfies Kinds<RouteActionSpecifier>],
  ['ClusterSpecifier', ['clusterSpecifier'], { cluster: true, weightedClusters: true } satisfies Kinds<ClusterSpecifier>],
  ['TcpProxyClusterSpecifier', ['clusterSpecifier'], { cluster: true, weightedClusters: true } satisfies Kinds<TcpProxyClusterSpecifier>],
  ['HostRewriteSpecifier', ['hostRewriteSpecifier'], { hostRewriteLiteral: true, autoHostRewrite: true, hostRewriteHeader: true } satisfies Kinds<HostRewriteSpecifier>],
  ['RetryHostPredicate', ['retryHostPredicate'], { previousHosts: true } satisfies Kinds<RetryHostPredicate>],
  ['HashPolicySpecifier', ['policySpecifier'], { header: true, cookie: true, connectionProperties: true, queryParameter: true } satisfies Kinds<HashPolicySpecifier>],
  ['SchemeRewriteSpecifier', ['schemeRewriteSpecifier'], { httpsRedirect: true, schemeRedirect: true } satisfies Kinds<SchemeRewriteSpecifier>],
  ['RedirectPathRewriteSpecifier', ['pathRewriteSpecifier'], { pathRedirect: true, prefixRewrite: true, regexRewrite: true } satisfies Kinds<RedirectPathRewriteSpecifier>],
  ['HcmRouteSpecifier', ['routeSpecifier'], { rds: true, routeConfig: true } satisfies Kinds<HcmRouteSpecifier>],
  ['NetworkFilter', ['filters'], { httpConnectionManager: true, tcpProxy: true, localRateLimit: true, connectionLimit: true } satisfies Kinds<NetworkFilter>],
  ['HttpFilter', ['httpFilters'], { router: true, localRateLimit: true, fault: true } satisfies Kinds<HttpFilter>],
  ['PerFilterConfig', ['typedPerFilterConfig'], { localRateLimit: true, fault: true, filterConfig: true } satisfies Kinds<PerFilterConfig>],
  ['ListenerFilter', ['listenerFilters'], { tlsInspector: true } satisfies Kinds<ListenerFilter>],
  ['FaultDelaySpecifier', ['faultDelaySpecifier'], { fixedDelay: true, headerDelay: true } satisfies Kinds<FaultDelaySpecifier>],
  ['FaultAbortErrorType', ['errorType'], { httpStatus: true, grpcStatus: true, headerAbort: true } satisfies Kinds<FaultAbortErrorType>],
  ['FaultRateLimit.limitType', ['limitType'], { fixedLimit: true, headerLimit: true } satisfies Kinds<FaultRateLimit['limitType']>],
  ['LogFormat', ['format'], { textFormat: true, jsonFormat: true } satisfies Kinds<LogFormat>],
  ['AccessLogSink', ['typedConfig'], { file: true, stdout: true, stderr: true } satisfies Kinds<AccessLogSink>],
  [
    'AccessLogFilter',
    ['filter', 'filters'],
    { statusCodeFilter: true, durationFilter: true, notHealthCheckFilter: true, responseFlagFilter: true, andFilter: true, orFilter: true } satisfies Kinds<AccessLogFilter>,
  ],
  ['LbConfig', ['lbConfig'], { ringHashLbConfig: true, maglevLbConfig: true, leastRequestLbConfig: true, roundRobinLbConfig: true } satisfies Kinds<LbConfig>],
  ['UpstreamProtocolOptions', ['upstreamProtocolOptions'], { explicitHttpConfig: true, useDownstreamProtocolConfig: true, autoConfig: true } satisfies Kinds<UpstreamProtocolOptions>],
  ['ExplicitHttpConfig', ['explicitHttpConfig'], { httpProtocolOptions: true, http2ProtocolOptions: true } satisfies Kinds<ExplicitHttpConfig>],
  ['HealthChecker', ['healthChecker'], { httpHealthCheck: true, tcpHealthCheck: true, grpcHealthCheck: true } satisfies Kinds<HealthChecker>],
  ['HealthCheckPayload', ['send', 'receive'], { text: true, binary: true } satisfies Kinds<HealthCheckPayload>],
  ['ValidationContextType', ['validationContextType'], { validationContext: true, validationContextSdsSecretConfig: true, combinedValidationContext: true } satisfies Kinds<ValidationContextType>],
  ['SecretType', ['type'], { tlsCertificate: true, validationContext: true, genericSecret: true } satisfies Kinds<SecretType>],
  [
    'RateLimitAction',
    ['actions'],
    { sourceCluster: true, destinationCluster: true, requestHeaders: true, remoteAddress: true, genericKey: true, headerValueMatch: true } satisfies Kinds<RateLimitAction>,
  ],
];

/** Property names whose object maps free-form keys (filter names, JSON format keys) to values. */
const MAPS = new Set(['typedPerFilterConfig', 'jsonFormat']);

/** Every `holder → kinds` pair found under the value: objects with a `kind`, by the property holding them. */
function kindsByHolder(value: unknown, holder: string, out: Map<string, Set<string>>): Map<string, Set<string>> {
  if (Array.isArray(value)) {
    for (const item of value) kindsByHolder(item, holder, out);
    return out;
  }
  if (value === null || typeof value !== 'object') return out;
  const o = value as Record<string, unknown>;
  if (MAPS.has(holder) && typeof o.kind !== 'string') {
    // A map: its values are held by the map's property.
    for (const v of Object.values(o)) kindsByHolder(v, holder, out);
    return out;
  }
  if (typeof o.kind === 'string') out.set(holder, (out.get(holder) ?? new Set()).add(o.kind));
  for (const [k, v] of Object.entries(o)) kindsByHolder(v, k, out);
  return out;
}

test('the kitchen sink uses every member of every union the model holds', () => {
  const seen = kindsByHolder(kitchenSinkResourcesForTest(), '', new Map());
  const missing: string[] = [];
  for (const [union, holders, kinds] of UNIONS) {
    for (const kind of Object.keys(kinds)) {
      if (!holders.some((h) => seen.get(h)?.has(kind))) missing.push(`${union}.${kind}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every kind-holding property of the kitchen sink is one of the unions above', () => {
  const seen = kindsByHolder(kitchenSinkResourcesForTest(), '', new Map());
  const known = new Set(UNIONS.flatMap(([, holders]) => holders));
  // `sources` hold SourceRefs, whose `kind` is a manifest kind, not a union member.
  assert.deepEqual([...seen.keys()].filter((h) => !known.has(h) && h !== 'sources'), []);
});
