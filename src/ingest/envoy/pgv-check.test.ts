import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import { decodeEnvoyResource } from './decode-envoy-resource.ts';
import { envoyDescriptors } from './descriptors.ts';
import { checkRules, fieldRules, type PgvValue } from './pgv-check.ts';

const num = (value: number): PgvValue => ({ kind: 'scalar', value });
const str = (value: string): PgvValue => ({ kind: 'scalar', value });
const rules = (kind: string, value: object) => ({ type: { case: kind, value } });

describe('checkRules', () => {
  test('ranges: gte, gt/lt, and the exclusive range PGV means when lt < gt', () => {
    assert.deepEqual(checkRules(rules('uint32', { gte: 1 }), num(1)), []);
    assert.equal(checkRules(rules('uint32', { gte: 1 }), num(0))[0].message, '0 is out of range: must be ≥ 1');
    assert.equal(checkRules(rules('uint32', { gt: 0, lt: 10 }), num(10))[0].message, '10 is out of range: must be > 0 and < 10');
    // lt 5, gt 10: valid outside [5, 10].
    assert.deepEqual(checkRules(rules('int32', { lt: 5, gt: 10 }), num(3)), []);
    assert.deepEqual(checkRules(rules('int32', { lt: 5, gt: 10 }), num(11)), []);
    assert.equal(checkRules(rules('int32', { lt: 5, gt: 10 }), num(7)).length, 1);
    assert.equal(checkRules(rules('uint64', { lte: 10n }), { kind: 'scalar', value: 11n }).length, 1);
    assert.equal(checkRules(rules('uint32', { in: [1, 2] }), num(3))[0].message, 'must be one of 1, 2, not 3');
    assert.equal(checkRules(rules('uint32', { notIn: [0] }), num(0))[0].message, 'must not be 0');
  });

  test('strings: lengths, prefixes, header names and values', () => {
    assert.equal(checkRules(rules('string', { minLen: 1n }), str(''))[0].message, 'must not be empty');
    assert.deepEqual(checkRules(rules('string', { minLen: 1n, ignoreEmpty: true }), str('')), []);
    assert.equal(checkRules(rules('string', { maxBytes: 3n }), str('ééé'))[0].message, 'must be at most 3 bytes long');
    assert.equal(checkRules(rules('string', { prefix: '/' }), str('a'))[0].message, 'must start with "/"');
    const headerName = rules('string', { wellKnown: { case: 'wellKnownRegex', value: 1 } });
    assert.deepEqual(checkRules(headerName, str('x-request-id')), []);
    assert.deepEqual(checkRules(headerName, str(':path')), []);
    assert.equal(checkRules(headerName, str('bad name'))[0].message, 'is not a valid HTTP header name');
    const headerValue = rules('string', { wellKnown: { case: 'wellKnownRegex', value: 2 } });
    assert.equal(checkRules(headerValue, str('a\nb')).length, 1);
    assert.deepEqual(checkRules(rules('string', { wellKnown: { case: 'wellKnownRegex', value: 2 }, strict: false }), str('a\tb')), []);
    assert.deepEqual(checkRules(rules('string', { pattern: '^[a-z]+$' }), str('abc')), []);
    assert.equal(checkRules(rules('string', { pattern: '^[a-z]+$' }), str('ab1')).length, 1);
    assert.deepEqual(checkRules(rules('string', { wellKnown: { case: 'ip', value: true } }), str('::1')), []);
    assert.equal(checkRules(rules('string', { wellKnown: { case: 'ipv4', value: true } }), str('300.1.1.1')).length, 1);
  });

  test('lists, maps, messages and durations', () => {
    const list: PgvValue = { kind: 'list', items: [str('a'), str('')] };
    assert.deepEqual(
      checkRules(rules('repeated', { minItems: 1n, items: rules('string', { minLen: 1n }) }), list).map((c) => [c.suffix, c.message]),
      [[[1], 'must not be empty']],
    );
    assert.equal(checkRules(rules('repeated', { minItems: 1n }), { kind: 'absent' })[0].required, true);
    assert.equal(checkRules(rules('repeated', { unique: true }), { kind: 'list', items: [str('a'), str('a')] }).length, 1);
    assert.equal(checkRules(rules('map', { minPairs: 1n }), { kind: 'map', entries: [] }).length, 1);
    assert.deepEqual(checkRules({ message: { required: true }, type: { case: undefined } }, { kind: 'absent' }).map((c) => c.message), ['is required']);
    const gt0 = rules('duration', { gt: { $typeName: 'google.protobuf.Duration', seconds: 0n, nanos: 0 } });
    assert.deepEqual(checkRules(gt0, { kind: 'message', durationMs: 5 }), []);
    assert.equal(checkRules(gt0, { kind: 'message', durationMs: 0 })[0].message, '0s is out of range: must be > 0s');
    assert.equal(checkRules(rules('any', { required: true }), { kind: 'absent' })[0].message, 'is required');
  });

  test('rules are read from the descriptors', () => {
    const lb = envoyDescriptors().registry.getMessage('envoy.config.endpoint.v3.LbEndpoint');
    const weight = lb?.fields.find((f) => f.name === 'load_balancing_weight');
    assert.ok(weight);
    const r = fieldRules(weight);
    assert.equal(r?.type.case, 'uint32');
    assert.equal(checkRules(r!, { kind: 'message', wrapped: 0 }).length, 1);
    assert.deepEqual(checkRules(r!, { kind: 'message', wrapped: 5 }), []);
  });
});

describe('validate rules on real resources', () => {
  test('a header name with a line break (Envoy checks header names loosely)', () => {
    const out = decodeEnvoyResource(
      { name: 'rc', virtual_hosts: [{ name: 'v', domains: ['*'], request_headers_to_add: [{ header: { key: 'bad\nkey', value: 'v' } }], routes: [] }] },
      'envoy.config.route.v3.RouteConfiguration',
      undefined,
    );
    assert.deepEqual(out.diagnostics.map((d) => [d.code, d.field]), [[DIAGNOSTIC_CODES.INVALID_VALUE, 'virtual_hosts[0].request_headers_to_add[0].header.key']]);
  });

  test('an HTTP connection manager without stat_prefix', () => {
    const out = decodeEnvoyResource(
      {
        name: 'l',
        filter_chains: [{ filters: [{ name: 'hcm', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', rds: { route_config_name: 'r' }, http_filters: [{ name: 'envoy.filters.http.router' }] } }] }],
      },
      'envoy.config.listener.v3.Listener',
      undefined,
    );
    assert.deepEqual(out.diagnostics.map((d) => [d.code, d.field]), [[DIAGNOSTIC_CODES.REQUIRED, 'filter_chains[0].filters[0].typed_config.stat_prefix']]);
  });

  test('a health check without its required thresholds', () => {
    const out = decodeEnvoyResource(
      { name: 'c', health_checks: [{ timeout: '1s', interval: '5s', http_health_check: { path: '/healthz' } }] },
      'envoy.config.cluster.v3.Cluster',
      undefined,
    );
    assert.deepEqual(out.diagnostics.map((d) => [d.code, d.field]).sort(), [
      [DIAGNOSTIC_CODES.REQUIRED, 'health_checks[0].healthy_threshold'],
      [DIAGNOSTIC_CODES.REQUIRED, 'health_checks[0].unhealthy_threshold'],
    ]);
  });
});
