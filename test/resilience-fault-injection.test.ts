// Fault injection (envoy.filters.http.fault) over real sockets: abort by percentage (503 FI,
// never reaching the backend), abort and delay taken from the x-envoy-fault-* headers, a fixed
// delay (DI), a header matcher that limits the fault, per-route configs, max_active_faults, and
// the http.<prefix>.fault.* stats.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import { ROUTER_FILTER, type Fault, type HttpFilter } from '../src/model/index.ts';
import { httpRequest } from './support/http-client.ts';
import { httpListener, inlineHcm, LogCapture, prefixRoute, snapshotOf, startHttpUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

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

function perRoute(f: Fault) {
  return { typedPerFilterConfig: { 'envoy.filters.http.fault': { kind: 'fault' as const, typedConfig: f } } };
}

describe('fault injection', () => {
  let up: Upstream;
  let dp: DataPlane;
  const log = new LogCapture();
  const port: Record<string, number> = {};

  before(async () => {
    up = await startHttpUpstream('backend');
    dp = new DataPlane({ defaultAccessLog: true, accessLogStdout: log });
    const listener = (name: string, ip: string, f: Fault, routes = [prefixRoute('/', 'backend')]) =>
      httpListener(name, inlineHcm(routes, { statPrefix: name, httpFilters: [faultFilter(f), ROUTER_FILTER] }), { ip });
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          listener('abort', '127.0.0.1', fault({ abort: { errorType: { kind: 'httpStatus', httpStatus: 503 }, percentage: 1 }, headers: [{ name: 'x-fault', headerMatchSpecifier: { kind: 'present', present: true } }] })),
          listener('by_header', '127.0.0.2', fault({ abort: { errorType: { kind: 'headerAbort' } }, delay: { faultDelaySpecifier: { kind: 'headerDelay' } } })),
          listener('delay', '127.0.0.3', fault({ delay: { faultDelaySpecifier: { kind: 'fixedDelay', fixedDelayMs: 150 }, percentage: 1 }, maxActiveFaults: 1 })),
          listener('routes', '127.0.0.4', fault({}), [
            prefixRoute('/teapot', 'backend', {}, perRoute(fault({ abort: { errorType: { kind: 'httpStatus', httpStatus: 418 }, percentage: 1 } }))),
            prefixRoute('/', 'backend'),
          ]),
        ],
        clusters: [staticCluster('backend', [up.address])],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    for (const n of ['abort', 'by_header', 'delay', 'routes']) port[n] = dp.boundAddress(n)!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await up.close();
  });

  test('abort 100% for requests with x-fault: 503 "fault filter abort", flag FI, the backend never sees it', async () => {
    const seen = up.requests.length;
    const r = await httpRequest({ port: port.abort, path: '/aborted', headers: { 'x-fault': '1' } });
    assert.equal(r.status, 503);
    assert.equal(r.text, 'fault filter abort');
    assert.equal(up.requests.length, seen);
    assert.equal(stat(dp, 'http.abort.fault.aborts_injected'), 1);
    const line = await log.waitFor((l) => l.includes('/aborted'));
    assert.match(line, / FI /);
    const plain = await httpRequest({ port: port.abort, path: '/plain' });
    assert.equal(plain.status, 200, 'the header matcher limits the fault');
  });

  test('abort and delay from the x-envoy-fault-* request headers', async () => {
    assert.equal((await httpRequest({ port: port.by_header, host: '127.0.0.2', path: '/h', headers: { 'x-envoy-fault-abort-request': '429' } })).status, 429);
    assert.equal((await httpRequest({ port: port.by_header, host: '127.0.0.2', path: '/h', headers: { 'x-envoy-fault-abort-request': '429', 'x-envoy-fault-abort-request-percentage': '0' } })).status, 200, 'the percentage header lowers the share to 0');
    assert.equal((await httpRequest({ port: port.by_header, host: '127.0.0.2', path: '/h' })).status, 200, 'no header, no fault');
    const t0 = performance.now();
    const d = await httpRequest({ port: port.by_header, host: '127.0.0.2', path: '/delayed-by-header', headers: { 'x-envoy-fault-delay-request': '80' } });
    assert.equal(d.status, 200);
    assert.ok(performance.now() - t0 >= 75, 'delayed by the header value');
    assert.equal(stat(dp, 'http.by_header.fault.delays_injected'), 1);
    assert.equal(stat(dp, 'http.by_header.fault.aborts_injected'), 1);
  });

  test('fixed delay: the request is held, then forwarded (flag DI); max_active_faults 1 lets a concurrent one through undelayed', async () => {
    const t0 = performance.now();
    const slow = httpRequest({ port: port.delay, host: '127.0.0.3', path: '/delayed' });
    // The first request is being delayed once the gauge says so; the second overflows.
    for (let i = 0; i < 200 && stat(dp, 'http.delay.fault.active_faults') === 0; i++) await new Promise((r) => setTimeout(r, 2));
    const fast = await httpRequest({ port: port.delay, host: '127.0.0.3', path: '/overflow' });
    const fastMs = performance.now() - t0;
    const r = await slow;
    assert.equal(r.status, 200);
    assert.equal(fast.status, 200);
    assert.ok(performance.now() - t0 >= 140, 'the delayed request took the delay');
    assert.ok(fastMs < 140, `the overflowing request was not delayed (${fastMs} ms)`);
    assert.equal(stat(dp, 'http.delay.fault.delays_injected'), 1);
    assert.equal(stat(dp, 'http.delay.fault.faults_overflow'), 1);
    assert.equal(stat(dp, 'http.delay.fault.active_faults'), 0);
    assert.match(await log.waitFor((l) => l.includes('/delayed')), / DI /);
  });

  test('per route (typed_per_filter_config): only that route is aborted', async () => {
    assert.equal((await httpRequest({ port: port.routes, host: '127.0.0.4', path: '/teapot' })).status, 418);
    assert.equal((await httpRequest({ port: port.routes, host: '127.0.0.4', path: '/other' })).status, 200);
  });
});
