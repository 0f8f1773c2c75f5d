import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newListener } from '../builders.ts';
import {
  ADS_JSON_FOR_TEST,
  FAULT_JSON_FOR_TEST,
  localRateLimitJsonForTest,
  routeConfigurationJsonForTest,
  SOURCES_METADATA_JSON_FOR_TEST,
} from './kitchen-sink-expected.ts';
import { kitchenSinkInternalListenerForTest, kitchenSinkListenerForTest, kitchenSinkPipeListenerForTest } from './kitchen-sink-listeners.ts';
import { encodeListener } from './listener.ts';

const T = 'type.googleapis.com/';
const HCM = `${T}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`;
const TCP = `${T}envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`;
const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': `${T}envoy.extensions.filters.http.router.v3.Router` } };
const STDERR_LOG = { name: 'envoy.access_loggers.stderr', typed_config: { '@type': `${T}envoy.extensions.access_loggers.stream.v3.StderrAccessLog` } };
const TCP_TO_STATIC = { name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP, stat_prefix: 'default_tcp', cluster: 'cluster-static' } };

const ACCESS_LOGS = [
  {
    name: 'envoy.access_loggers.file',
    filter: {
      and_filter: {
        filters: [
          { status_code_filter: { comparison: { op: 'GE', value: { default_value: 400, runtime_key: 'weft.access_log.status_code' } } } },
          { duration_filter: { comparison: { op: 'LE', value: { default_value: 2000, runtime_key: 'weft.access_log.duration' } } } },
          { or_filter: { filters: [{ not_health_check_filter: {} }, { response_flag_filter: { flags: ['UH', 'UO'] } }] } },
        ],
      },
    },
    typed_config: {
      '@type': `${T}envoy.extensions.access_loggers.file.v3.FileAccessLog`,
      path: '/dev/stdout',
      log_format: { text_format_source: { inline_string: '[%START_TIME%] %REQ(:PATH)%\n' }, omit_empty_values: true },
    },
  },
  {
    name: 'envoy.access_loggers.stdout',
    // op EQ is the enum's zero value: left out.
    filter: { status_code_filter: { comparison: { value: { default_value: 500, runtime_key: 'weft.access_log.status_code' } } } },
    typed_config: {
      '@type': `${T}envoy.extensions.access_loggers.stream.v3.StdoutAccessLog`,
      log_format: { json_format: { path: '%REQ(:PATH)%', nested: { code: '%RESPONSE_CODE%', n: 1, ok: true, none: null } } },
    },
  },
  STDERR_LOG,
];

const HCM_JSON = {
  '@type': HCM,
  codec_type: 'HTTP2',
  stat_prefix: 'ingress_http',
  rds: { config_source: ADS_JSON_FOR_TEST, route_config_name: 'rc-kitchen-sink' },
  http_filters: [
    { name: 'envoy.filters.http.fault', typed_config: FAULT_JSON_FOR_TEST },
    { name: 'envoy.filters.http.local_ratelimit', typed_config: localRateLimitJsonForTest('http_local_rate_limiter'), disabled: true },
    { name: 'envoy.filters.http.router', typed_config: { '@type': `${T}envoy.extensions.filters.http.router.v3.Router`, dynamic_stats: false, suppress_envoy_headers: true } },
  ],
  common_http_protocol_options: {
    idle_timeout: '600s',
    max_connection_duration: '3600s',
    max_headers_count: 50,
    max_stream_duration: '90s',
    headers_with_underscores_action: 'REJECT_REQUEST',
    max_requests_per_connection: 1000,
  },
  http_protocol_options: { accept_http_10: true, default_host_for_http_10: 'default.local', allow_chunked_length: true },
  http2_protocol_options: { max_concurrent_streams: 100, initial_stream_window_size: 65536, initial_connection_window_size: 1048576, allow_connect: true },
  server_name: 'weft-gw',
  server_header_transformation: 'APPEND_IF_ABSENT',
  max_request_headers_kb: 96,
  stream_idle_timeout: '0s',
  request_timeout: '120s',
  request_headers_timeout: '10s',
  drain_timeout: '2.500s',
  delayed_close_timeout: '0.100s',
  access_log: ACCESS_LOGS,
  use_remote_address: true,
  xff_num_trusted_hops: 2,
  skip_xff_append: true,
  via: 'weft',
  generate_request_id: false,
  preserve_external_request_id: true,
  always_set_request_id_in_response: true,
  forward_client_cert_details: 'APPEND_FORWARD',
  upgrade_configs: [{ upgrade_type: 'websocket' }, { upgrade_type: 'CONNECT', enabled: false }],
  normalize_path: true,
  merge_slashes: true,
  path_with_escaped_slashes_action: 'UNESCAPE_AND_REDIRECT',
  strip_matching_host_port: true,
  stream_error_on_invalid_http_message: true,
};

const DOWNSTREAM_TLS = {
  name: 'envoy.transport_sockets.tls',
  typed_config: {
    '@type': `${T}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`,
    common_tls_context: {
      tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3', cipher_suites: ['ECDHE-ECDSA-AES128-GCM-SHA256'], ecdh_curves: ['X25519'] },
      tls_certificates: [
        { certificate_chain: { filename: '/certs/tls.crt' }, private_key: { filename: '/certs/tls.key' }, password: { environment_variable: 'KEY_PASSWORD' } },
      ],
      tls_certificate_sds_secret_configs: [{ name: 'demo/gateway-cert', sds_config: ADS_JSON_FOR_TEST }],
      combined_validation_context: {
        default_validation_context: { match_typed_subject_alt_names: [{ san_type: 'URI', matcher: { prefix: 'spiffe://cluster.local/' } }] },
        validation_context_sds_secret_config: { name: 'demo/ca', sds_config: ADS_JSON_FOR_TEST },
      },
      alpn_protocols: ['h2', 'http/1.1'],
    },
    require_client_certificate: true,
    require_sni: false,
    disable_stateless_session_resumption: true,
    session_timeout: '7200s',
  },
};

