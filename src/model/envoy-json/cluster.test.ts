import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newCluster } from '../builders.ts';
import { encodeCluster } from './cluster.ts';
import { kitchenSinkOtherClustersForTest, kitchenSinkStaticClusterForTest } from './kitchen-sink-clusters.ts';
import { ADD_HEADER_JSON_FOR_TEST, ADS_JSON_FOR_TEST, SOURCES_METADATA_JSON_FOR_TEST } from './kitchen-sink-expected.ts';

const T = 'type.googleapis.com/';
const HPO = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const protocolOptions = (body: object) => ({ [HPO]: { '@type': `${T}${HPO}`, ...body } });

test('the kitchen-sink STATIC cluster encodes to the hand-written Envoy JSON', () => {
  assert.deepEqual(encodeCluster(kitchenSinkStaticClusterForTest()), {
    name: 'cluster-static',
    alt_stat_name: 'static_stats',
    type: 'STATIC',
    connect_timeout: '0.250s',
    per_connection_buffer_limit_bytes: 65536,
    lb_policy: 'RING_HASH',
    load_assignment: { cluster_name: 'cluster-static', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 9000 } } } }] }] },
    health_checks: [
      {
        timeout: '1s',
        interval: '10s',
        initial_jitter: '0.100s',
        interval_jitter: '0.200s',
        interval_jitter_percent: 10,
        unhealthy_threshold: 3,
        healthy_threshold: 2,
        reuse_connection: false,
        http_health_check: {
          host: 'health.local',
          path: '/healthz',
          request_headers_to_add: [ADD_HEADER_JSON_FOR_TEST],
          request_headers_to_remove: ['x-hc'],
          expected_statuses: [{ start: '200', end: '300' }],
          retriable_statuses: [{ start: '503', end: '504' }],
          codec_client_type: 'HTTP2',
          service_name_matcher: { exact: 'backend' },
          method: 'HEAD',
        },
        no_traffic_interval: '30s',
        no_traffic_healthy_interval: '40s',
        unhealthy_interval: '5s',
        unhealthy_edge_interval: '1s',
        healthy_edge_interval: '2s',
        always_log_health_check_failures: true,
      },
      {
        timeout: '0.500s',
        interval: '5s',
        unhealthy_threshold: 1,
        healthy_threshold: 1,
        tcp_health_check: { send: { text: '50494e47' }, receive: [{ text: '504f4e47' }, { binary: 'AQI=' }] },
      },
      { timeout: '0.500s', interval: '5s', unhealthy_threshold: 2, healthy_threshold: 2, grpc_health_check: { service_name: 'backend.v1', authority: 'grpc.local' } },
    ],
    circuit_breakers: {
      thresholds: [
        { max_connections: 10, max_pending_requests: 20, max_requests: 30, max_retries: 0, track_remaining: true },
        { priority: 'HIGH', retry_budget: { budget_percent: { value: 30 }, min_retry_concurrency: 5 } },
      ],
    },
    typed_extension_protocol_options: protocolOptions({
      common_http_protocol_options: { idle_timeout: '60s', max_requests_per_connection: 100 },
      upstream_http_protocol_options: { auto_sni: true, auto_san_validation: true },
      explicit_http_config: { http2_protocol_options: { max_concurrent_streams: 64 } },
    }),
    outlier_detection: {
      consecutive_5xx: 3,
      interval: '5s',
      base_ejection_time: '15s',
      max_ejection_percent: 50,
      enforcing_consecutive_5xx: 90,
      enforcing_success_rate: 80,
      success_rate_minimum_hosts: 4,
      success_rate_request_volume: 50,
      success_rate_stdev_factor: 1500,
      consecutive_gateway_failure: 2,
      enforcing_consecutive_gateway_failure: 70,
      split_external_local_origin_errors: true,
      consecutive_local_origin_failure: 6,
      enforcing_consecutive_local_origin_failure: 60,
      enforcing_local_origin_success_rate: 50,
      failure_percentage_threshold: 80,
      enforcing_failure_percentage: 40,
      enforcing_failure_percentage_local_origin: 30,
      failure_percentage_minimum_hosts: 3,
      failure_percentage_request_volume: 40,
      max_ejection_time: '120s',
      max_ejection_time_jitter: '0.500s',
    },
    ring_hash_lb_config: { minimum_ring_size: '2048', hash_function: 'MURMUR_HASH_2', maximum_ring_size: '4194304' },
    common_lb_config: { healthy_panic_threshold: { value: 25 } },
    transport_socket: {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': `${T}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`,
        common_tls_context: { validation_context_sds_secret_config: { name: 'demo/ca', sds_config: ADS_JSON_FOR_TEST }, alpn_protocols: ['h2'] },
        sni: 'backend.example.com',
        allow_renegotiation: true,
        max_session_keys: 0,
      },
    },
    metadata: SOURCES_METADATA_JSON_FOR_TEST,
    close_connections_on_host_health_failure: true,
  });
});

