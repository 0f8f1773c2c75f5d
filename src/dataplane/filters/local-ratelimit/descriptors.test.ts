import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRoute, newRouteConfiguration, newVirtualHost, toCluster, type LocalRateLimitDescriptor, type RateLimit, type RouteAction } from '../../../model/index.ts';
import { RouteEntry } from '../../routing/index.ts';
import { DescriptorTable, type RateLimitRequest } from './descriptors.ts';

function entry(route: Partial<RouteAction>, vhRateLimits?: RateLimit[]): RouteEntry {
  const r = newRoute({ match: { pathSpecifier: { kind: 'prefix', prefix: '/' }, headers: [], queryParameters: [] }, action: toCluster('backend', route) });
  const vh = newVirtualHost({ name: 'v', domains: ['*'], routes: [r], rateLimits: vhRateLimits });
  const built = RouteEntry.compile(r, vh, newRouteConfiguration({ name: 'rc', virtualHosts: [vh] }));
  assert.ok(built.ok);
  return built.value;
}

function request(headers: Record<string, string>, clientIp = '10.0.0.1'): RateLimitRequest {
  return { authority: 'x', path: '/', query: '', method: headers[':method'] ?? 'GET', scheme: 'http', headers: { get: (n) => headers[n] }, get: (n) => headers[n], clientIp };
}

const bucket = (maxTokens: number, tokensPerFill = 1) => ({ maxTokens, tokensPerFill, fillIntervalMs: 1000 });

/** The descriptor indexes matched, each as often as it matched. */
function matches(table: DescriptorTable, e: RouteEntry, req: RateLimitRequest): number[] {
  const counts = new Uint8Array(table.descriptors.length);
  table.match(req, table.rateLimitsFor(e), counts);
  return [...counts];
}

const DESCRIPTORS: LocalRateLimitDescriptor[] = [
  { entries: [{ key: 'user', value: 'a' }, { key: 'generic_key', value: 'api' }], tokenBucket: bucket(5) },
  { entries: [{ key: 'generic_key', value: 'api' }], tokenBucket: bucket(5, 5) },
  { entries: [{ key: 'remote_address', value: '10.0.0.1' }], tokenBucket: bucket(5) },
  { entries: [{ key: 'header_match', value: 'not-get' }], tokenBucket: bucket(5) },
];

test('actions build entries in order; skip_if_absent drops only the entry, a missing header the descriptor', () => {
  const table = new DescriptorTable(DESCRIPTORS, 0);
  const e = entry({
    rateLimits: [
      { actions: [{ kind: 'requestHeaders', headerName: 'x-user', descriptorKey: 'user', skipIfAbsent: true }, { kind: 'genericKey', descriptorValue: 'api' }] },
      { actions: [{ kind: 'requestHeaders', headerName: 'x-user', descriptorKey: 'user' }, { kind: 'genericKey', descriptorValue: 'api' }] },
    ],
  });
  assert.deepEqual(matches(table, e, request({ 'x-user': 'a' })), [2, 0, 0, 0]);
  assert.deepEqual(matches(table, e, request({})), [0, 1, 0, 0], 'the first descriptor is generic_key=api alone; the second is not built');
  assert.deepEqual(matches(table, e, request({ 'x-user': 'b' })), [0, 0, 0, 0]);
});

test('remote_address and header_value_match with expect_match false', () => {
  const table = new DescriptorTable(DESCRIPTORS, 0);
  const get = { name: ':method', headerMatchSpecifier: { kind: 'stringMatch' as const, stringMatch: { kind: 'exact' as const, exact: 'GET' } } };
  const e = entry({ rateLimits: [{ actions: [{ kind: 'remoteAddress' }] }, { actions: [{ kind: 'headerValueMatch', descriptorValue: 'not-get', expectMatch: false, headers: [get] }] }] });
  assert.deepEqual(matches(table, e, request({ ':method': 'POST' })), [0, 0, 1, 1]);
  assert.deepEqual(matches(table, e, request({ ':method': 'GET' }, '10.0.0.2')), [0, 0, 0, 0]);
});

test('stage selects rate limits; the virtual host applies when the route has none or includes them', () => {
  const vh: RateLimit[] = [{ actions: [{ kind: 'remoteAddress' }] }];
  const api: RateLimit = { actions: [{ kind: 'genericKey', descriptorValue: 'api' }] };
  const req = request({});
  assert.deepEqual(matches(new DescriptorTable(DESCRIPTORS, 0), entry({}, vh), req), [0, 0, 1, 0], 'no route rate_limits: the virtual host’s');
  assert.deepEqual(matches(new DescriptorTable(DESCRIPTORS, 0), entry({ rateLimits: [api] }, vh), req), [0, 1, 0, 0], 'the route’s override');
  assert.deepEqual(matches(new DescriptorTable(DESCRIPTORS, 0), entry({ rateLimits: [api], includeVhRateLimits: true }, vh), req), [0, 1, 1, 0]);
  assert.deepEqual(matches(new DescriptorTable(DESCRIPTORS, 1), entry({ rateLimits: [api, { stage: 1, actions: [{ kind: 'remoteAddress' }] }] }), req), [0, 0, 1, 0]);
});

test('descriptors are consumed most restrictive fill rate first', () => {
  const table = new DescriptorTable(DESCRIPTORS, 0);
  assert.equal(table.order[table.order.length - 1], 1, 'descriptor 1 fills 5 per second, the others 1');
});
