/**
 * Test fixture: listeners that use every member of every union a listener holds (addresses,
 * network filters, HTTP filters, route specifiers, access log sinks, formats and filters, TLS
 * validation contexts), built with the model's builders. See kitchen-sink-routes.ts.
 */
import { hcmFilter, newFilterChain, newHttpConnectionManager, newListener, ROUTER_FILTER } from '../builders.ts';
import type { AccessLog } from '../access-log.ts';
import type { HttpConnectionManager } from '../http-connection-manager.ts';
import { clusterName, routeConfigName, secretName } from '../ids.ts';
import type { Listener } from '../listener.ts';
import type { NetworkFilter } from '../network-filters.ts';
import type { DownstreamTlsContext } from '../tls.ts';
import { FAULT_FOR_TEST, kitchenSinkRouteConfigurationForTest, KITCHEN_SINK_SOURCES_FOR_TEST, LOCAL_RATE_LIMIT_FOR_TEST } from './kitchen-sink-routes.ts';

/** Every access log sink, format and filter. */
export const ACCESS_LOGS_FOR_TEST: readonly AccessLog[] = [
  {
    name: 'envoy.access_loggers.file',
    filter: {
      kind: 'andFilter',
      filters: [
        { kind: 'statusCodeFilter', op: 'GE', value: 400 },
        { kind: 'durationFilter', op: 'LE', valueMs: 2000 },
        { kind: 'orFilter', filters: [{ kind: 'notHealthCheckFilter' }, { kind: 'responseFlagFilter', flags: ['UH', 'UO'] }] },
      ],
    },
    typedConfig: { kind: 'file', path: '/dev/stdout', logFormat: { format: { kind: 'textFormat', textFormat: '[%START_TIME%] %REQ(:PATH)%\n' }, omitEmptyValues: true } },
  },
  {
    name: 'envoy.access_loggers.stdout',
    filter: { kind: 'statusCodeFilter', op: 'EQ', value: 500 },
    typedConfig: { kind: 'stdout', logFormat: { format: { kind: 'jsonFormat', jsonFormat: { path: '%REQ(:PATH)%', nested: { code: '%RESPONSE_CODE%', n: 1, ok: true, none: null } } } } },
  },
  { name: 'envoy.access_loggers.stderr', typedConfig: { kind: 'stderr', logFormat: {} } },
];

export const DOWNSTREAM_TLS_FOR_TEST: DownstreamTlsContext = {
  commonTlsContext: {
    tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3', cipherSuites: ['ECDHE-ECDSA-AES128-GCM-SHA256'], ecdhCurves: ['X25519'] },
    tlsCertificates: [
      {
        certificateChain: { kind: 'filename', filename: '/certs/tls.crt' },
        privateKey: { kind: 'filename', filename: '/certs/tls.key' },
        password: { kind: 'environmentVariable', environmentVariable: 'KEY_PASSWORD' },
      },
    ],
    tlsCertificateSdsSecretConfigs: [{ name: secretName('demo/gateway-cert') }],
    validationContextType: {
      kind: 'combinedValidationContext',
      combinedValidationContext: {
        defaultValidationContext: {
          matchTypedSubjectAltNames: [{ sanType: 'URI', matcher: { kind: 'prefix', prefix: 'spiffe://cluster.local/' } }],
          verifyCertificateHash: [],
          verifyCertificateSpki: [],
        },
        validationContextSdsSecretConfig: { name: secretName('demo/ca') },
      },
    },
    alpnProtocols: ['h2', 'http/1.1'],
  },
  requireClientCertificate: true,
  requireSni: false,
  sessionTimeoutMs: 7_200_000,
  disableStatelessSessionResumption: true,
};

export function kitchenSinkHcmForTest(): HttpConnectionManager {
  return newHttpConnectionManager({
    codecType: 'HTTP2',
    statPrefix: 'ingress_http',
    routeSpecifier: { kind: 'rds', rds: { routeConfigName: routeConfigName('rc-kitchen-sink') } },
    httpFilters: [
      { kind: 'fault', name: 'envoy.filters.http.fault', typedConfig: FAULT_FOR_TEST },
      { kind: 'localRateLimit', name: 'envoy.filters.http.local_ratelimit', typedConfig: LOCAL_RATE_LIMIT_FOR_TEST, disabled: true },
      { kind: 'router', name: 'envoy.filters.http.router', typedConfig: { suppressEnvoyHeaders: true, dynamicStats: false } },
    ],
    accessLog: ACCESS_LOGS_FOR_TEST,
    useRemoteAddress: true,
    xffNumTrustedHops: 2,
    skipXffAppend: true,
    via: 'weft',
    serverName: 'weft-gw',
    serverHeaderTransformation: 'APPEND_IF_ABSENT',
    generateRequestId: false,
    preserveExternalRequestId: true,
    alwaysSetRequestIdInResponse: true,
    requestTimeoutMs: 120_000,
    streamIdleTimeoutMs: 0,
    requestHeadersTimeoutMs: 10_000,
    drainTimeoutMs: 2500,
    delayedCloseTimeoutMs: 100,
    commonHttpProtocolOptions: { idleTimeoutMs: 600_000, maxConnectionDurationMs: 3_600_000, maxHeadersCount: 50, maxStreamDurationMs: 90_000, headersWithUnderscoresAction: 'REJECT_REQUEST', maxRequestsPerConnection: 1000 },
    httpProtocolOptions: { acceptHttp10: true, defaultHostForHttp10: 'default.local', allowChunkedLength: true },
    http2ProtocolOptions: { maxConcurrentStreams: 100, initialStreamWindowSize: 65_536, initialConnectionWindowSize: 1_048_576, allowConnect: true },
    maxRequestHeadersKb: 96,
    normalizePath: true,
    mergeSlashes: true,
    pathWithEscapedSlashesAction: 'UNESCAPE_AND_REDIRECT',
    stripMatchingHostPort: true,
    upgradeConfigs: [{ upgradeType: 'websocket' }, { upgradeType: 'CONNECT', enabled: false }],
    forwardClientCertDetails: 'APPEND_FORWARD',
    streamErrorOnInvalidHttpMessage: true,
  });
}

