// Route / virtual host `rate_limits` and the local rate limit filter's `descriptors`, written the
// way Envoy's local rate limit docs write them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIAGNOSTIC_CODES, formatDiagnostic } from '../../lib/diagnostic.ts';
import { decodeEnvoyResource } from './decode-envoy-resource.ts';

const T = 'type.googleapis.com/';
const THE_GET = { kind: 'exact', exact: 'GET' };
const LRL = `${T}envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`;

test('route and virtual host rate_limits actions and local rate limit descriptors decode', () => {
  const out = decodeEnvoyResource(
    {
      '@type': `${T}envoy.config.route.v3.RouteConfiguration`,
      name: 'r',
      virtual_hosts: [
        {
          name: 'v',
          domains: ['*'],
          rate_limits: [{ actions: [{ remote_address: {} }] }],
          routes: [
            {
              match: { prefix: '/' },
              route: {
                cluster: 'c',
                include_vh_rate_limits: true,
                rate_limits: [
                  { actions: [{ request_headers: { header_name: 'x-user', descriptor_key: 'user', skip_if_absent: true } }, { generic_key: { descriptor_value: 'g' } }] },
                  {
                    stage: 1,
                    actions: [
                      { header_value_match: { descriptor_key: 'm', descriptor_value: 'get', expect_match: false, headers: [{ name: ':method', string_match: { exact: 'GET' } }] } },
                      { source_cluster: {} },
                      { destination_cluster: {} },
                    ],
                  },
                ],
              },
              typed_per_filter_config: {
                'envoy.filters.http.local_ratelimit': {
                  '@type': LRL,
                  stat_prefix: 'per_route',
                  token_bucket: { max_tokens: 10, fill_interval: '1s' },
                  descriptors: [{ entries: [{ key: 'user', value: 'a' }, { key: 'generic_key', value: 'g' }], token_bucket: { max_tokens: 2, tokens_per_fill: 2, fill_interval: '60s' } }],
                  stage: 1,
                  always_consume_default_token_bucket: false,
                },
              },
            },
          ],
        },
      ],
    },
    undefined,
    undefined,
  );
  assert.deepEqual(out.diagnostics.map(formatDiagnostic), []);
  assert.ok(out.resource?.kind === 'routeConfiguration');
  const vh = out.resource.routeConfiguration.virtualHosts[0];
  assert.ok(vh);
  assert.deepEqual(vh.rateLimits, [{ actions: [{ kind: 'remoteAddress' }] }]);
  const route = vh.routes[0];
  assert.ok(route?.action.kind === 'route');
  assert.equal(route.action.route.includeVhRateLimits, true);
  assert.deepEqual(route.action.route.rateLimits, [
    { actions: [{ kind: 'requestHeaders', headerName: 'x-user', descriptorKey: 'user', skipIfAbsent: true }, { kind: 'genericKey', descriptorValue: 'g' }] },
    {
      stage: 1,
      actions: [
        { kind: 'headerValueMatch', descriptorKey: 'm', descriptorValue: 'get', expectMatch: false, headers: [{ name: ':method', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: THE_GET } }] },
        { kind: 'sourceCluster' },
        { kind: 'destinationCluster' },
      ],
    },
  ]);
  const per = route.typedPerFilterConfig['envoy.filters.http.local_ratelimit'];
  assert.ok(per?.kind === 'localRateLimit');
  assert.deepEqual(per.typedConfig.descriptors, [
    { entries: [{ key: 'user', value: 'a' }, { key: 'generic_key', value: 'g' }], tokenBucket: { maxTokens: 2, tokensPerFill: 2, fillIntervalMs: 60_000 } },
  ]);
  assert.equal(per.typedConfig.stage, 1);
  assert.equal(per.typedConfig.alwaysConsumeDefaultTokenBucket, false);
});

test('a rate limit action weft does not run is reported as unsupported', () => {
  const out = decodeEnvoyResource(
    {
      '@type': `${T}envoy.config.route.v3.RouteConfiguration`,
      name: 'r',
      virtual_hosts: [{ name: 'v', domains: ['*'], rate_limits: [{ actions: [{ masked_remote_address: { v4_prefix_mask_len: 24 } }] }], routes: [] }],
    },
    undefined,
    undefined,
  );
  const d = out.diagnostics.find((x) => x.code === DIAGNOSTIC_CODES.UNSUPPORTED);
  assert.ok(d, out.diagnostics.map(formatDiagnostic).join('\n'));
  assert.match(d.message, /masked_remote_address/);
});
