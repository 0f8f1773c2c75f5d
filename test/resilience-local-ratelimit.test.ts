// Local rate limiting with Envoy's semantics, over real sockets: the rate-limit tutorial (2 of 5
// quick requests pass, 3 get 429 local_rate_limited with x-local-rate-limit: true), a route that
// turns the filter off, a listener without it, per-route buckets (typed_per_filter_config), refill
// by the injected clock, filter_enforced 0% (counted, not refused), filter_enabled defaulting to
// 0%, and one bucket per downstream connection.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import { ROUTER_FILTER, type HttpFilter, type LocalRateLimit } from '../src/model/index.ts';
import { createManualClockForTest } from '../src/observe/clock.ts';
import { httpRequest } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, snapshotOf, startHttpUpstream, staticCluster, type Upstream, counter } from './support/upstreams.ts';

function limit(p: Partial<LocalRateLimit>): LocalRateLimit {
  return { statPrefix: 'http_local_rate_limiter', requestHeadersToAddWhenNotEnforced: [], responseHeadersToAdd: [], ...p };
}

/** The tutorial's filter: 2 tokens, 2 per 5 s, enabled and enforced 100%, x-local-rate-limit: true. */
const TUTORIAL: LocalRateLimit = limit({
  tokenBucket: { maxTokens: 2, tokensPerFill: 2, fillIntervalMs: 5000 },
  filterEnabled: 1,
  filterEnforced: 1,
  responseHeadersToAdd: [{ header: { key: 'x-local-rate-limit', value: 'true' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
});

function rlFilter(config: LocalRateLimit): HttpFilter {
  return { kind: 'localRateLimit', name: 'envoy.filters.http.local_ratelimit', typedConfig: config };
}

describe('local rate limit', () => {
  const clock = createManualClockForTest(1_700_000_000_000, 1_000);
  let upstream: Upstream;
  let dp: DataPlane;
  let limited: number;
  let plain: number;
  let perRoute: number;
  let counting: number;
  let perConn: number;

  before(async () => {
    upstream = await startHttpUpstream('backend');
    dp = new DataPlane({ clock });
    const off = { typedPerFilterConfig: { 'envoy.filters.http.local_ratelimit': { kind: 'filterConfig' as const, disabled: true } } };
    const routeLimit = limit({ statPrefix: 'route_limiter', tokenBucket: { maxTokens: 1, fillIntervalMs: 1000 }, filterEnabled: 1, filterEnforced: 1 });
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          httpListener('limited', inlineHcm([prefixRoute('/free', 'backend', {}, off), prefixRoute('/', 'backend')], { statPrefix: 'limited', httpFilters: [rlFilter(TUTORIAL), ROUTER_FILTER] }), { ip: '127.0.0.1' }),
          httpListener('plain', inlineHcm([prefixRoute('/', 'backend')], { statPrefix: 'plain' }), { ip: '127.0.0.2' }),
          httpListener(
            'per-route',
            inlineHcm(
              [
                prefixRoute('/limited', 'backend', {}, { typedPerFilterConfig: { 'envoy.filters.http.local_ratelimit': { kind: 'localRateLimit', typedConfig: routeLimit } } }),
                prefixRoute('/', 'backend'),
              ],
              // The HCM's own config sets no filter_enabled: 0%, the filter does nothing there.
              { statPrefix: 'per_route', httpFilters: [rlFilter(limit({ statPrefix: 'hcm_limiter', tokenBucket: { maxTokens: 1, fillIntervalMs: 1000 } })), ROUTER_FILTER] },
            ),
            { ip: '127.0.0.3' },
          ),
          httpListener(
            'counting',
            inlineHcm([prefixRoute('/', 'backend')], {
              statPrefix: 'counting',
              httpFilters: [
                rlFilter(limit({ statPrefix: 'shadow_limiter', tokenBucket: { maxTokens: 1, fillIntervalMs: 60_000 }, filterEnabled: 1, requestHeadersToAddWhenNotEnforced: [{ header: { key: 'x-would-limit', value: 'yes' } }] })),
                ROUTER_FILTER,
              ],
            }),
            { ip: '127.0.0.4' },
          ),
          httpListener(
            'per-conn',
            inlineHcm([prefixRoute('/', 'backend')], {
              statPrefix: 'per_conn',
              httpFilters: [rlFilter(limit({ statPrefix: 'conn_limiter', tokenBucket: { maxTokens: 1, fillIntervalMs: 60_000 }, filterEnabled: 1, filterEnforced: 1, localRateLimitPerDownstreamConnection: true })), ROUTER_FILTER],
            }),
            { ip: '127.0.0.5' },
          ),
        ],
        clusters: [staticCluster('backend', [upstream.address])],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    limited = dp.boundAddress('limited')!.port;
    plain = dp.boundAddress('plain')!.port;
    perRoute = dp.boundAddress('per-route')!.port;
    counting = dp.boundAddress('counting')!.port;
    perConn = dp.boundAddress('per-conn')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await upstream.close();
  });

  test('the tutorial: of 5 quick requests 2 pass and 3 get 429 with x-local-rate-limit: true', async () => {
    const seen = upstream.requests.length;
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await httpRequest({ port: limited, path: `/r${i}` }));
    assert.deepEqual(results.map((r) => r.status), [200, 200, 429, 429, 429]);
    for (const r of results.slice(2)) {
      assert.equal(r.text, 'local_rate_limited');
      assert.equal(r.headers['x-local-rate-limit'], 'true');
    }
    assert.equal(results[0].headers['x-local-rate-limit'], undefined, 'the header goes only on limited responses');
    assert.equal(upstream.requests.length - seen, 2, 'limited requests never reach the backend');
    assert.equal(counter(dp, 'http_local_rate_limiter.http_local_rate_limit.enabled'), 5);
    assert.equal(counter(dp, 'http_local_rate_limiter.http_local_rate_limit.ok'), 2);
    assert.equal(counter(dp, 'http_local_rate_limiter.http_local_rate_limit.rate_limited'), 3);
    assert.equal(counter(dp, 'http_local_rate_limiter.http_local_rate_limit.enforced'), 3);
  });

  test('a route with the filter disabled and a listener without it are unaffected', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await httpRequest({ port: limited, path: '/free' })).status, 200);
    for (let i = 0; i < 4; i++) assert.equal((await httpRequest({ port: plain, host: '127.0.0.2', path: '/' })).status, 200);
    assert.equal(counter(dp, 'http_local_rate_limiter.http_local_rate_limit.enabled'), 5, 'the disabled route is not even counted');
  });

  test('tokens come back after fill_interval (the injected clock), tokens_per_fill at a time', async () => {
    assert.equal((await httpRequest({ port: limited, path: '/' })).status, 429);
    clock.advance(4999);
    assert.equal((await httpRequest({ port: limited, path: '/' })).status, 429);
    clock.advance(1);
    const after = [];
    for (let i = 0; i < 3; i++) after.push((await httpRequest({ port: limited, path: '/' })).status);
    assert.deepEqual(after, [200, 200, 429]);
    // Idle for a long time: the bucket holds at most max_tokens.
    clock.advance(60_000);
    const burst = [];
    for (let i = 0; i < 3; i++) burst.push((await httpRequest({ port: limited, path: '/' })).status);
    assert.deepEqual(burst, [200, 200, 429]);
  });

  test('per route (typed_per_filter_config): the route has its own bucket and stat_prefix; filter_enabled defaults to 0%', async () => {
    const limitedRoute = [];
    for (let i = 0; i < 3; i++) limitedRoute.push((await httpRequest({ port: perRoute, host: '127.0.0.3', path: '/limited' })).status);
    assert.deepEqual(limitedRoute, [200, 429, 429]);
    for (let i = 0; i < 3; i++) assert.equal((await httpRequest({ port: perRoute, host: '127.0.0.3', path: '/other' })).status, 200);
    assert.equal(counter(dp, 'route_limiter.http_local_rate_limit.rate_limited'), 2);
    assert.equal(counter(dp, 'hcm_limiter.http_local_rate_limit.enabled'), 0, 'filter_enabled unset: the HCM config checks nothing');
  });

  test('filter_enforced 0%: over-limit requests are counted and pass with request_headers_to_add_when_not_enforced', async () => {
    const first = await httpRequest({ port: counting, host: '127.0.0.4', path: '/a' });
    const second = await httpRequest({ port: counting, host: '127.0.0.4', path: '/b' });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    const a = upstream.requests.find((r) => r.url === '/a')!;
    const b = upstream.requests.find((r) => r.url === '/b')!;
    assert.equal(a.headers['x-would-limit'], undefined);
    assert.equal(b.headers['x-would-limit'], 'yes');
    assert.equal(counter(dp, 'shadow_limiter.http_local_rate_limit.rate_limited'), 1);
    assert.equal(counter(dp, 'shadow_limiter.http_local_rate_limit.enforced'), 0);
  });

  test('local_rate_limit_per_downstream_connection: each connection has its own bucket', async () => {
    const agentA = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const agentB = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const a = [(await httpRequest({ port: perConn, host: '127.0.0.5', agent: agentA })).status, (await httpRequest({ port: perConn, host: '127.0.0.5', agent: agentA })).status];
      const b = [(await httpRequest({ port: perConn, host: '127.0.0.5', agent: agentB })).status, (await httpRequest({ port: perConn, host: '127.0.0.5', agent: agentB })).status];
      assert.deepEqual(a, [200, 429]);
      assert.deepEqual(b, [200, 429]);
    } finally {
      agentA.destroy();
      agentB.destroy();
    }
  });

  test('a fill_interval under 50 ms refuses the snapshot', async () => {
    const other = new DataPlane({ clock });
    try {
      const r = await other.apply(
        snapshotOf({
          listeners: [httpListener('bad', inlineHcm([prefixRoute('/', 'backend')], { httpFilters: [rlFilter(limit({ tokenBucket: { maxTokens: 1, fillIntervalMs: 10 }, filterEnabled: 1 })), ROUTER_FILTER] }))],
          clusters: [staticCluster('backend', [upstream.address])],
        }),
      );
      assert.equal(r.ok, false);
      assert.match(JSON.stringify(!r.ok && r.error), /fill_interval must be >= 50ms/);
    } finally {
      await other.stop({ drainTimeoutMs: 10 });
    }
  });
});