const TCP_TO_STATIC: NetworkFilter = {
  kind: 'tcpProxy',
  name: 'envoy.filters.network.tcp_proxy',
  typedConfig: { statPrefix: 'default_tcp', clusterSpecifier: { kind: 'cluster', cluster: clusterName('cluster-static') }, accessLog: [] },
};

/** A listener on a socket address with every listener field and every network filter. */
export function kitchenSinkListenerForTest(): Listener {
  return newListener({
    name: 'listener-kitchen-sink',
    sources: KITCHEN_SINK_SOURCES_FOR_TEST,
    address: { kind: 'socketAddress', address: '::', portValue: 8443, ipv4Compat: true },
    additionalAddresses: [{ kind: 'socketAddress', address: '127.0.0.1', portValue: 0 }],
    listenerFilters: [{ kind: 'tlsInspector', name: 'envoy.filters.listener.tls_inspector', typedConfig: { initialReadBufferSize: 16_384 } }],
    listenerFiltersTimeoutMs: 5000,
    continueOnListenerFiltersTimeout: true,
    perConnectionBufferLimitBytes: 32_768,
    trafficDirection: 'INBOUND',
    filterChains: [
      newFilterChain({
        name: 'https',
        filterChainMatch: {
          destinationPort: 8443,
          prefixRanges: [{ addressPrefix: '10.0.0.0', prefixLen: 8 }],
          directSourcePrefixRanges: [{ addressPrefix: '192.168.0.0', prefixLen: 16 }],
          sourceType: 'EXTERNAL',
          sourcePrefixRanges: [{ addressPrefix: '0.0.0.0', prefixLen: 0 }],
          sourcePorts: [1234, 5678],
          serverNames: ['example.com', '*.example.com'],
          transportProtocol: 'tls',
          applicationProtocols: ['h2'],
        },
        transportSocket: DOWNSTREAM_TLS_FOR_TEST,
        transportSocketConnectTimeoutMs: 1500,
        filters: [
          {
            kind: 'localRateLimit',
            name: 'envoy.filters.network.local_ratelimit',
            typedConfig: { statPrefix: 'conn_limit', tokenBucket: { maxTokens: 100, fillIntervalMs: 1000 }, runtimeEnabled: false },
          },
          { kind: 'connectionLimit', name: 'envoy.filters.network.connection_limit', typedConfig: { statPrefix: 'max_conns', maxConnections: 1000, delayMs: 50, runtimeEnabled: true } },
          hcmFilter(kitchenSinkHcmForTest()),
        ],
      }),
      newFilterChain({
        filterChainMatch: { prefixRanges: [], directSourcePrefixRanges: [], sourcePrefixRanges: [], sourcePorts: [], serverNames: [], transportProtocol: 'raw_buffer', applicationProtocols: [] },
        filters: [
          {
            kind: 'tcpProxy',
            name: 'envoy.filters.network.tcp_proxy',
            typedConfig: {
              statPrefix: 'tcp',
              clusterSpecifier: { kind: 'weightedClusters', weightedClusters: { clusters: [{ name: clusterName('cluster-static'), weight: 3 }, { name: clusterName('cluster-eds'), weight: 1 }] } },
              idleTimeoutMs: 0,
              maxConnectAttempts: 5,
              maxDownstreamConnectionDurationMs: 86_400_000,
              accessLog: [ACCESS_LOGS_FOR_TEST[2]],
            },
          },
        ],
      }),
    ],
    defaultFilterChain: newFilterChain({ name: 'fallback', filters: [TCP_TO_STATIC] }),
  });
}

/** A listener on a unix socket whose HCM holds its route configuration inline. */
export function kitchenSinkPipeListenerForTest(): Listener {
  return newListener({
    name: 'listener-pipe',
    sources: KITCHEN_SINK_SOURCES_FOR_TEST,
    address: { kind: 'pipe', path: '/run/weft/admin.sock', mode: 0o600 },
    filterChains: [
      newFilterChain({
        filters: [hcmFilter(newHttpConnectionManager({ statPrefix: 'pipe', routeSpecifier: { kind: 'routeConfig', routeConfig: kitchenSinkRouteConfigurationForTest('inline') }, httpFilters: [ROUTER_FILTER] }))],
      }),
    ],
  });
}

/** An internal listener: no address. */
export function kitchenSinkInternalListenerForTest(): Listener {
  return newListener({ name: 'listener-internal', sources: KITCHEN_SINK_SOURCES_FOR_TEST, filterChains: [newFilterChain({ filters: [TCP_TO_STATIC] })] });
}
