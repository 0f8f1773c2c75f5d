// The converters beyond the seed tutorials: TLS, listener filters, TCP proxy, network filters,
// faults, per-route configs, access logs, health checks, load-balancer and protocol options,
// endpoints and secrets, each written the way Envoy's docs write them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIAGNOSTIC_CODES, formatDiagnostic } from '../../lib/diagnostic.ts';
import { decodeEnvoyResource } from './decode-envoy-resource.ts';
import type { ModelResource } from './model-resource.ts';

const T = 'type.googleapis.com/';

function decodeOk(value: Record<string, unknown>): ModelResource {
  const out = decodeEnvoyResource(value, undefined, undefined);
  assert.deepEqual(out.diagnostics.map(formatDiagnostic), []);
  assert.ok(out.resource);
  return out.resource;
}

describe('listener', () => {
  test('TLS termination with SNI chains, tls_inspector, network filters and tcp_proxy', () => {
    const r = decodeOk({
      '@type': `${T}envoy.config.listener.v3.Listener`,
      name: 'tls',
      address: { socket_address: { address: '127.0.0.1', port_value: 8443 } },
      additional_addresses: [{ address: { socket_address: { address: '::1', port_value: 8443 } } }],
      listener_filters: [{ name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': `${T}envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector` } }],
      listener_filters_timeout: '5s',
      per_connection_buffer_limit_bytes: 32768,
      traffic_direction: 'INBOUND',
      stat_prefix: 'ignored',
      filter_chains: [
        {
          name: 'passthrough',
          filter_chain_match: { server_names: ['*.example.com'], transport_protocol: 'tls', destination_port: 8443, source_prefix_ranges: [{ address_prefix: '10.0.0.0', prefix_len: 8 }] },
          filters: [
            { name: 'envoy.filters.network.local_ratelimit', typed_config: { '@type': `${T}envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit`, stat_prefix: 'conn', token_bucket: { max_tokens: 5, fill_interval: '1s' }, runtime_enabled: { default_value: false, runtime_key: 'k' } } },
            { name: 'envoy.filters.network.connection_limit', typed_config: { '@type': `${T}envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit`, stat_prefix: 'cl', max_connections: '10', delay: '0.5s' } },
            {
              name: 'envoy.filters.network.tcp_proxy',
              typed_config: {
                '@type': `${T}envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`,
                stat_prefix: 'tcp',
                weighted_clusters: { clusters: [{ name: 'a', weight: 1 }, { name: 'b', weight: 3 }] },
                idle_timeout: '0s',
                max_connect_attempts: 2,
              },
            },
          ],
        },
        {
          filter_chain_match: { server_names: ['www.example.com'] },
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: {
              '@type': `${T}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`,
              require_client_certificate: true,
              common_tls_context: {
                tls_params: { tls_minimum_protocol_version: 'TLSv1_2' },
                tls_certificates: [{ certificate_chain: { filename: '/c.pem' }, private_key: { inline_string: 'KEY' } }],
                tls_certificate_sds_secret_configs: [{ name: 'sds-cert', sds_config: { ads: {} } }],
                validation_context: { trusted_ca: { filename: '/ca.pem' }, match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: 'client' } }] },
                alpn_protocols: ['h2', 'http/1.1'],
              },
            },
          },
          filters: [{ name: 'tcp', typed_config: { '@type': `${T}envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`, stat_prefix: 'www', cluster: 'www' } }],
        },
      ],
    });
    assert.ok(r.kind === 'listener');
    const l = r.listener;
    assert.deepEqual(l.additionalAddresses, [{ kind: 'socketAddress', address: '::1', portValue: 8443 }]);
    assert.deepEqual(l.listenerFilters, [{ kind: 'tlsInspector', typedConfig: {}, name: 'envoy.filters.listener.tls_inspector' }]);
    assert.equal(l.listenerFiltersTimeoutMs, 5000);
    assert.equal(l.trafficDirection, 'INBOUND');
    assert.deepEqual(l.filterChains[0].filterChainMatch, {
      destinationPort: 8443,
      prefixRanges: [],
      directSourcePrefixRanges: [],
      sourcePrefixRanges: [{ addressPrefix: '10.0.0.0', prefixLen: 8 }],
      sourcePorts: [],
      serverNames: ['*.example.com'],
      transportProtocol: 'tls',
      applicationProtocols: [],
    });
    assert.deepEqual(
      l.filterChains[0].filters.map((f) => [f.kind, f.typedConfig]),
      [
        ['localRateLimit', { statPrefix: 'conn', tokenBucket: { maxTokens: 5, fillIntervalMs: 1000 }, runtimeEnabled: false }],
        ['connectionLimit', { statPrefix: 'cl', maxConnections: 10, delayMs: 500 }],
        ['tcpProxy', { statPrefix: 'tcp', clusterSpecifier: { kind: 'weightedClusters', weightedClusters: { clusters: [{ name: 'a', weight: 1 }, { name: 'b', weight: 3 }] } }, idleTimeoutMs: 0, maxConnectAttempts: 2, accessLog: [] }],
      ],
    );
    const tls = l.filterChains[1].transportSocket;
    assert.deepEqual(tls, {
      requireClientCertificate: true,
      commonTlsContext: {
        tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', cipherSuites: [], ecdhCurves: [] },
        tlsCertificates: [{ certificateChain: { kind: 'filename', filename: '/c.pem' }, privateKey: { kind: 'inlineString', inlineString: 'KEY' } }],
        tlsCertificateSdsSecretConfigs: [{ name: 'sds-cert' }],
        validationContextType: {
          kind: 'validationContext',
          validationContext: {
            trustedCa: { kind: 'filename', filename: '/ca.pem' },
            matchTypedSubjectAltNames: [{ sanType: 'DNS', matcher: { kind: 'exact', exact: 'client' } }],
            verifyCertificateHash: [],
            verifyCertificateSpki: [],
          },
        },
        alpnProtocols: ['h2', 'http/1.1'],
      },
    });
  });

  test('HTTP filters, per-route configs, access logs and HCM settings', () => {
    const r = decodeOk({
      '@type': `${T}envoy.config.listener.v3.Listener`,
      name: 'http',
      address: { socket_address: { address: '0.0.0.0', port_value: 8080 } },
      filter_chains: [
        {
          filters: [
            {
              name: 'hcm',
              typed_config: {
                '@type': `${T}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`,
                codec_type: 'HTTP1',
                stat_prefix: 'ingress',
                use_remote_address: true,
                xff_num_trusted_hops: 1,
                server_name: 'weft',
                generate_request_id: false,
                request_timeout: '30s',
                stream_idle_timeout: '0s',
                normalize_path: true,
                merge_slashes: true,
                path_with_escaped_slashes_action: 'REJECT_REQUEST',
                common_http_protocol_options: { idle_timeout: '60s', headers_with_underscores_action: 'REJECT_REQUEST', max_requests_per_connection: 100 },
                http_protocol_options: { accept_http_10: true },
                http2_protocol_options: { max_concurrent_streams: 100, hpack_table_size: 4096 },
                upgrade_configs: [{ upgrade_type: 'websocket' }],
                access_log: [
                  {
                    name: 'envoy.access_loggers.file',
                    filter: { and_filter: { filters: [{ status_code_filter: { comparison: { op: 'GE', value: { default_value: 500, runtime_key: 'x' } } } }, { not_health_check_filter: {} }] } },
                    typed_config: { '@type': `${T}envoy.extensions.access_loggers.file.v3.FileAccessLog`, path: '/dev/stdout', log_format: { json_format: { status: '%RESPONSE_CODE%' }, omit_empty_values: true } },
                  },
                  { name: 'err', typed_config: { '@type': `${T}envoy.extensions.access_loggers.stream.v3.StderrAccessLog`, log_format: { text_format_source: { inline_string: '%START_TIME%\n' } } } },
                ],
                http_filters: [
                  {
                    name: 'envoy.filters.http.fault',
                    typed_config: {
                      '@type': `${T}envoy.extensions.filters.http.fault.v3.HTTPFault`,
                      delay: { fixed_delay: '0.1s', percentage: { numerator: 50, denominator: 'HUNDRED' } },
                      abort: { http_status: 503, percentage: { numerator: 10000, denominator: 'MILLION' } },
                      headers: [{ name: 'x-fault', present_match: true }],
                      max_active_faults: 3,
                      delay_percent_runtime: 'ignored',
                    },
                  },
                  { name: 'lrl', disabled: true, typed_config: { '@type': `${T}envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`, stat_prefix: 'rl', status: { code: 'ServiceUnavailable' } } },
                  { name: 'envoy.filters.http.router', typed_config: { '@type': `${T}envoy.extensions.filters.http.router.v3.Router`, suppress_envoy_headers: true, dynamic_stats: false } },
                ],
                route_config: {
                  name: 'inline',
                  typed_per_filter_config: { lrl: { '@type': `${T}envoy.config.route.v3.FilterConfig`, disabled: true } },
                  virtual_hosts: [
                    {
                      name: 'vh',
                      domains: ['example.com', 'example.com:*'],
                      require_tls: 'EXTERNAL_ONLY',
                      retry_policy: { retry_on: 'connect-failure,reset', num_retries: 2, retry_back_off: { base_interval: '0.05s' }, retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts', typed_config: { '@type': `${T}envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate` } }] },
                      virtual_clusters: [{ name: 'ignored', headers: [{ name: ':path', string_match: { prefix: '/' } }] }],
                      routes: [
                        {
                          match: { safe_regex: { regex: '^/api/v[0-9]+/.*' }, headers: [{ name: 'x-env', string_match: { exact: 'Prod', ignore_case: true } }, { name: 'x-n', range_match: { start: '1', end: 10 } }], query_parameters: [{ name: 'debug' }], grpc: {} },
                          route: {
                            cluster: 'api',
                            timeout: '2.5s',
                            host_rewrite_literal: 'api.internal',
                            hash_policy: [{ header: { header_name: 'x-user' } }, { connection_properties: { source_ip: true }, terminal: true }],
                            request_mirror_policies: [{ cluster: 'shadow', runtime_fraction: { default_value: { numerator: 25 } } }],
                            max_grpc_timeout: '10s',
                          },
                          typed_per_filter_config: {
                            lrl: { '@type': `${T}envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`, stat_prefix: 'per-route', token_bucket: { max_tokens: 1, fill_interval: '60s' }, filter_enabled: { default_value: { numerator: 100 } }, filter_enforced: { default_value: { numerator: 100 } } },
                          },
                        },
                        { match: { path: '/old', case_sensitive: false }, redirect: { path_redirect: '/new', response_code: 'PERMANENT_REDIRECT', https_redirect: true } },
                        { match: { prefix: '/' }, direct_response: { status: 404, body: { inline_string: 'nope' } }, decorator: { operation: 'ignored' } },
                      ],
                    },
                  ],
                },
              },
            },
          ],
        },
      ],
    });
    assert.ok(r.kind === 'listener');
    const f = r.listener.filterChains[0].filters[0];
    assert.ok(f.kind === 'httpConnectionManager');
    const h = f.typedConfig;
    assert.equal(h.codecType, 'HTTP1');
    assert.equal(h.generateRequestId, false);
    assert.equal(h.streamIdleTimeoutMs, 0);
    assert.equal(h.pathWithEscapedSlashesAction, 'REJECT_REQUEST');
    assert.deepEqual(h.commonHttpProtocolOptions, { idleTimeoutMs: 60000, headersWithUnderscoresAction: 'REJECT_REQUEST', maxRequestsPerConnection: 100 });
    assert.deepEqual(h.http2ProtocolOptions, { maxConcurrentStreams: 100 });
    assert.deepEqual(h.upgradeConfigs, [{ upgradeType: 'websocket' }]);
    assert.deepEqual(h.accessLog, [
      {
        name: 'envoy.access_loggers.file',
        filter: { kind: 'andFilter', filters: [{ kind: 'statusCodeFilter', op: 'GE', value: 500 }, { kind: 'notHealthCheckFilter' }] },
        typedConfig: { kind: 'file', path: '/dev/stdout', logFormat: { format: { kind: 'jsonFormat', jsonFormat: { status: '%RESPONSE_CODE%' } }, omitEmptyValues: true } },
      },
      { name: 'err', typedConfig: { kind: 'stderr', logFormat: { format: { kind: 'textFormat', textFormat: '%START_TIME%\n' } } } },
    ]);
    const [fault, lrl, router] = h.httpFilters;
    assert.ok(fault.kind === 'fault');
    assert.deepEqual(fault.typedConfig, {
      delay: { faultDelaySpecifier: { kind: 'fixedDelay', fixedDelayMs: 100 }, percentage: 0.5 },
      abort: { errorType: { kind: 'httpStatus', httpStatus: 503 }, percentage: 0.01 },
      headers: [{ name: 'x-fault', headerMatchSpecifier: { kind: 'present', present: true } }],
      downstreamNodes: [],
      maxActiveFaults: 3,
    });
    assert.ok(lrl.kind === 'localRateLimit');
    assert.equal(lrl.disabled, true);
    assert.equal(lrl.typedConfig.status, 503);
    assert.deepEqual(router, { kind: 'router', typedConfig: { suppressEnvoyHeaders: true, dynamicStats: false }, name: 'envoy.filters.http.router' });

    assert.ok(h.routeSpecifier.kind === 'routeConfig');
    const rc = h.routeSpecifier.routeConfig;
    assert.deepEqual(rc.typedPerFilterConfig, { lrl: { kind: 'filterConfig', disabled: true } });
    const vh = rc.virtualHosts[0];
    assert.equal(vh.requireTls, 'EXTERNAL_ONLY');
    assert.deepEqual(vh.retryPolicy, {
      retryOn: ['connect-failure', 'reset'],
      numRetries: 2,
      retryBackOff: { baseIntervalMs: 50 },
      retriableStatusCodes: [],
      retriableHeaders: [],
      retriableRequestHeaders: [],
      retryHostPredicate: [{ kind: 'previousHosts' }],
    });
    const [api, old, rest] = vh.routes;
    assert.deepEqual(api.match, {
      pathSpecifier: { kind: 'safeRegex', regex: '^/api/v[0-9]+/.*' },
      headers: [
        { name: 'x-env', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: 'Prod', ignoreCase: true } } },
        { name: 'x-n', headerMatchSpecifier: { kind: 'range', range: { start: 1, end: 10 } } },
      ],
      queryParameters: [{ name: 'debug', queryParameterMatchSpecifier: { kind: 'presentMatch', presentMatch: true } }],
      grpc: true,
    });
    assert.ok(api.action.kind === 'route');
    assert.equal(api.action.route.timeoutMs, 2500);
    assert.deepEqual(api.action.route.hostRewriteSpecifier, { kind: 'hostRewriteLiteral', hostRewriteLiteral: 'api.internal' });
    assert.deepEqual(api.action.route.hashPolicy, [
      { policySpecifier: { kind: 'header', header: { headerName: 'x-user' } } },
      { policySpecifier: { kind: 'connectionProperties', connectionProperties: { sourceIp: true } }, terminal: true },
    ]);
    assert.deepEqual(api.action.route.requestMirrorPolicies, [{ cluster: 'shadow', runtimeFraction: 0.25 }]);
    assert.deepEqual(api.action.route.maxStreamDuration, { grpcTimeoutHeaderMaxMs: 10000 });
    assert.deepEqual(api.typedPerFilterConfig.lrl, {
      kind: 'localRateLimit',
      typedConfig: { statPrefix: 'per-route', tokenBucket: { maxTokens: 1, fillIntervalMs: 60000 }, filterEnabled: 1, filterEnforced: 1, requestHeadersToAddWhenNotEnforced: [], responseHeadersToAdd: [] },
    });
    assert.deepEqual(old.match.caseSensitive, false);
    assert.deepEqual(old.action, {
      kind: 'redirect',
      redirect: { schemeRewriteSpecifier: { kind: 'httpsRedirect', httpsRedirect: true }, pathRewriteSpecifier: { kind: 'pathRedirect', pathRedirect: '/new' }, responseCode: 'PERMANENT_REDIRECT' },
    });
    assert.deepEqual(rest.action, { kind: 'directResponse', directResponse: { status: 404, body: { kind: 'inlineString', inlineString: 'nope' } } });
  });
});

