// The fault filter's response_rate_limit over real sockets: the response body is paced to the
// configured KiB/s (or to the `x-envoy-fault-throughput-response` header's), arrives whole, keeps
// its trailers, counts `response_rl_injected`, and holds an `active_faults` slot for the whole
// stream (so max_active_faults lets a concurrent request through unthrottled). The percentage
// header can only lower the share. Time is bounded from below only: a paced body cannot come
// sooner than its size allows.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import { ROUTER_FILTER, type Fault, type HttpFilter } from '../src/model/index.ts';
import { h2Request, httpRequest } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, snapshotOf, startHttpUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

function stat(dp: DataPlane, name: string): number {
  const m = dp.stats.get(name);
  return m !== undefined && (m.kind === 'counter' || m.kind === 'gauge') ? m.value : 0;
}

function fault(p: Partial<Fault>): Fault {
  return { headers: [], downstreamNodes: [], ...p };
}

function faultFilter(f: Fault): HttpFilter {
  return { kind: 'fault', name: 'envoy.filters.http.fault', typedConfig: f };
}

async function timed(o: Parameters<typeof httpRequest>[0]): Promise<{ ms: number; bytes: number; status: number; trailers: Record<string, unknown> }> {
  const t0 = performance.now();
  const r = await httpRequest(o);
  return { ms: performance.now() - t0, bytes: r.body.length, status: r.status, trailers: r.trailers };
}

describe('fault filter response_rate_limit', () => {
  let up: Upstream;
  let dp: DataPlane;
  const port: Record<string, number> = {};

  before(async () => {
    up = await startHttpUpstream('backend');
    dp = new DataPlane({});
    const listener = (name: string, ip: string, f: Fault, routes = [prefixRoute('/', 'backend')]) =>
      httpListener(name, inlineHcm(routes, { statPrefix: name, httpFilters: [faultFilter(f), ROUTER_FILTER] }), { ip });
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          listener('fixed', '127.0.0.1', fault({ responseRateLimit: { limitType: { kind: 'fixedLimit', limitKbps: 64 }, percentage: 1 } })),
          listener('by_header', '127.0.0.2', fault({ responseRateLimit: { limitType: { kind: 'headerLimit' } }, maxActiveFaults: 1 })),
          listener('per_route', '127.0.0.3', fault({}), [
            prefixRoute('/slow', 'backend', { prefixRewrite: '/bytes/16384' }, { typedPerFilterConfig: { 'envoy.filters.http.fault': { kind: 'fault', typedConfig: fault({ responseRateLimit: { limitType: { kind: 'fixedLimit', limitKbps: 32 } } }) } } }),
            prefixRoute('/', 'backend'),
          ]),
        ],
        clusters: [staticCluster('backend', [up.address])],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    for (const n of ['fixed', 'by_header', 'per_route']) port[n] = dp.boundAddress(n)!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await up.close();
  });

  test('fixed 64 KiB/s: a 32 KiB body takes at least ~0.5 s and arrives whole', async () => {
    const r = await timed({ port: port.fixed, path: '/bytes/32768' });
    assert.equal(r.status, 200);
    assert.equal(r.bytes, 32768);
    // 3276-byte slices every 50 ms, the first at once: ten more slices.
    assert.ok(r.ms >= 450, `took ${r.ms} ms`);
    assert.equal(stat(dp, 'http.fixed.fault.response_rl_injected'), 1);
    assert.equal(stat(dp, 'http.fixed.fault.active_faults'), 0, 'the slot is given back when the stream ends');
  });

  test('trailers come after the paced body', async () => {
    const r = await timed({ port: port.fixed, path: '/trailers' });
    assert.equal(r.status, 200);
    assert.equal(r.trailers['x-upstream-trailer'], 'done');
  });

  test('an HTTP/2 downstream is paced too, and its stream ends after the last byte', async () => {
    const session = http2.connect(`http://127.0.0.1:${port.fixed}`);
    try {
      const t0 = performance.now();
      const r = await h2Request(session, { ':path': '/bytes/32768' });
      const ms = performance.now() - t0;
      assert.equal(r.status, 200);
      assert.equal(r.body.length, 32768);
      assert.ok(ms >= 450, `took ${ms} ms`);
    } finally {
      session.close();
    }
  });

  test('header_limit: the rate is x-envoy-fault-throughput-response; no header or a 0% share, no throttle', async () => {
    const paced = await timed({ port: port.by_header, host: '127.0.0.2', path: '/bytes/16384', headers: { 'x-envoy-fault-throughput-response': '32' } });
    assert.equal(paced.bytes, 16384);
    assert.ok(paced.ms >= 400, `took ${paced.ms} ms`);
    assert.equal(stat(dp, 'http.by_header.fault.response_rl_injected'), 1);
    const plain = await timed({ port: port.by_header, host: '127.0.0.2', path: '/bytes/16384' });
    assert.equal(plain.bytes, 16384);
    const zero = await timed({ port: port.by_header, host: '127.0.0.2', path: '/bytes/16384', headers: { 'x-envoy-fault-throughput-response': '32', 'x-envoy-fault-throughput-response-percentage': '0' } });
    assert.equal(zero.bytes, 16384);
    assert.equal(stat(dp, 'http.by_header.fault.response_rl_injected'), 1, 'neither was throttled');
  });

  test('a throttled stream holds its active fault: max_active_faults 1 lets a concurrent one through unthrottled', async () => {
    const overflowBefore = stat(dp, 'http.by_header.fault.faults_overflow');
    const slow = timed({ port: port.by_header, host: '127.0.0.2', path: '/bytes/16384', headers: { 'x-envoy-fault-throughput-response': '16' } });
    for (let i = 0; i < 200 && stat(dp, 'http.by_header.fault.active_faults') === 0; i++) await new Promise((r) => setTimeout(r, 2));
    assert.equal(stat(dp, 'http.by_header.fault.active_faults'), 1);
    const fast = await timed({ port: port.by_header, host: '127.0.0.2', path: '/bytes/16384', headers: { 'x-envoy-fault-throughput-response': '16' } });
    assert.equal(fast.bytes, 16384);
    assert.equal(stat(dp, 'http.by_header.fault.faults_overflow') - overflowBefore, 1);
    const s = await slow;
    assert.equal(s.bytes, 16384);
    // 16 KiB/s: 819-byte slices; 16384 bytes need 20, the first at once.
    assert.ok(s.ms >= 900, `took ${s.ms} ms`);
    assert.ok(fast.ms < s.ms);
    assert.equal(stat(dp, 'http.by_header.fault.active_faults'), 0);
  });

  test('per route: only the route whose typed_per_filter_config asks for it is paced', async () => {
    const slow = await timed({ port: port.per_route, host: '127.0.0.3', path: '/slow' });
    assert.equal(slow.bytes, 16384);
    assert.ok(slow.ms >= 400, `took ${slow.ms} ms`);
    const plain = await timed({ port: port.per_route, host: '127.0.0.3', path: '/bytes/16384' });
    assert.equal(plain.bytes, 16384);
    assert.equal(stat(dp, 'http.per_route.fault.response_rl_injected'), 1);
  });
});
