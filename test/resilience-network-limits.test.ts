// The network (L4) limits in front of a filter chain, over real sockets: connection_limit
// (active connections; refused ones closed and counted; a slot frees when a connection closes)
// and the network local_ratelimit (a token per new connection, refilled by the injected clock),
// for a tcp_proxy chain and an HTTP connection manager chain.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import { hcmFilter, newFilterChain, newListener, type NetworkFilter } from '../src/model/index.ts';
import { createManualClockForTest } from '../src/observe/clock.ts';
import { httpRequest } from './support/http-client.ts';
import { inlineHcm, prefixRoute, snapshotOf, startHttpUpstream, startTcpEchoUpstream, staticCluster, type Upstream } from './support/upstreams.ts';

function stat(dp: DataPlane, name: string): number {
  const m = dp.stats.get(name);
  return m !== undefined && (m.kind === 'counter' || m.kind === 'gauge') ? m.value : 0;
}

/** Connects and round-trips `ping`; 'echoed' when the proxy passed it, 'closed' when the connection was closed first. */
function probe(port: number, keep = false, host = '127.0.0.1'): Promise<{ outcome: 'echoed' | 'closed'; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    let got = '';
    const timer = setTimeout(() => reject(new Error('probe timed out')), 5000);
    socket.on('connect', () => socket.write('ping'));
    socket.on('data', (c: Buffer) => {
      got += c.toString();
      // The echo upstream greets first, then echoes.
      if (got.endsWith('ping')) {
        clearTimeout(timer);
        if (!keep) socket.destroy();
        resolve({ outcome: 'echoed', socket });
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ outcome: 'closed', socket });
    });
  });
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((r) => (socket.destroyed ? r() : socket.once('close', () => r())));
}

function tcpListener(name: string, ip: string, filters: NetworkFilter[]) {
  return newListener({
    name,
    address: { kind: 'socketAddress', address: ip, portValue: 0 },
    filterChains: [newFilterChain({ filters: [...filters, { kind: 'tcpProxy', name: 'tcp', typedConfig: { statPrefix: name, clusterSpecifier: { kind: 'cluster', cluster: 'echo' as never }, accessLog: [] } }] })],
  });
}

describe('network limits', () => {
  const clock = createManualClockForTest(1_700_000_000_000, 1_000);
  let echo: Upstream;
  let web: Upstream;
  let dp: DataPlane;
  let limitedPort: number;
  let ratePort: number;
  let httpPort: number;

  before(async () => {
    echo = await startTcpEchoUpstream('echo');
    web = await startHttpUpstream('web');
    dp = new DataPlane({ clock });
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          tcpListener('limited', '127.0.0.1', [{ kind: 'connectionLimit', name: 'envoy.filters.network.connection_limit', typedConfig: { statPrefix: 'two', maxConnections: 2 } }]),
          tcpListener('rated', '127.0.0.2', [{ kind: 'localRateLimit', name: 'envoy.filters.network.local_ratelimit', typedConfig: { statPrefix: 'tcp_rl', tokenBucket: { maxTokens: 2, tokensPerFill: 1, fillIntervalMs: 1000 } } }]),
          newListener({
            name: 'http-rated',
            address: { kind: 'socketAddress', address: '127.0.0.3', portValue: 0 },
            filterChains: [
              newFilterChain({
                filters: [{ kind: 'localRateLimit', name: 'envoy.filters.network.local_ratelimit', typedConfig: { statPrefix: 'http_rl', tokenBucket: { maxTokens: 1, fillIntervalMs: 60_000 } } }, hcmFilter(inlineHcm([prefixRoute('/', 'web')]))],
              }),
            ],
          }),
        ],
        clusters: [staticCluster('echo', [echo.address]), staticCluster('web', [web.address])],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    limitedPort = dp.boundAddress('limited')!.port;
    ratePort = dp.boundAddress('rated')!.port;
    httpPort = dp.boundAddress('http-rated')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await echo.close();
    await web.close();
  });

  test('connection_limit 2: the third concurrent connection is closed; a slot frees on close', async () => {
    const a = await probe(limitedPort, true);
    const b = await probe(limitedPort, true);
    assert.equal(a.outcome, 'echoed');
    assert.equal(b.outcome, 'echoed');
    assert.equal(stat(dp, 'connection_limit.two.active_connections'), 2);
    const c = await probe(limitedPort);
    assert.equal(c.outcome, 'closed');
    assert.equal(stat(dp, 'connection_limit.two.limited_connections'), 1);
    a.socket.destroy();
    await closed(a.socket);
    // The proxy sees the close asynchronously: wait on the gauge with a bounded loop of probes.
    let d = await probe(limitedPort, true);
    for (let i = 0; i < 50 && d.outcome === 'closed'; i++) d = await probe(limitedPort, true);
    assert.equal(d.outcome, 'echoed');
    b.socket.destroy();
    d.socket.destroy();
  });

  test('network local_ratelimit: 2 tokens, then closed, and a token per fill_interval', async () => {
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await probe(ratePort, false, '127.0.0.2')).outcome);
    assert.deepEqual(outcomes, ['echoed', 'echoed', 'closed']);
    assert.equal(stat(dp, 'local_ratelimit.tcp_rl.rate_limited'), 1);
    clock.advance(1000);
    assert.equal((await probe(ratePort, false, '127.0.0.2')).outcome, 'echoed');
    assert.equal((await probe(ratePort, false, '127.0.0.2')).outcome, 'closed');
    assert.equal(stat(dp, 'local_ratelimit.tcp_rl.rate_limited'), 2);
  });

  test('network local_ratelimit before an HTTP connection manager: the second connection never gets a response', async () => {
    assert.equal((await httpRequest({ port: httpPort, host: '127.0.0.3' })).status, 200);
    await assert.rejects(httpRequest({ port: httpPort, host: '127.0.0.3' }));
    assert.equal(stat(dp, 'local_ratelimit.http_rl.rate_limited'), 1);
  });

  test('a network token bucket fill_interval under 50 ms refuses the snapshot (Envoy refuses it too)', async () => {
    const other = new DataPlane({ clock });
    try {
      const r = await other.apply(
        snapshotOf({
          listeners: [
            tcpListener('bad-rl', '127.0.0.1', [{ kind: 'localRateLimit', name: 'rl', typedConfig: { statPrefix: 'x', tokenBucket: { maxTokens: 1, fillIntervalMs: 10 } } }]),
          ],
          clusters: [staticCluster('echo', [echo.address])],
        }),
      );
      assert.equal(r.ok, false);
      const text = JSON.stringify(!r.ok && r.error);
      assert.match(text, /fill_interval must be >= 50ms/);
    } finally {
      await other.stop({ drainTimeoutMs: 10 });
    }
  });
});
