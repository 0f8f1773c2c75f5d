// CiliumEnvoyConfig end to end on `weft up` (issue 6), with seed 004's helloworld manifests applied
// unchanged: the 90/10 split of the Service it intercepts, deleting it returns to L4 balancing,
// status conditions and `weft explain`, a STATIC cluster's 80/20 endpoint weights, the admin and
// Prometheus listeners, and a broken config refused at apply time with its line and field.
// The apps are Cilium's client-helloworld.yaml (as test/fixtures/tutorials has it).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MeshClient, tally } from './support/mesh-client.ts';
import { ROOT, removeDir, runWeft, startWeft, tempDir, waitFor, weftOk as weftOkIn } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

const SEEDS = join(ROOT, 'test', 'fixtures', 'seeds');
const seed = (name: string) => join(SEEDS, `004_ead56103dfc75f11-${name}.yaml`);
const NODE = '127.0.0.61';
const VERSIONS = { v1: /Hello version: v1/, v2: /Hello version: v2/ };

function plainGet(url: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('CiliumEnvoyConfig: seed 004 helloworld', () => {
  let state: string;
  let weft: RunningWeft;
  let client: MeshClient;
  const weftOk = (args: string[], input?: string) => weftOkIn(state, args, input);
  const programmed = (kind: string, name: string) => weftOk(['wait', '--for=condition=Programmed', `${kind}/${name}`, '--timeout', '15s']);

  before(async () => {
    state = tempDir('weft-cec-hello-');
    weft = await startWeft({
      state,
      files: [join(ROOT, 'test', 'fixtures', 'tutorials', 'client-helloworld.yaml'), join(ROOT, 'test', 'fixtures', 'cec', 'helloworld-v1-v2-services.yaml')],
      args: ['--no-access-log', '--proxy', '127.0.0.1:0', '--node-address', NODE, '--service-cidr', '127.98.0.0/16', '--pod-cidr', '127.246.0.0/16'],
      timeoutMs: 30_000,
    });
    const pods = JSON.parse(await weftOk(['get', 'pods', '-l', 'name=client', '-o', 'json']));
    client = new MeshClient(state, { name: pods.items[0].metadata.name });
    // Both versions answer through the Service before any config is applied.
    await waitFor('both helloworld versions', async () => {
      const t = tally(await client.many('http://helloworld:5000/hello', 20), VERSIONS);
      return t.v1 > 0 && t.v2 > 0 ? true : undefined;
    }, 15_000);
  });
  after(async () => {
    client?.close();
    await weft?.stop();
    removeDir(state);
  });

  test('90/10 over 1,000 requests to the intercepted Service; deleting the config returns to ~50/50', async () => {
    await weftOk(['apply', '-f', seed('09-helloworld-v1-90-v2-10')]);
    await programmed('cec', 'envoy-lb-listener');
    const split = tally(await client.many('http://helloworld:5000/hello', 1000, 8), VERSIONS);
    assert.equal(split.v1 + split.v2, 1000, JSON.stringify(split));
    assert.ok(split.v1 >= 870 && split.v1 <= 930, `v1 got ${split.v1} of 1000 (want 90% ± 3)`);

    const wide = await weftOk(['get', 'cec', '-o', 'wide']);
    assert.match(wide, /^NAME\s+AGE\s+ACCEPTED\s+PROGRAMMED/m);
    assert.match(wide, /^envoy-lb-listener\s+\S+\s+True\s+True/m);
    assert.match(await weftOk(['status']), /^Envoy configs:\s+OK\s+1 CiliumEnvoyConfigs\/CiliumClusterwideEnvoyConfigs: 1 programmed/m);

    await weftOk(['delete', 'cec', 'envoy-lb-listener']);
    const back = await waitFor('L4 balancing again', async () => {
      const t = tally(await client.many('http://helloworld:5000/hello', 200, 1), VERSIONS);
      return t.v2 >= 70 ? t : undefined;
    }, 10_000);
    assert.ok(back.v1 >= 70 && back.v2 >= 70, `after delete: ${JSON.stringify(back)} (want roughly 50/50)`);
  });

  test('weft explain cec: qualified names, the intercepted port, EDS names with their endpoints', async () => {
    await weftOk(['apply', '-f', seed('09-helloworld-v1-90-v2-10')]);
    await programmed('cec', 'envoy-lb-listener');
    const e = JSON.parse(await weftOk(['explain', 'cec', 'envoy-lb-listener', '-o', 'json']));
    const svc = JSON.parse(await weftOk(['get', 'svc', 'helloworld', '-o', 'json']));
    assert.deepEqual(e.listeners.map((l: any) => [l.name, l.addresses, l.serving]), [
      ['default/envoy-lb-listener/envoy-lb-listener', [`${svc.spec.clusterIP}:5000`], true],
    ]);
    assert.deepEqual(e.intercepts.map((r: any) => `${r.namespace}/${r.service}:${r.port}`), ['default/helloworld:5000']);
    assert.deepEqual(e.routeConfigurations, ['default/envoy-lb-listener/lb_route']);
    const pods = JSON.parse(await weftOk(['get', 'pods', '-l', 'app=helloworld', '-o', 'json']));
    const ipOf = (v: string) => pods.items.find((p: any) => p.metadata.labels.version === v).status.podIP;
    const clusters = Object.fromEntries(e.clusters.map((c: any) => [c.name, c]));
    assert.equal(clusters['default/helloworld-v1'].endpointsFrom, 'default/helloworld-v1');
    assert.deepEqual(clusters['default/helloworld-v1'].endpoints, [`${ipOf('v1')}:5000`]);
    assert.deepEqual(clusters['default/helloworld-v2'].endpoints, [`${ipOf('v2')}:5000`]);
    const text = await weftOk(['explain', 'cec', 'envoy-lb-listener']);
    assert.match(text, /Intercepts:\n  Service default\/helloworld:5000 -> default\/envoy-lb-listener\/envoy-lb-listener/);
    await weftOk(['delete', 'cec', 'envoy-lb-listener']);
  });

  test('a broken config is refused at apply time with file:line:column and field path; the served one stays', async () => {
    await weftOk(['apply', '-f', seed('09-helloworld-v1-90-v2-10')]);
    const original = readFileSync(seed('09-helloworld-v1-90-v2-10'), 'utf8');
    const broken = original.replace('weight: 90', 'weight: ninety').replace('default/helloworld-v2"\n                      weight', 'default/helloworld-v3"\n                      weight');
    assert.notEqual(broken, original);
    const file = join(state, 'broken.yaml');
    writeFileSync(file, broken);
    const r = await runWeft(['apply', '-f', file], { state });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const line = broken.split('\n').findIndex((l) => l.includes('ninety')) + 1;
    assert.match(r.stderr, new RegExp(`broken\\.yaml:${line}:\\d+: error: CiliumEnvoyConfig default/envoy-lb-listener: spec\\.resources\\[1\\]\\.virtual_hosts\\[0\\]\\.routes\\[0\\]\\.route\\.weighted_clusters\\.clusters\\[0\\]\\.weight:`));
    const v = JSON.parse(await weftOk(['get', 'cec', 'envoy-lb-listener', '-o', 'json']));
    assert.equal(v.metadata.generation, 1, 'nothing was written');
    // A dangling cluster reference alone is refused too, at the reference.
    writeFileSync(file, original.replace('name: "default/helloworld-v2"\n                      weight', 'name: "default/helloworld-v3"\n                      weight'));
    const dangling = await runWeft(['apply', '-f', file], { state });
    assert.equal(dangling.code, 1, dangling.stdout + dangling.stderr);
    assert.match(dangling.stderr, /weighted_clusters\.clusters\[1\]\.name: .*default\/helloworld-v3/);
    // Offline validation says the same.
    const offline = await runWeft(['validate', '-f', file]);
    assert.equal(offline.code, 1);
    assert.match(offline.stderr, /default\/helloworld-v3/);
    await weftOk(['delete', 'cec', 'envoy-lb-listener']);
  });

  test('a STATIC cluster with 80/20 endpoint weights: 80% ± 4 over 1,000 requests', async () => {
    const pods = JSON.parse(await weftOk(['get', 'pods', '-l', 'app=helloworld', '-o', 'json']));
    const ipOf = (v: string) => pods.items.find((p: any) => p.metadata.labels.version === v).status.podIP;
    // As the tutorial has the reader do: put the Pods' IPs into the manifest.
    const text = readFileSync(seed('07-helloworld-lb-static-weights'), 'utf8').replace('10.0.0.55', ipOf('v2')).replace('10.0.0.238', ipOf('v1'));
    await weftOk(['apply', '-f', '-'], text);
    await programmed('cec', 'helloworld-lb');
    const split = tally(await client.many('http://helloworld:5000/hello', 1000, 8), VERSIONS);
    assert.ok(split.v1 >= 760 && split.v1 <= 840, `v1 got ${split.v1} of 1000 (want 80% ± 4)`);
    await weftOk(['delete', 'cec', 'helloworld-lb']);
  });

  test('admin listener on :9901 and Prometheus listener on :9090 (CCECs with address "::")', async () => {
    await weftOk(['apply', '-f', seed('01-admin-listener'), '-f', seed('10-prometheus-metrics-listener'), '-f', seed('09-helloworld-v1-90-v2-10')]);
    await programmed('ccec', 'envoy-admin-listener');
    await programmed('ccec', 'envoy-prometheus-metrics-listener');
    await programmed('cec', 'envoy-lb-listener');
    for (const path of ['/config_dump', '/clusters', '/stats']) {
      const r = await plainGet(`http://${NODE}:9901${path}`);
      assert.equal(r.status, 200, path);
    }
    assert.match((await plainGet(`http://${NODE}:9901/clusters`)).body, /default\/helloworld-v1::/);
    const counter = async () => {
      const m = await plainGet(`http://${NODE}:9090/metrics`);
      assert.equal(m.status, 200);
      assert.match(m.type, /^text\/plain/);
      const lines = m.body.split('\n').filter((l) => /cluster.*helloworld.*upstream_rq_total/.test(l) && !l.startsWith('#'));
      assert.ok(lines.length >= 2, m.body.slice(0, 2000));
      return lines.reduce((n, l) => n + Number(l.split(/\s+/).pop()), 0);
    };
    const before = await counter();
    const sent = (await client.many('http://helloworld:5000/hello', 50, 4)).filter((r) => r.status === 200).length;
    assert.equal(sent, 50);
    assert.equal((await counter()) - before, 50, 'the per-cluster counters add up to the requests sent');
    assert.equal((await plainGet(`http://${NODE}:9090/stats`)).status, 404);
    await weftOk(['delete', 'ccec', 'envoy-admin-listener', 'envoy-prometheus-metrics-listener']);
    await weftOk(['delete', 'cec', 'envoy-lb-listener']);
  });

  test('nodeSelector: a config for `role: infra` nodes is programmed only while this node carries the label', async () => {
    const admin = readFileSync(seed('01-admin-listener'), 'utf8')
      .replace('name: envoy-admin-listener\nspec:', 'name: envoy-admin-listener-infra\nspec:\n  nodeSelector:\n    matchLabels:\n      role: infra')
      .replace('port_value: 9901', 'port_value: 9902');
    assert.match(admin, /role: infra/);
    await weftOk(['apply', '-f', '-'], admin);
    await weftOk(['wait', '--for=condition=Programmed=False', 'ccec/envoy-admin-listener-infra', '--timeout', '15s']);
    const o = JSON.parse(await weftOk(['get', 'ccec', 'envoy-admin-listener-infra', '-o', 'json']));
    const condition = o.status.conditions.find((c: any) => c.type === 'Programmed');
    assert.equal(condition.reason, 'NodeNotSelected');
    assert.equal(o.status.conditions.find((c: any) => c.type === 'Accepted').status, 'True');
    await assert.rejects(plainGet(`http://${NODE}:9902/ready`), /ECONNREFUSED/);
    // Labelling the node, as one labels a Kubernetes node, selects it.
    await weftOk(['label', 'node', 'weft-node', 'role=infra']);
    await programmed('ccec', 'envoy-admin-listener-infra');
    assert.equal((await plainGet(`http://${NODE}:9902/ready`)).status, 200);
    assert.match(await weftOk(['status']), /^Envoy configs:\s+OK\s+1 CiliumEnvoyConfigs\/CiliumClusterwideEnvoyConfigs: 1 programmed \(/m);
    await weftOk(['label', 'node', 'weft-node', 'role-']);
    await weftOk(['wait', '--for=condition=Programmed=False', 'ccec/envoy-admin-listener-infra', '--timeout', '15s']);
    assert.match(await weftOk(['status']), /1 for other nodes \(nodeSelector\)/);
    await weftOk(['delete', 'ccec', 'envoy-admin-listener-infra']);
  });
});
