// CiliumEnvoyConfig end to end with Cilium's test application (echo-service-1/2, json-mock) and
// seed 004's manifests applied unchanged (issue 6): the 50/50 split whichever Service is called,
// the `/foo` regex rewrite and the app's own 404 on `/bar`, the `version: foo` header canary, the
// local rate limit (429 with x-local-rate-limit) and the circuit breaker (503 x-envoy-overloaded).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { echoServedBy, MeshClient } from './support/mesh-client.ts';
import type { MeshResponse } from './support/mesh-client.ts';
import { ROOT, removeDir, startWeft, tempDir, weftOk as weftOkIn } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

const seed = (name: string) => join(ROOT, 'test', 'fixtures', 'seeds', `004_ead56103dfc75f11-${name}.yaml`);
const APP = join(ROOT, 'test', 'fixtures', 'tutorials', 'test-application.yaml');


describe('CiliumEnvoyConfig: the echo services', () => {
  let state: string;
  let weft: RunningWeft;
  let client: MeshClient;
  const weftOk = (args: string[], input?: string) => weftOkIn(state, args, input);
  const applyAndWait = async (file: string, ref: string) => {
    await weftOk(['apply', '-f', file]);
    await weftOk(['wait', '--for=condition=Programmed', ref, '--timeout', '15s']);
  };

  before(async () => {
    state = tempDir('weft-cec-echo-');
    weft = await startWeft({
      state,
      files: [APP],
      args: ['--no-access-log', '--proxy', '127.0.0.1:0', '--node-address', '127.0.0.63', '--service-cidr', '127.100.0.0/16', '--pod-cidr', '127.248.0.0/16'],
      timeoutMs: 30_000,
    });
    const pods = JSON.parse(await weftOk(['get', 'pods', '-l', 'name=client2', '-o', 'json']));
    client = new MeshClient(state, { name: pods.items[0].metadata.name });
    for (const d of ['echo-service-1', 'echo-service-2']) await weftOk(['wait', '--for=condition=Available', `deploy/${d}`, '--timeout', '15s']);
  });
  after(async () => {
    client?.close();
    await weft?.stop();
    removeDir(state);
  });

  test('traffic management: 50/50 ± 5 whichever Service is called; /foo rewritten to / (200); /bar is the app\'s 404', async () => {
    await applyAndWait(seed('02-lb-listener-url-rewrite'), 'ccec/envoy-lb-listener');
    for (const svc of ['echo-service-1', 'echo-service-2']) {
      const rs = await client.many(`http://${svc}:8080/`, 400, 8);
      assert.ok(rs.every((r) => r.status === 200), `${svc}: ${rs.find((r) => r.status !== 200)?.status}`);
      const one = rs.filter((r) => echoServedBy(r) === 'echo-service-1').length;
      assert.ok(one >= 180 && one <= 220, `${svc}: echo-service-1 served ${one} of 400 (want 50% ± 5)`);
    }
    const foo = await client.get('http://echo-service-1:8080/foo');
    assert.equal(foo.status, 200);
    assert.equal(JSON.parse(foo.body).path, '/', foo.body);
    const bar = await client.get('http://echo-service-1:8080/bar');
    assert.equal(bar.status, 404);
    assert.equal(bar.headers.server, 'envoy');
  });

  test('two configs intercepting the same Service ports are both reported as conflicting; the older one serves', async () => {
    // The CCEC of the previous test still intercepts echo-service-1/2.
    await weftOk(['apply', '-f', seed('11-header-canary')]);
    await weftOk(['wait', '--for=condition=Conflicted', 'cec/envoy-lb-listener', '--timeout', '15s']);
    const cond = (o: any, type: string) => o.status.conditions.find((c: any) => c.type === type);
    const cec = JSON.parse(await weftOk(['get', 'cec', 'envoy-lb-listener', '-o', 'json']));
    assert.equal(cond(cec, 'Programmed').status, 'False');
    assert.equal(cond(cec, 'Programmed').reason, 'Conflicted');
    assert.match(cond(cec, 'Conflicted').message, /CiliumClusterwideEnvoyConfig envoy-lb-listener/);
    const ccec = JSON.parse(await weftOk(['get', 'ccec', 'envoy-lb-listener', '-o', 'json']));
    assert.equal(cond(ccec, 'Conflicted').status, 'True');
    assert.equal(cond(ccec, 'Programmed').status, 'True');
    // The older one keeps serving: still the 50/50 split with the rewrite.
    assert.equal(JSON.parse((await client.get('http://echo-service-1:8080/foo')).body).path, '/');
    await weftOk(['delete', 'ccec', 'envoy-lb-listener']);
  });

  test('header canary: "version: foo" on /foo goes to echo-service-1 rewritten to /; without it the 50/50 route', async () => {
    await applyAndWait(seed('11-header-canary'), 'cec/envoy-lb-listener');
    const canary = await client.many('http://echo-service-2:8080/foo', 40, 4, { version: 'foo' });
    assert.ok(canary.every((r) => r.status === 200 && echoServedBy(r) === 'echo-service-1' && JSON.parse(r.body).path === '/'), canary.map((r) => r.status + echoServedBy(r)).join(','));
    const plain = await client.many('http://echo-service-2:8080/', 200, 8);
    const one = plain.filter((r) => echoServedBy(r) === 'echo-service-1').length;
    assert.ok(one >= 70 && one <= 130, `without the header echo-service-1 served ${one} of 200`);
    await weftOk(['delete', 'cec', 'envoy-lb-listener']);
  });

  test('local rate limit: of 5 quick requests 2 pass and 3 get 429 with x-local-rate-limit: true', async () => {
    await applyAndWait(seed('03-local-rate-limit'), 'ccec/envoy-lb-listener');
    const rs: MeshResponse[] = [];
    for (let i = 0; i < 5; i++) rs.push(await client.get('http://echo-service-1:8080/'));
    assert.deepEqual(rs.map((r) => r.status), [200, 200, 429, 429, 429]);
    for (const r of rs.slice(2)) {
      assert.equal(r.headers['x-local-rate-limit'], 'true');
      assert.equal(r.body, 'local_rate_limited');
    }
  });

  test('circuit breaker: -c 4 gets a share of 503 with x-envoy-overloaded; pending overflow counts them', async () => {
    await weftOk(['delete', 'ccec', 'envoy-lb-listener']);
    await applyAndWait(seed('05-circuit-breaker'), 'cec/envoy-circuit-breaker');
    // json-mock answers in well under a millisecond, so overflow needs real concurrency: rounds of
    // 100 requests 16 at a time until some overflow (bounded).
    const rs: MeshResponse[] = [];
    for (let round = 0; round < 10 && !rs.some((r) => r.status === 503); round++) rs.push(...(await client.many('http://echo-service-1:8080/', 100, 16)));
    const overloaded = rs.filter((r) => r.status === 503);
    assert.ok(overloaded.length > 0, 'some requests overflow max_requests 2 / max_pending_requests 1');
    assert.ok(overloaded.every((r) => r.headers['x-envoy-overloaded'] === 'true'));
    assert.equal(overloaded.length + rs.filter((r) => r.status === 200).length, rs.length);
    // The tutorial's own commands: fortio in its Pod, -c 2 then -c 4, 20 calls each.
    await weftOk(['apply', '-f', seed('04-fortio')]);
    await weftOk(['wait', '--for=condition=Available', 'deploy/fortio-deploy', '--timeout', '15s']);
    const fortio = async (c: number) => {
      const out = await weftOk(['exec', 'deploy/fortio-deploy', '-c', 'fortio', '--', '/usr/bin/fortio', 'load', '-c', String(c), '-qps', '0', '-n', '20', 'http://echo-service-1:8080']);
      const code = (n: number) => Number(new RegExp(`^Code ${n} : (\\d+)`, 'm').exec(out)?.[1] ?? 0);
      assert.equal(code(200) + code(503), 20, out);
      return { ok: code(200), overloaded: code(503) };
    };
    const two = await fortio(2);
    assert.ok(two.ok >= 15, `-c 2: ${JSON.stringify(two)} (want mostly 200)`);
    const four = await fortio(4);
    const stats = await (await fetch(`${weft.apiUrl}/stats`)).text();
    const m = /^cluster\.default\/echo-service-1\.upstream_rq_pending_overflow: (\d+)$/m.exec(stats);
    assert.ok(m, stats.slice(0, 1500));
    assert.equal(Number(m[1]), overloaded.length + two.overloaded + four.overloaded, 'upstream_rq_pending_overflow counts the 503s');
  });

  test("seed 003's circuit-breaker CCEC over Cilium's proxy-circuit-breaker app: echo-service:8080 through the EDS name it gives", async () => {
    await weftOk(['apply', '-f', join(ROOT, 'test', 'fixtures', 'tutorials', 'test-application-proxy-circuit-breaker.yaml')]);
    await weftOk(['wait', '--for=condition=Available', 'deploy/echo-service', '--timeout', '15s']);
    await applyAndWait(join(ROOT, 'test', 'fixtures', 'seeds', '003_9b0a95b1e3daf133-09-envoy-circuit-breaker.yaml'), 'ccec/envoy-circuit-breaker');
    const e = JSON.parse(await weftOk(['explain', 'ccec', 'envoy-circuit-breaker', '-o', 'json']));
    assert.deepEqual(e.intercepts.map((r: any) => `${r.namespace}/${r.service}:${r.port}`), ['default/echo-service:8080']);
    assert.equal(e.clusters[0].endpointsFrom, 'default/echo-service');
    assert.equal(e.clusters[0].endpoints.length, 1);
    const out = await weftOk(['exec', 'deploy/fortio-deploy', '-c', 'fortio', '--', '/usr/bin/fortio', 'load', '-c', '2', '-qps', '0', '-n', '20', 'http://echo-service:8080']);
    const code = (n: number) => Number(new RegExp(`^Code ${n} : (\\d+)`, 'm').exec(out)?.[1] ?? 0);
    assert.equal(code(200) + code(503), 20, out);
    assert.ok(code(200) >= 15, out);
  });
});