describe('local rate limit descriptors (route rate_limits actions)', () => {
  const clock = createManualClockForTest(1_700_000_000_000, 1_000);
  let upstream: Upstream;
  let dp: DataPlane;
  let separate: number;
  let consuming: number;
  /** Descriptor user=<x-user header>, from the route's rate_limits. */
  const byUser = { rateLimits: [{ actions: [{ kind: 'requestHeaders' as const, headerName: 'X-User', descriptorKey: 'user' }] }] };

  before(async () => {
    upstream = await startHttpUpstream('backend');
    dp = new DataPlane({ clock });
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          httpListener(
            'separate',
            inlineHcm([prefixRoute('/', 'backend', byUser)], {
              statPrefix: 'separate',
              httpFilters: [
                rlFilter(
                  limit({
                    statPrefix: 'desc_limiter',
                    tokenBucket: { maxTokens: 2, fillIntervalMs: 60_000 },
                    filterEnabled: 1,
                    filterEnforced: 1,
                    enableXRatelimitHeaders: 'DRAFT_VERSION_03',
                    alwaysConsumeDefaultTokenBucket: false,
                    descriptors: [
                      { entries: [{ key: 'user', value: 'alice' }], tokenBucket: { maxTokens: 1, fillIntervalMs: 60_000 } },
                      { entries: [{ key: 'user', value: 'bob' }], tokenBucket: { maxTokens: 2, fillIntervalMs: 60_000 } },
                    ],
                  }),
                ),
                ROUTER_FILTER,
              ],
            }),
            { ip: '127.0.0.6' },
          ),
          httpListener(
            'consuming',
            inlineHcm([prefixRoute('/', 'backend', byUser)], {
              statPrefix: 'consuming',
              httpFilters: [
                rlFilter(
                  limit({
                    statPrefix: 'consume_limiter',
                    tokenBucket: { maxTokens: 2, fillIntervalMs: 60_000 },
                    filterEnabled: 1,
                    filterEnforced: 1,
                    descriptors: [{ entries: [{ key: 'user', value: 'alice' }], tokenBucket: { maxTokens: 5, fillIntervalMs: 60_000 } }],
                  }),
                ),
                ROUTER_FILTER,
              ],
            }),
            { ip: '127.0.0.7' },
          ),
        ],
        clusters: [staticCluster('backend', [upstream.address])],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    separate = dp.boundAddress('separate')!.port;
    consuming = dp.boundAddress('consuming')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await upstream.close();
  });

  async function statuses(port: number, host: string, user: string | undefined, n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await httpRequest({ port, host, path: '/', headers: user === undefined ? {} : { 'x-user': user } })).status);
    return out;
  }

  test('two descriptors keyed on a request header have separate buckets; a request matching none uses the default bucket', async () => {
    const first = await httpRequest({ port: separate, host: '127.0.0.6', path: '/', headers: { 'x-user': 'alice' } });
    assert.equal(first.status, 200);
    assert.equal(first.headers['x-ratelimit-limit'], '1', 'x-ratelimit-* report the matched descriptor bucket');
    const limited = await httpRequest({ port: separate, host: '127.0.0.6', path: '/', headers: { 'x-user': 'alice' } });
    assert.equal(limited.status, 429);
    assert.equal(limited.text, 'local_rate_limited');
    assert.equal(limited.headers['x-envoy-ratelimited'], 'true');
    assert.deepEqual(await statuses(separate, '127.0.0.6', 'bob', 3), [200, 200, 429], "bob's bucket is his own");
    // No descriptor for carol, and none at all without the header: both draw from the default bucket (2).
    const carol = await httpRequest({ port: separate, host: '127.0.0.6', path: '/', headers: { 'x-user': 'carol' } });
    assert.equal(carol.status, 200);
    assert.equal(carol.headers['x-ratelimit-limit'], '2');
    assert.deepEqual(await statuses(separate, '127.0.0.6', undefined, 2), [200, 429]);
    assert.equal(counter(dp, 'desc_limiter.http_local_rate_limit.rate_limited'), 3);
    clock.advance(60_000);
    assert.deepEqual(await statuses(separate, '127.0.0.6', 'alice', 2), [200, 429], 'descriptor buckets refill');
  });

  test('always_consume_default_token_bucket (default true): a matched descriptor also takes a default token', async () => {
    assert.deepEqual(await statuses(consuming, '127.0.0.7', 'alice', 3), [200, 200, 429], 'the default bucket (2) runs out before alice (5)');
    assert.deepEqual(await statuses(consuming, '127.0.0.7', undefined, 1), [429]);
  });
});
