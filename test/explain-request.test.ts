// `weft explain request` against a running `weft up` (the explain-request issue): Cilium's test
// application with seed 004's header canary applied unchanged. The trace names the config's
// listener, the route and why the other did not match, the rewrite and the 50/50 split; and it
// agrees with what real requests through the outbound proxy do. Unknown hosts and addresses with
// no listener exit 1 with the messages the CLI contract gives.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { echoServedBy, MeshClient } from './support/mesh-client.ts';
import { ROOT, removeDir, runWeft, startWeft, tempDir, weftOk as weftOkIn } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

const APP = join(ROOT, 'test', 'fixtures', 'tutorials', 'test-application.yaml');
const CANARY = join(ROOT, 'test', 'fixtures', 'seeds', '004_ead56103dfc75f11-11-header-canary.yaml');


describe('weft explain request', () => {
  let state: string;
  let weft: RunningWeft;
  let client: MeshClient;
  const weftOk = (args: string[], input?: string) => weftOkIn(state, args, input);
  const explainJson = async (args: string[]) => JSON.parse(await weftOk(['explain', 'request', ...args, '-o', 'json']));

  before(async () => {
    state = tempDir('weft-explain-request-');
    weft = await startWeft({
      state,
      files: [APP],
      args: ['--no-access-log', '--proxy', '127.0.0.1:0', '--service-cidr', '127.103.0.0/16', '--pod-cidr', '127.251.0.0/16', '--node-address', '127.0.0.65'],
      timeoutMs: 30_000,
    });
    for (const d of ['echo-service-1', 'echo-service-2', 'client2']) await weftOk(['wait', '--for=condition=Available', `deploy/${d}`, '--timeout', '15s']);
    const pods = JSON.parse(await weftOk(['get', 'pods', '-l', 'name=client2', '-o', 'json']));
    client = new MeshClient(state, { name: pods.items[0].metadata.name });
    await weftOk(['apply', '-f', CANARY]);
    await weftOk(['wait', '--for=condition=Programmed', 'cec/envoy-lb-listener', '--timeout', '15s']);
  });
  after(async () => {
    client?.close();
    await weft?.stop();
    removeDir(state);
  });

  test('with "version: foo": the CEC listener, route #1, cluster echo-service-1, /foo rewritten to /; real requests agree', async () => {
    const t = await explainJson(['-H', 'version: foo', 'http://echo-service-1:8080/foo', '--from', 'deploy/client2']);
    assert.equal(t.caller.kind, 'pod');
    assert.match(t.caller.name, /^client2-/);
    assert.equal(t.resolution.kind, 'service');
    assert.equal(t.resolution.service, 'echo-service-1');
    assert.match(t.resolution.address, /^127\.103\./);
    assert.equal(t.listener.name, 'default/envoy-lb-listener/envoy-lb-listener');
    assert.deepEqual(t.listener.origin, { kind: 'envoyConfig', configKind: 'CiliumEnvoyConfig', namespace: 'default', name: 'envoy-lb-listener', intercepts: 'default/echo-service-1:8080' });
    assert.equal(t.filterChain.terminal, 'http_connection_manager');
    assert.equal(t.http.route, 1);
    assert.equal(t.http.action.kind, 'route');
    assert.deepEqual(t.http.action.clusters, [{ name: 'default/echo-service-1', percent: 100 }]);
    assert.equal(t.http.action.path.after, '/');
    assert.equal(t.outcome.kind, 'forwarded');
    const endpoints = t.clusters[0].endpoints;
    assert.equal(endpoints.length, 1);
    assert.equal(endpoints[0].health, 'healthy');

    const real = await client.many('http://echo-service-1:8080/foo', 20, 4, { version: 'foo' });
    for (const r of real) {
      assert.equal(r.status, 200);
      assert.equal(echoServedBy(r), 'echo-service-1');
      assert.equal(JSON.parse(r.body).path, t.http.action.path.after);
    }
  });

  test('without the header: route #1 says why not, route #2 splits 50%/50%; real requests reach both', async () => {
    const t = await explainJson(['http://echo-service-1:8080/foo', '--from', 'deploy/client2']);
    assert.equal(t.http.route, 2);
    assert.deepEqual(t.http.routes[0].reasons, ['header version: exact foo, request has none']);
    assert.deepEqual(
      t.http.action.clusters.map((c: { name: string; percent: number }) => [c.name, c.percent]),
      [['default/echo-service-1', 50], ['default/echo-service-2', 50]],
    );
    assert.equal(t.http.action.path.after, '/foo');
    assert.deepEqual(t.http.action.retry.retryOn, ['5xx']);
    assert.deepEqual(t.clusters.map((c: { name: string; usable: number }) => [c.name, c.usable]), [['default/echo-service-1', 1], ['default/echo-service-2', 1]]);

    const real = await client.many('http://echo-service-1:8080/', 100, 8);
    assert.ok(real.every((r) => r.status === 200));
    const one = real.filter((r) => echoServedBy(r) === 'echo-service-1').length;
    // 50% ± 20 over 100 requests is far outside chance for a working split.
    assert.ok(one >= 30 && one <= 70, `echo-service-1 served ${one} of 100`);

    const text = await weftOk(['explain', 'request', 'http://echo-service-1:8080/foo', '--from', 'deploy/client2']);
    assert.match(text, /^2\. listener default\/envoy-lb-listener\/envoy-lb-listener on 127\.103\.\d+\.\d+:8080$/m);
    assert.match(text, /CiliumEnvoyConfig default\/envoy-lb-listener intercepts Service default\/echo-service-1:8080/);
    assert.match(text, /route #1: prefix \/, header version: exact foo — no match: header version: exact foo, request has none/);
    assert.match(text, /→ weighted clusters: default\/echo-service-1 50% \(weight 50\), default\/echo-service-2 50% \(weight 50\)/);
    assert.match(text, /^=> forwarded to default\/echo-service-1 50%, default\/echo-service-2 50%$/m);
  });

  test('unknown host and an address nothing listens on: exit 1 with the contract messages', async () => {
    const unknown = await runWeft(['explain', 'request', 'http://nosuch:8080/', '--from', 'deploy/client2'], { state });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no Service, ClusterIP or Pod answers to nosuch/);
    const refused = await runWeft(['explain', 'request', 'http://127.103.255.254:80/'], { state });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /connection refused \(no listener on 127\.103\.255\.254:80; a Service with no ready endpoint has none\)/);
    const noPod = await runWeft(['explain', 'request', 'http://echo-service-1:8080/', '--from', 'nosuch'], { state });
    assert.equal(noPod.code, 1);
    assert.match(noPod.stderr, /pods "nosuch" not found/);
  });
});