describe('cluster, endpoints, secret', () => {
  test('health checks, outlier detection percentages, ring hash, protocol options and upstream TLS', () => {
    const r = decodeOk({
      '@type': `${T}envoy.config.cluster.v3.Cluster`,
      name: 'backend',
      type: 'STRICT_DNS',
      dns_refresh_rate: '10s',
      respect_dns_ttl: true,
      lb_policy: 'RING_HASH',
      ring_hash_lb_config: { minimum_ring_size: '512', hash_function: 'MURMUR_HASH_2' },
      common_lb_config: { healthy_panic_threshold: { value: 25 } },
      circuit_breakers: { thresholds: [{ max_connections: 10, max_retries: 1, retry_budget: { budget_percent: { value: 20 }, min_retry_concurrency: 2 }, track_remaining: true }] },
      outlier_detection: { consecutive_5xx: 3, interval: '1s', base_ejection_time: '10s', max_ejection_percent: 50, enforcing_consecutive_5xx: 100, enforcing_success_rate: 0 },
      health_checks: [
        {
          timeout: '1s',
          interval: '2s',
          unhealthy_threshold: 3,
          healthy_threshold: 1,
          http_health_check: { path: '/healthz', expected_statuses: [{ start: 200, end: 300 }], codec_client_type: 'HTTP2', method: 'HEAD' },
        },
        { timeout: '1s', interval: '2s', unhealthy_threshold: 1, healthy_threshold: 1, tcp_health_check: { send: { text: '50494E47' }, receive: [{ text: '504F4E47' }] } },
      ],
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
          '@type': `${T}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`,
          explicit_http_config: { http2_protocol_options: { initial_stream_window_size: 65536 } },
          common_http_protocol_options: { idle_timeout: '30s' },
          upstream_http_protocol_options: { auto_sni: true },
        },
      },
      transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: { '@type': `${T}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`, sni: 'backend.internal', common_tls_context: { validation_context_sds_secret_config: { name: 'ca' } } } },
      load_assignment: {
        cluster_name: 'backend',
        policy: { overprovisioning_factor: 100 },
        endpoints: [
          { locality: { zone: 'a' }, priority: 1, load_balancing_weight: 2, lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'backend.example', port_value: 80 } }, hostname: 'b1', health_check_config: { port_value: 8081 } }, health_status: 'DRAINING' }] },
        ],
      },
      metadata: { filter_metadata: { x: { y: 1 } } },
    });
    assert.ok(r.kind === 'cluster');
    const c = r.cluster;
    assert.equal(c.type, 'STRICT_DNS');
    assert.equal(c.dnsRefreshRateMs, 10000);
    assert.deepEqual(c.lbConfig, { kind: 'ringHashLbConfig', ringHashLbConfig: { minimumRingSize: 512, hashFunction: 'MURMUR_HASH_2' } });
    assert.deepEqual(c.commonLbConfig, { healthyPanicThreshold: 0.25 });
    assert.deepEqual(c.circuitBreakers, { thresholds: [{ maxConnections: 10, maxRetries: 1, retryBudget: { budgetPercent: 0.2, minRetryConcurrency: 2 }, trackRemaining: true }] });
    assert.deepEqual(c.outlierDetection, { consecutive5xx: 3, intervalMs: 1000, baseEjectionTimeMs: 10000, maxEjectionPercent: 0.5, enforcingConsecutive5xx: 1, enforcingSuccessRate: 0 });
    assert.deepEqual(c.healthChecks[0].healthChecker, {
      kind: 'httpHealthCheck',
      httpHealthCheck: { path: '/healthz', expectedStatuses: [{ start: 200, end: 300 }], retriableStatuses: [], requestHeadersToAdd: [], requestHeadersToRemove: [], codecClientType: 'HTTP2', method: 'HEAD' },
    });
    assert.deepEqual(c.healthChecks[1].healthChecker, { kind: 'tcpHealthCheck', tcpHealthCheck: { send: { kind: 'text', text: '50494E47' }, receive: [{ kind: 'text', text: '504F4E47' }] } });
    assert.deepEqual(c.httpProtocolOptions, {
      commonHttpProtocolOptions: { idleTimeoutMs: 30000 },
      upstreamProtocolOptions: { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'http2ProtocolOptions', http2ProtocolOptions: { initialStreamWindowSize: 65536 } } },
      autoSni: true,
    });
    assert.deepEqual(c.transportSocket, {
      sni: 'backend.internal',
      commonTlsContext: { tlsCertificates: [], tlsCertificateSdsSecretConfigs: [], alpnProtocols: [], validationContextType: { kind: 'validationContextSdsSecretConfig', validationContextSdsSecretConfig: { name: 'ca' } } },
    });
    assert.deepEqual(c.loadAssignment, {
      clusterName: 'backend',
      policy: { overprovisioningFactor: 100 },
      sources: [],
      endpoints: [
        {
          locality: { zone: 'a' },
          priority: 1,
          loadBalancingWeight: 2,
          lbEndpoints: [{ healthStatus: 'DRAINING', endpoint: { address: { kind: 'socketAddress', address: 'backend.example', portValue: 80 }, hostname: 'b1', healthCheckConfig: { portValue: 8081 } } }],
        },
      ],
    });
  });

  test('deprecated per-cluster HTTP/2 options map to the typed extension’s shape', () => {
    const r = decodeOk({ '@type': `${T}envoy.config.cluster.v3.Cluster`, name: 'grpc', http2_protocol_options: {}, max_requests_per_connection: 5 });
    assert.ok(r.kind === 'cluster');
    assert.deepEqual(r.cluster.httpProtocolOptions, {
      commonHttpProtocolOptions: { maxRequestsPerConnection: 5 },
      upstreamProtocolOptions: { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'http2ProtocolOptions', http2ProtocolOptions: {} } },
    });
    assert.equal(r.cluster.type, 'STATIC', 'an unset type is STATIC, as in Envoy');
  });

  test('deprecated and typed protocol options together are refused', () => {
    const out = decodeEnvoyResource(
      {
        '@type': `${T}envoy.config.cluster.v3.Cluster`,
        name: 'x',
        http2_protocol_options: {},
        typed_extension_protocol_options: { h: { '@type': `${T}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`, explicit_http_config: { http2_protocol_options: {} } } },
      },
      undefined,
      undefined,
    );
    assert.deepEqual(out.diagnostics.map((d) => [d.code, d.field]), [[DIAGNOSTIC_CODES.INVALID_VALUE, 'http2_protocol_options']]);
  });

  test('an ORIGINAL_DST cluster is valid Envoy that weft does not run', () => {
    const out = decodeEnvoyResource({ '@type': `${T}envoy.config.cluster.v3.Cluster`, name: 'od', type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED' }, undefined, undefined);
    assert.deepEqual(out.diagnostics.map((d) => [d.code, d.field]), [
      [DIAGNOSTIC_CODES.UNSUPPORTED, 'type'],
      [DIAGNOSTIC_CODES.UNSUPPORTED, 'lb_policy'],
    ]);
  });

  test('a ClusterLoadAssignment resource and a TLS Secret', () => {
    const cla = decodeOk({
      '@type': `${T}envoy.config.endpoint.v3.ClusterLoadAssignment`,
      cluster_name: 'default/echo:8080',
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 3000 } } }, load_balancing_weight: 3 }] }],
    });
    assert.ok(cla.kind === 'clusterLoadAssignment');
    assert.equal(cla.clusterLoadAssignment.endpoints[0].lbEndpoints[0].loadBalancingWeight, 3);
    const secret = decodeOk({
      '@type': `${T}envoy.extensions.transport_sockets.tls.v3.Secret`,
      name: 'cert',
      tls_certificate: { certificate_chain: { inline_string: 'CERT' }, private_key: { inline_bytes: 'S0VZ' } },
    });
    assert.ok(secret.kind === 'secret');
    assert.deepEqual(secret.secret.type, {
      kind: 'tlsCertificate',
      tlsCertificate: { certificateChain: { kind: 'inlineString', inlineString: 'CERT' }, privateKey: { kind: 'inlineBytes', inlineBytes: 'S0VZ' } },
    });
  });

  test('header values: the deprecated append flag, and both at once', () => {
    const rc = (hv: object) =>
      decodeEnvoyResource({ '@type': `${T}envoy.config.route.v3.RouteConfiguration`, name: 'r', response_headers_to_add: [hv] }, undefined, undefined);
    const ok = rc({ header: { key: 'x', value: '1' }, append: false });
    assert.ok(ok.resource?.kind === 'routeConfiguration');
    assert.deepEqual(ok.resource.routeConfiguration.responseHeadersToAdd, [{ header: { key: 'x', value: '1' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' }]);
    const both = rc({ header: { key: 'x', value: '1' }, append: true, append_action: 'ADD_IF_ABSENT' });
    assert.deepEqual(both.diagnostics.map((d) => [d.code, d.field]), [[DIAGNOSTIC_CODES.INVALID_VALUE, 'response_headers_to_add[0].append']]);
  });
});