test('the other discovery types, LB configs and upstream protocol options', () => {
  const [eds, strictDns, logicalDns, random] = kitchenSinkOtherClustersForTest().map(encodeCluster);
  const metadata = SOURCES_METADATA_JSON_FOR_TEST;
  assert.deepEqual(eds, {
    name: 'cluster-eds',
    type: 'EDS',
    eds_cluster_config: { eds_config: ADS_JSON_FOR_TEST, service_name: 'eds-service' },
    lb_policy: 'MAGLEV',
    typed_extension_protocol_options: protocolOptions({ use_downstream_protocol_config: { http_protocol_options: {}, http2_protocol_options: { allow_connect: true } } }),
    maglev_lb_config: { table_size: '65537' },
    metadata,
  });
  assert.deepEqual(strictDns, {
    name: 'cluster-strict-dns',
    type: 'STRICT_DNS',
    lb_policy: 'LEAST_REQUEST',
    load_assignment: {
      cluster_name: 'cluster-strict-dns',
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'backend.example.com', port_value: 443 } } } }] }],
    },
    typed_extension_protocol_options: protocolOptions({ auto_config: { http_protocol_options: { accept_http_10: true } } }),
    dns_refresh_rate: '30s',
    respect_dns_ttl: true,
    dns_lookup_family: 'V4_ONLY',
    least_request_lb_config: { choice_count: 3, active_request_bias: { default_value: 1.5, runtime_key: 'weft.least_request.active_request_bias' } },
    transport_socket: {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': `${T}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`,
        common_tls_context: {
          tls_certificates: [{ certificate_chain: { inline_string: 'chain' }, private_key: { inline_string: 'key' } }],
          validation_context: { trusted_ca: { inline_string: 'ca' }, match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: 'backend.example.com' } }] },
        },
      },
    },
    metadata,
  });
  assert.deepEqual(logicalDns, {
    name: 'cluster-logical-dns',
    type: 'LOGICAL_DNS',
    typed_extension_protocol_options: protocolOptions({ explicit_http_config: { http_protocol_options: {} } }),
    dns_lookup_family: 'V4_PREFERRED',
    round_robin_lb_config: {
      slow_start_config: { slow_start_window: '60s', aggression: { default_value: 2, runtime_key: 'weft.slow_start.aggression' }, min_weight_percent: { value: 20 } },
    },
    metadata,
  });
  // An EDS cluster's eds_cluster_config always says where its endpoints come from.
  assert.deepEqual(random, { name: 'cluster-random', type: 'EDS', eds_cluster_config: { eds_config: ADS_JSON_FOR_TEST }, lb_policy: 'RANDOM', metadata });
});

test('type is printed even when STATIC (a oneof member); defaults of plain fields are not', () => {
  const c = newCluster({ name: 'c', type: 'STATIC', lbPolicy: 'ROUND_ROBIN', dnsLookupFamily: 'AUTO', respectDnsTtl: false, connectTimeoutMs: 5000 });
  assert.deepEqual(encodeCluster(c), { name: 'c', type: 'STATIC', connect_timeout: '5s' });
});

test('HTTP protocol options without an upstream protocol are written as explicit HTTP/1.1, which Envoy requires', () => {
  const c = newCluster({ name: 'c', type: 'STATIC', httpProtocolOptions: { commonHttpProtocolOptions: { maxHeadersCount: 10 } } });
  assert.deepEqual(encodeCluster(c).typed_extension_protocol_options, protocolOptions({ common_http_protocol_options: { max_headers_count: 10 }, explicit_http_config: { http_protocol_options: {} } }));
});
