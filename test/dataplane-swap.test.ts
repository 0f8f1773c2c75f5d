// Snapshot swaps on real sockets: no request lost under a steady load while routes, endpoints and
// listeners change; a snapshot with a dangling reference or an address that cannot be bound is
// refused whole while the old one keeps serving; unchanged listeners keep their connections;
// removed ones drain; stop() lets in-flight requests finish.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import type { Snapshot } from '../src/model/index.ts';
import { buildSnapshot, hcmFilter, newCluster, newFilterChain, newHttpConnectionManager, newListener, newLoadAssignment, newRouteConfiguration, newVirtualHost, routeConfigName } from '../src/model/index.ts';
import { httpRequest, jsonOf } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, snapshotOf, startHttpUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

/** An RDS listener `main` routing `/` to `cluster`, plus EDS endpoints for `eds`. */
function snapshot(version: string, opts: { cluster: string; edsHosts: string[]; extraListener?: boolean; extraRoute?: boolean; a: Upstream; b: Upstream }): Snapshot {
  const routes = [prefixRoute('/', opts.cluster)];
  return snapshotOf(
    {
      listeners: [
        newListener({
          name: 'main',
          address: { kind: 'socketAddress', address: '127.0.0.1', portValue: 0 },
          filterChains: [newFilterChain({ filters: [hcmFilter(newHttpConnectionManager({ statPrefix: 'main', routeSpecifier: { kind: 'rds', rds: { routeConfigName: routeConfigName('routes') } } }))] })],
        }),
        httpListener('inline', inlineHcm([...(opts.extraRoute ? [prefixRoute('/extra', 'a')] : []), prefixRoute('/', 'a')]), { ip: '127.0.0.2' }),
        ...(opts.extraListener ? [httpListener('extra', inlineHcm([prefixRoute('/', 'b')]), { ip: '127.0.0.3' })] : []),
      ],
      routeConfigurations: [newRouteConfiguration({ name: 'routes', virtualHosts: [newVirtualHost({ name: 'all', domains: ['*'], routes })] })],
      clusters: [staticCluster('a', [opts.a.address]), staticCluster('b', [opts.b.address]), newCluster({ name: 'eds', type: 'EDS' })],
      endpoints: [newLoadAssignment('eds', opts.edsHosts)],
    },
    version,
  );
}

