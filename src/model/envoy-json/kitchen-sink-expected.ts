/**
 * Test fixture: the Envoy v3 JSON the kitchen-sink model (kitchen-sink-*.ts) must encode to,
 * written by hand from Envoy's proto field names (envoy/config/route/v3/*.proto,
 * envoy/extensions/filters/http/{fault,local_ratelimit}/v3, envoy/config/core/v3/base.proto, ...)
 * and protojson's rules (see json.ts). Pieces several resources share live here.
 */
import type { JsonObject } from './json.ts';

const T = 'type.googleapis.com/';

export const SOURCES_METADATA_JSON_FOR_TEST: JsonObject = {
  filter_metadata: { 'weft.dev': { sources: [{ kind: 'CiliumEnvoyConfig', namespace: 'demo', name: 'kitchen-sink' }] } },
};

export const ADS_JSON_FOR_TEST: JsonObject = { ads: {}, resource_api_version: 'V3' };

export const ADD_HEADER_JSON_FOR_TEST: JsonObject = {
  header: { key: 'x-added', value: '%REQ(:authority)%' },
  append_action: 'OVERWRITE_IF_EXISTS_OR_ADD',
  keep_empty_value: true,
};

const HEADER_MATCHERS: readonly JsonObject[] = [
  { name: 'x-exact', string_match: { exact: 'a', ignore_case: true } },
  { name: 'x-prefix', string_match: { prefix: 'b' }, invert_match: true },
  { name: 'x-suffix', string_match: { suffix: 'c' }, treat_missing_header_as_empty: true },
  { name: 'x-contains', string_match: { contains: 'd' } },
  { name: 'x-regex', string_match: { safe_regex: { regex: '^e+$' } } },
  { name: 'x-absent', present_match: false },
  { name: 'x-range', range_match: { start: '-10', end: '20' } },
];

export function localRateLimitJsonForTest(statPrefix: string): JsonObject {
  return {
    '@type': `${T}envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`,
    stat_prefix: statPrefix,
    status: { code: 'ServiceUnavailable' },
    token_bucket: { max_tokens: 10, tokens_per_fill: 2, fill_interval: '1.500s' },
    filter_enabled: { default_value: { numerator: 50 } },
    filter_enforced: { default_value: { numerator: 25, denominator: 'TEN_THOUSAND' } },
    request_headers_to_add_when_not_enforced: [{ header: { key: 'x-not-enforced', value: 'yes' } }],
    response_headers_to_add: [{ header: { key: 'x-limited', value: 'true' }, append_action: 'ADD_IF_ABSENT' }],
    local_rate_limit_per_downstream_connection: true,
    enable_x_ratelimit_headers: 'DRAFT_VERSION_03',
    descriptors: [
      { entries: [{ key: 'user', value: 'alice' }, { key: 'generic_key', value: 'api' }], token_bucket: { max_tokens: 2, tokens_per_fill: 2, fill_interval: '60s' } },
      { entries: [{ key: 'remote_address', value: '127.0.0.1' }], token_bucket: { max_tokens: 5, fill_interval: '1s' } },
    ],
    stage: 2,
    always_consume_default_token_bucket: false,
  };
}

const FAULT = `${T}envoy.extensions.filters.http.fault.v3.HTTPFault`;

export const FAULT_JSON_FOR_TEST: JsonObject = {
  '@type': FAULT,
  delay: { fixed_delay: '0.250s', percentage: { numerator: 10 } },
  abort: { http_status: 418, percentage: { numerator: 1, denominator: 'MILLION' } },
  upstream_cluster: 'cluster-static',
  headers: [{ name: 'x-fault', present_match: true }],
  downstream_nodes: ['node-a'],
  max_active_faults: 7,
  response_rate_limit: { fixed_limit: { limit_kbps: '64' }, percentage: { numerator: 100 } },
};

const BACK_OFF = { base_interval: '0.025s', max_interval: '0.250s' };

const RETRY_POLICY: JsonObject = {
  retry_on: '5xx,reset,retriable-status-codes',
  num_retries: 3,
  per_try_timeout: '1s',
  per_try_idle_timeout: '0.500s',
  retry_host_predicate: [
    { name: 'envoy.retry_host_predicates.previous_hosts', typed_config: { '@type': `${T}envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate` } },
  ],
  host_selection_retry_max_attempts: '3',
  retriable_status_codes: [502, 503],
  retry_back_off: BACK_OFF,
  retriable_headers: [{ name: 'x-retry', present_match: true }],
  retriable_request_headers: [{ name: ':method', string_match: { exact: 'GET' } }],
};

const route = (prefix: string, action: JsonObject): JsonObject => ({ match: { prefix }, ...action });
const direct = (status: number, body?: JsonObject): JsonObject => ({ direct_response: body ? { status, body } : { status } });