test('the kitchen-sink listener encodes to the hand-written Envoy JSON', () => {
  assert.deepEqual(encodeListener(kitchenSinkListenerForTest()), {
    name: 'listener-kitchen-sink',
    address: { socket_address: { address: '::', port_value: 8443, ipv4_compat: true } },
    additional_addresses: [{ address: { socket_address: { address: '127.0.0.1', port_value: 0 } } }],
    filter_chains: [
      {
        filter_chain_match: {
          destination_port: 8443,
          prefix_ranges: [{ address_prefix: '10.0.0.0', prefix_len: 8 }],
          direct_source_prefix_ranges: [{ address_prefix: '192.168.0.0', prefix_len: 16 }],
          source_type: 'EXTERNAL',
          source_prefix_ranges: [{ address_prefix: '0.0.0.0', prefix_len: 0 }],
          source_ports: [1234, 5678],
          server_names: ['example.com', '*.example.com'],
          transport_protocol: 'tls',
          application_protocols: ['h2'],
        },
        filters: [
          {
            name: 'envoy.filters.network.local_ratelimit',
            typed_config: {
              '@type': `${T}envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit`,
              stat_prefix: 'conn_limit',
              token_bucket: { max_tokens: 100, fill_interval: '1s' },
              runtime_enabled: { default_value: false, runtime_key: 'weft.conn_limit.runtime_enabled' },
            },
          },
          {
            name: 'envoy.filters.network.connection_limit',
            typed_config: {
              '@type': `${T}envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit`,
              stat_prefix: 'max_conns',
              max_connections: '1000',
              delay: '0.050s',
              runtime_enabled: { default_value: true, runtime_key: 'weft.max_conns.runtime_enabled' },
            },
          },
          { name: 'envoy.filters.network.http_connection_manager', typed_config: HCM_JSON },
        ],
        transport_socket: DOWNSTREAM_TLS,
        transport_socket_connect_timeout: '1.500s',
        name: 'https',
      },
      {
        filter_chain_match: { transport_protocol: 'raw_buffer' },
        filters: [
          {
            name: 'envoy.filters.network.tcp_proxy',
            typed_config: {
              '@type': TCP,
              stat_prefix: 'tcp',
              weighted_clusters: { clusters: [{ name: 'cluster-static', weight: 3 }, { name: 'cluster-eds', weight: 1 }] },
              idle_timeout: '0s',
              access_log: [STDERR_LOG],
              max_connect_attempts: 5,
              max_downstream_connection_duration: '86400s',
            },
          },
        ],
      },
    ],
    default_filter_chain: { filters: [TCP_TO_STATIC], name: 'fallback' },
    per_connection_buffer_limit_bytes: 32768,
    metadata: SOURCES_METADATA_JSON_FOR_TEST,
    listener_filters: [
      {
        name: 'envoy.filters.listener.tls_inspector',
        typed_config: { '@type': `${T}envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector`, initial_read_buffer_size: 16384 },
      },
    ],
    listener_filters_timeout: '5s',
    continue_on_listener_filters_timeout: true,
    traffic_direction: 'INBOUND',
  });
});

test('a pipe listener with an inline route configuration', () => {
  assert.deepEqual(encodeListener(kitchenSinkPipeListenerForTest()), {
    name: 'listener-pipe',
    address: { pipe: { path: '/run/weft/admin.sock', mode: 384 } },
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: { '@type': HCM, stat_prefix: 'pipe', route_config: routeConfigurationJsonForTest('inline'), http_filters: [ROUTER] },
          },
        ],
      },
    ],
    metadata: SOURCES_METADATA_JSON_FOR_TEST,
  });
});

test('a listener without an address is an internal listener', () => {
  assert.deepEqual(encodeListener(kitchenSinkInternalListenerForTest()), {
    name: 'listener-internal',
    filter_chains: [{ filters: [TCP_TO_STATIC] }],
    metadata: SOURCES_METADATA_JSON_FOR_TEST,
    internal_listener: {},
  });
});

test('sources keep their field and file position in metadata', () => {
  const l = newListener({
    name: 'l',
    address: { kind: 'socketAddress', address: '127.0.0.1', portValue: 80 },
    filterChains: [],
    sources: [
      { kind: 'CiliumEnvoyConfig', namespace: 'default', name: 'cec', field: 'spec.resources[0]', position: { file: 'cec.yaml', line: 9, column: 7 } },
      { kind: 'Gateway', name: 'gw' },
    ],
  });
  assert.deepEqual(encodeListener(l).metadata, {
    filter_metadata: {
      'weft.dev': {
        sources: [
          { kind: 'CiliumEnvoyConfig', namespace: 'default', name: 'cec', field: 'spec.resources[0]', position: { file: 'cec.yaml', line: 9, column: 7 } },
          { kind: 'Gateway', name: 'gw' },
        ],
      },
    },
  });
});