describe('snapshot swaps', () => {
  let a: Upstream;
  let b: Upstream;
  let dp: DataPlane;

  before(async () => {
    a = await startHttpUpstream('a');
    b = await startHttpUpstream('b');
    dp = new DataPlane({ listenerDrainTimeoutMs: 2000 });
    const r = await dp.apply(snapshot('1', { cluster: 'a', edsHosts: [a.address], a, b }));
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 500 });
    await a.close();
    await b.close();
  });

  test('no request is lost while routes, endpoints and listeners change under load', async () => {
    const port = dp.boundAddress('main')!.port;
    const inlinePort = dp.boundAddress('inline')!.port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const total = 1200;
    let sent = 0;
    const statuses = new Map<number, number>();
    const served = new Map<string, number>();
    const worker = async (): Promise<void> => {
      while (sent < total) {
        const i = sent++;
        const inline = i % 3 === 0;
        const r = await httpRequest({ host: inline ? '127.0.0.2' : '127.0.0.1', port: inline ? inlinePort : port, path: `/r/${i}`, agent });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 200) served.set(jsonOf(r).upstream, (served.get(jsonOf(r).upstream) ?? 0) + 1);
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    // Swap while the load runs: each step waits for some requests to pass first.
    const steps: Snapshot[] = [
      snapshot('2', { cluster: 'b', edsHosts: [a.address], a, b }),
      snapshot('3', { cluster: 'b', edsHosts: [b.address], a, b, extraRoute: true }),
      snapshot('4', { cluster: 'a', edsHosts: [a.address, b.address], a, b, extraListener: true }),
      snapshot('5', { cluster: 'b', edsHosts: [], a, b }),
      snapshot('6', { cluster: 'a', edsHosts: [a.address], a, b }),
    ];
    for (const [n, s] of steps.entries()) {
      while (sent < ((n + 1) * total) / (steps.length + 1)) await new Promise((resolve) => setImmediate(resolve));
      const r = await dp.apply(s);
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    }
    await load;
    agent.destroy();
    assert.deepEqual([...statuses.entries()], [[200, total]], 'every request succeeded');
    assert.ok((served.get('a') ?? 0) > 0 && (served.get('b') ?? 0) > 0, JSON.stringify([...served]));
    assert.equal(dp.snapshot?.version, '6');
  });

  test('a listener whose config is unchanged keeps its connections across a swap', async () => {
    const port = dp.boundAddress('main')!.port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<net.Socket>();
    const get = (): Promise<string> =>
      new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/keep', agent }, (res) => {
            sockets.add(res.socket);
            let body = '';
            res.on('data', (c: Buffer) => (body += c));
            res.on('end', () => resolve(jsonOf({ text: body } as never).upstream));
          })
          .on('error', reject);
      });
    assert.equal(await get(), 'a');
    const r = await dp.apply(snapshot('7', { cluster: 'b', edsHosts: [a.address], a, b }));
    assert.ok(r.ok);
    assert.equal(await get(), 'b', 'the new routes apply on the kept connection');
    assert.equal(sockets.size, 1, 'one connection for both requests');
    agent.destroy();
  });

  test('a dangling cluster reference is refused whole; the old snapshot keeps serving', async () => {
    const port = dp.boundAddress('main')!.port;
    const good = snapshot('8', { cluster: 'a', edsHosts: [a.address], a, b });
    assert.ok((await dp.apply(good)).ok);
    // buildSnapshot refuses it...
    const built = buildSnapshot({ ...good, routeConfigurations: [newRouteConfiguration({ name: 'routes', virtualHosts: [newVirtualHost({ name: 'all', domains: ['*'], routes: [prefixRoute('/', 'missing')] })] })] }, '9');
    assert.equal(built.ok, false);
    // ...and so does the data plane, given a snapshot made some other way.
    const dangling: Snapshot = { ...good, version: '9', routeConfigurations: [newRouteConfiguration({ name: 'routes', virtualHosts: [newVirtualHost({ name: 'all', domains: ['*'], routes: [prefixRoute('/', 'missing')] })] })] };
    const r = await dp.apply(dangling);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.some((d) => d.code === 'WEFT_UNRESOLVED_REF' && d.message.includes('"missing"')), JSON.stringify(!r.ok && r.error));
    assert.equal(dp.snapshot?.version, '8');
    const res = await httpRequest({ port, path: '/still' });
    assert.equal(res.status, 200);
    assert.equal(jsonOf(res).upstream, 'a');
  });

  test('an address that cannot be bound refuses the snapshot; nothing of it is left behind', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.4', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const base = snapshot('10', { cluster: 'a', edsHosts: [a.address], a, b });
      const r = await dp.apply(
        snapshotOf(
          {
            ...base,
            listeners: [...base.listeners, httpListener('blocked', inlineHcm([prefixRoute('/', 'a')]), { ip: '127.0.0.4', port: taken })],
            clusters: [...base.clusters, staticCluster('only-in-rejected', [a.address])],
          },
          '10',
        ),
      );
      assert.equal(r.ok, false);
      assert.match(JSON.stringify(!r.ok && r.error), /cannot listen on 127\.0\.0\.4/);
      assert.equal(dp.snapshot?.version, '8');
      assert.equal(dp.cluster('only-in-rejected'), undefined);
      assert.equal(dp.boundAddress('blocked'), undefined);
      assert.equal((await httpRequest({ port: dp.boundAddress('main')!.port, path: '/x' })).status, 200);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  test('a removed listener stops accepting and lets its in-flight request finish', async () => {
    assert.ok((await dp.apply(snapshot('11', { cluster: 'a', edsHosts: [a.address], a, b, extraListener: true }))).ok);
    const port = dp.boundAddress('extra')!.port;
    const inflight = httpRequest({ host: '127.0.0.3', port, path: '/delay/300' });
    await b.waitForRequest((r) => r.url === '/delay/300');
    assert.ok((await dp.apply(snapshot('12', { cluster: 'a', edsHosts: [a.address], a, b }))).ok);
    assert.equal(dp.boundAddress('extra'), undefined);
    await assert.rejects(httpRequest({ host: '127.0.0.3', port, path: '/' }), /ECONNREFUSED/);
    const done = await inflight;
    assert.equal(done.status, 200);
    assert.equal(jsonOf(done).upstream, 'b');
  });

  test('stop() waits for in-flight requests, then closes', async () => {
    const local = new DataPlane();
    assert.ok((await local.apply(snapshotOf({ listeners: [httpListener('l', inlineHcm([prefixRoute('/', 'a')]), { ip: '127.0.0.5' })], clusters: [staticCluster('a', [a.address])] }))).ok);
    const port = local.boundAddress('l')!.port;
    const inflight = httpRequest({ host: '127.0.0.5', port, path: '/delay/200' });
    await a.waitForRequest((r) => r.url === '/delay/200');
    await local.stop({ drainTimeoutMs: 5000 });
    const done = await inflight;
    assert.equal(done.status, 200);
    await assert.rejects(httpRequest({ host: '127.0.0.5', port, path: '/' }), /ECONNREFUSED/);
  });
});

test('an address moving from one listener to another is handed over, not bound twice (a Service port a config takes over)', async () => {
  const a = await startHttpUpstream('a');
  const b = await startHttpUpstream('b');
  const dp = new DataPlane({ listenerDrainTimeoutMs: 500 });
  try {
    const first = await dp.apply(snapshotOf({ listeners: [httpListener('l4', inlineHcm([prefixRoute('/', 'a')]), { ip: '127.0.0.4' })], clusters: [staticCluster('a', [a.address])] }, '1'));
    assert.ok(first.ok, JSON.stringify(!first.ok && first.error));
    const port = dp.boundAddress('l4')!.port;
    const taken = httpListener('cec', inlineHcm([prefixRoute('/', 'b')]), { ip: '127.0.0.4', port });
    const second = await dp.apply(snapshotOf({ listeners: [taken], clusters: [staticCluster('b', [b.address])] }, '2'));
    assert.ok(second.ok, JSON.stringify(!second.ok && second.error));
    assert.equal(dp.boundAddress('cec')?.port, port);
    const r = await httpRequest({ port, host: '127.0.0.4', path: '/x' });
    assert.equal(jsonOf(r).upstream, 'b');
    // And back again, as when the config is deleted.
    const third = await dp.apply(snapshotOf({ listeners: [httpListener('l4', inlineHcm([prefixRoute('/', 'a')]), { ip: '127.0.0.4', port })], clusters: [staticCluster('a', [a.address])] }, '3'));
    assert.ok(third.ok, JSON.stringify(!third.ok && third.error));
    assert.equal(jsonOf(await httpRequest({ port, host: '127.0.0.4', path: '/y' })).upstream, 'a');
  } finally {
    await dp.stop({ drainTimeoutMs: 200 });
    await a.close();
    await b.close();
  }
});