const ROUTES: readonly JsonObject[] = [
  {
    name: 'full',
    match: {
      prefix: '/api',
      case_sensitive: false,
      runtime_fraction: { default_value: { numerator: 25 } },
      headers: HEADER_MATCHERS,
      query_parameters: [
        { name: 'q', string_match: { prefix: 'v' } },
        { name: 'debug', present_match: true },
      ],
      grpc: {},
      tls_context: { presented: true, validated: false },
    },
    route: {
      cluster: 'cluster-static',
      cluster_not_found_response_code: 'NOT_FOUND',
      rate_limits: [
        {
          stage: 2,
          actions: [
            { request_headers: { header_name: 'x-user', descriptor_key: 'user', skip_if_absent: true } },
            { generic_key: { descriptor_value: 'api', descriptor_key: 'generic_key' } },
            { source_cluster: {} },
            { destination_cluster: {} },
          ],
        },
        { actions: [{ header_value_match: { descriptor_value: 'no-get', expect_match: false, headers: [{ name: ':method', string_match: { exact: 'GET' } }] } }] },
      ],
      include_vh_rate_limits: true,
      prefix_rewrite: '/v2',
      host_rewrite_literal: 'backend.local',
      timeout: '0s',
      idle_timeout: '30s',
      retry_policy: RETRY_POLICY,
      request_mirror_policies: [{ cluster: 'cluster-eds', runtime_fraction: { default_value: { numerator: 5 } } }],
      priority: 'HIGH',
      hash_policy: [
        { header: { header_name: 'x-user', regex_rewrite: { pattern: { regex: '^(.*)-.*$' }, substitution: '\\1' } }, terminal: true },
        { cookie: { name: 'session', ttl: '3600s', path: '/' } },
        { connection_properties: { source_ip: true } },
        { query_parameter: { name: 'user' } },
      ],
      upgrade_configs: [{ upgrade_type: 'websocket', enabled: false }],
      max_stream_duration: { max_stream_duration: '60s', grpc_timeout_header_max: '5s', grpc_timeout_header_offset: '0.010s' },
    },
    typed_per_filter_config: {
      'envoy.filters.http.local_ratelimit': localRateLimitJsonForTest('per_route'),
      'envoy.filters.http.fault': { '@type': FAULT, delay: { header_delay: {} }, abort: { grpc_status: 14 }, response_rate_limit: { header_limit: {} } },
    },
    request_headers_to_add: [ADD_HEADER_JSON_FOR_TEST],
    request_headers_to_remove: ['x-route-req'],
    response_headers_to_add: [{ header: { key: 'x-route', value: 'full' } }],
    response_headers_to_remove: ['x-route-resp'],
  },
  {
    match: { path: '/exact' },
    route: { cluster: 'cluster-static', regex_rewrite: { pattern: { regex: '^/exact$' }, substitution: '/rewritten' }, auto_host_rewrite: true },
  },
  {
    match: { safe_regex: { regex: '^/r/[0-9]+$' } },
    route: {
      weighted_clusters: {
        clusters: [
          {
            name: 'cluster-static',
            weight: 90,
            request_headers_to_add: [ADD_HEADER_JSON_FOR_TEST],
            request_headers_to_remove: ['x-w-req'],
            response_headers_to_add: [{ header: { key: 'x-w', value: 'static' } }],
            response_headers_to_remove: ['x-w-resp'],
            typed_per_filter_config: { 'envoy.filters.http.fault': { '@type': FAULT, abort: { header_abort: {} } } },
            host_rewrite_literal: 'static.local',
          },
          { name: 'cluster-eds', weight: 10 },
        ],
      },
      host_rewrite_header: 'x-host',
    },
  },
  {
    match: { path_separated_prefix: '/old' },
    redirect: { https_redirect: true, host_redirect: 'new.example.com', port_redirect: 8443, prefix_rewrite: '/new', response_code: 'PERMANENT_REDIRECT', strip_query: true },
  },
  route('/scheme', { redirect: { scheme_redirect: 'http', path_redirect: '/elsewhere' } }),
  route('/regex', { redirect: { regex_rewrite: { pattern: { regex: '^/regex/(.*)$' }, substitution: '/\\1' } } }),
  { match: { connect_matcher: {} }, ...direct(200) },
  route('/file', direct(503, { filename: '/etc/weft/503.html' })),
  route('/text', direct(404, { inline_string: 'not here' })),
  route('/bytes', direct(200, { inline_bytes: 'aGVsbG8=' })),
  route('/env', direct(200, { environment_variable: 'WEFT_BODY' })),
];

/** kitchenSinkRouteConfigurationForTest(name) in Envoy JSON. */
export function routeConfigurationJsonForTest(name: string): JsonObject {
  return {
    name,
    virtual_hosts: [
      {
        name: 'everything',
        domains: ['example.com', '*.example.com'],
        routes: ROUTES,
        require_tls: 'EXTERNAL_ONLY',
        request_headers_to_add: [ADD_HEADER_JSON_FOR_TEST],
        request_headers_to_remove: ['x-vh-req'],
        response_headers_to_add: [{ header: { key: 'x-vh', value: '1' } }],
        response_headers_to_remove: ['x-vh-resp'],
        typed_per_filter_config: { 'envoy.filters.http.fault': { '@type': `${T}envoy.config.route.v3.FilterConfig`, disabled: true } },
        include_request_attempt_count: true,
        rate_limits: [{ actions: [{ remote_address: {} }] }],
        retry_policy: { retry_on: 'gateway-error', num_retries: 3, per_try_timeout: '1s', per_try_idle_timeout: '0.500s', host_selection_retry_max_attempts: '3', retry_back_off: BACK_OFF },
      },
    ],
    internal_only_headers: ['x-internal'],
    response_headers_to_add: [{ header: { key: 'x-rc', value: 'resp' } }],
    response_headers_to_remove: ['x-rc-resp'],
    request_headers_to_add: [{ header: { key: 'x-rc', value: 'req' }, append_action: 'OVERWRITE_IF_EXISTS' }],
    request_headers_to_remove: ['x-rc-req'],
    most_specific_header_mutations_wins: true,
    ignore_port_in_host_matching: true,
    typed_per_filter_config: { 'envoy.filters.http.local_ratelimit': { '@type': `${T}envoy.config.route.v3.FilterConfig` } },
    metadata: SOURCES_METADATA_JSON_FOR_TEST,
  };
}
