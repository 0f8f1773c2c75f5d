// The CLI contract of DESIGN.md, end to end: the real binary against a real `weft up`.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT, removeDir, runWeft, startWeft, tempDir, waitFor } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

const SERVICE = (port: number | string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: ${port}${extra}
`;

describe('weft up + apply/get/delete/wait', () => {
  let state: string;
  let weft: RunningWeft;
  let work: string;

  before(async () => {
    state = tempDir();
    work = tempDir('weft-work-');
    weft = await startWeft({ state });
  });

  after(async () => {
    assert.equal(await weft.stop('SIGTERM'), 0, 'SIGTERM stops weft up with exit 0');
    removeDir(state);
    removeDir(work);
  });

  test('the state directory holds the API address and a 0600 token', () => {
    assert.equal(readFileSync(join(state, 'api'), 'utf8').trim(), weft.apiUrl);
    assert.equal(statSync(join(state, 'token')).mode & 0o777, 0o600);
  });

  test('apply → get -o yaml → change → apply (generation, resourceVersion, unchanged) → delete', async () => {
    const file = join(work, 'svc.yaml');
    writeFileSync(file, SERVICE(80));
    let r = await runWeft(['apply', '-f', file], { state });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'service/web created\n');

    r = await runWeft(['get', 'svc', 'web', '-o', 'yaml'], { state });
    assert.equal(r.code, 0, r.stderr);
    const first = parse(r.stdout);
    assert.equal(first.kind, 'Service');
    assert.equal(first.metadata.namespace, 'default');
    assert.equal(first.metadata.generation, 1);
    assert.match(first.metadata.uid, /^[0-9a-f-]{36}$/);

    r = await runWeft(['apply', '-f', file], { state });
    assert.equal(r.stdout, 'service/web unchanged\n');
    const same = parse((await runWeft(['get', 'svc', 'web', '-o', 'yaml'], { state })).stdout);
    assert.equal(same.metadata.resourceVersion, first.metadata.resourceVersion, 'unchanged writes nothing');

    writeFileSync(file, SERVICE(8080));
    r = await runWeft(['apply', '-f', file], { state });
    assert.equal(r.stdout, 'service/web configured\n');
    const second = parse((await runWeft(['get', 'service', 'web', '-o', 'yaml'], { state })).stdout);
    assert.equal(second.metadata.generation, 2);
    assert.notEqual(second.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.equal(second.metadata.uid, first.metadata.uid);
    assert.equal(second.spec.ports[0].port, 8080);

    // A label-only change is not a spec change: generation stays.
    writeFileSync(file, SERVICE(8080).replace('app: web\nspec', 'app: web\n    tier: front\nspec'));
    r = await runWeft(['apply', '-f', file], { state });
    assert.equal(r.stdout, 'service/web configured\n');
    const third = parse((await runWeft(['get', 'svc/web', '-o', 'yaml'], { state })).stdout);
    assert.equal(third.metadata.generation, 2);

    r = await runWeft(['get', 'svc', '-l', 'tier=front', '-o', 'jsonpath={.items[0].metadata.name}'], { state });
    assert.equal(r.stdout, 'web');
    r = await runWeft(['get', 'svc', '-l', 'tier=back', '-o', 'name'], { state });
    assert.equal(r.stdout, '');

    r = await runWeft(['delete', '-f', file], { state });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'service "web" deleted\n');
    r = await runWeft(['get', 'svc', 'web'], { state });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /NotFound.*"web" not found/);
  });

  test('get prints kubectl-like tables, and "No resources found" when empty', async () => {
    let r = await runWeft(['get', 'gatewayclasses'], { state });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE$/);
    assert.ok(lines.some((l) => /^cilium\s+io\.cilium\/gateway-controller\s/.test(l)), r.stdout);
    assert.ok(lines.some((l) => /^weft\s+weft\.dev\/gateway-controller\s/.test(l)), r.stdout);
    r = await runWeft(['get', 'ingressclass', 'cilium', '-o', 'json'], { state });
    assert.equal(JSON.parse(r.stdout).spec.controller, 'cilium.io/ingress-controller');
    r = await runWeft(['get', 'cec', '-n', 'nowhere'], { state });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'No resources found in nowhere namespace.\n');
    r = await runWeft(['get', 'gizmos'], { state });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /doesn't have a resource type "gizmos"/);
  });

  test('the tutorial idiom works with weft in place of kubectl', async () => {
    const file = join(work, 'pod.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Pod
metadata:
  name: client-7b9f
  labels: { name: client }
spec:
  containers:
    - name: c
      image: quay.io/cilium/alpine-curl:v1.5.0
`,
    );
    assert.equal((await runWeft(['apply', '-f', file], { state })).code, 0);
    const r = await runWeft(['get', 'pods', '-l', 'name=client', '-o', "jsonpath='{.items[0].metadata.name}'".slice(0)], { state });
    assert.equal(r.stdout, "'client-7b9f'");
    const r2 = await runWeft(['get', 'pods', '-l', 'name=client', '-o', 'jsonpath={.items[0].metadata.name}'], { state });
    assert.equal(r2.stdout, 'client-7b9f');
  });

  test('wait returns once a condition is set, and times out with exit 1 otherwise', async () => {
    const file = join(work, 'cec.yaml');
    writeFileSync(
      file,
      `apiVersion: cilium.io/v2
kind: CiliumEnvoyConfig
metadata:
  name: waiting
spec:
  resources: []
`,
    );
    assert.equal((await runWeft(['apply', '-f', file], { state })).code, 0);
    // `Tested` is a condition weft itself never sets (it keeps those of other writers).
    let r = await runWeft(['wait', '--for=condition=Tested', 'cec/waiting', '--timeout', '300ms'], { state });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /timed out waiting for the condition on ciliumenvoyconfigs\/waiting/);

    const waiter = runWeft(['wait', '--for=condition=Tested', 'cec/waiting', '--timeout', '15s'], { state });
    const token = readFileSync(join(state, 'token'), 'utf8').trim();
    const res = await fetch(`${weft.apiUrl}/apis/cilium.io/v2/namespaces/default/ciliumenvoyconfigs/waiting/status`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: { conditions: [{ type: 'Tested', status: 'True', reason: 'Test' }] } }),
    });
    assert.equal(res.status, 200);
    r = await waiter;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ciliumenvoyconfig.cilium.io/waiting condition met\n');
  });

  test('writes without the token get 401 and change nothing; reads on loopback are open', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope' }, data: { a: 'b' } };
    const res = await fetch(`${weft.apiUrl}/api/v1/namespaces/default/configmaps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { reason: string }).reason, 'Unauthorized');
    const get = await fetch(`${weft.apiUrl}/api/v1/namespaces/default/configmaps/nope`);
    assert.equal(get.status, 404);
    const list = await fetch(`${weft.apiUrl}/apis/gateway.networking.k8s.io/v1/gatewayclasses`);
    assert.equal(list.status, 200);
  });

  test('a batch with one invalid object changes nothing', async () => {
    const file = join(work, 'batch.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: fine
data:
  a: b
---
${SERVICE('"eighty"')}`,
    );
    const r = await runWeft(['apply', '-f', file], { state });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /batch\.yaml:\d+:\d+: error: Service default\/web: spec\.ports\[0\]\.port:/);
    assert.equal((await runWeft(['get', 'configmap', 'fine'], { state })).code, 1, 'the valid object was not applied');
  });

  test('apply reads stdin and supports --dry-run', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\ndata:\n  k: v\n';
    let r = await runWeft(['apply', '-f', '-', '--dry-run=server'], { state, input: cm });
    assert.equal(r.stdout, 'configmap/dry created (server dry run)\n');
    assert.equal((await runWeft(['get', 'cm', 'dry'], { state })).code, 1);
    r = await runWeft(['apply', '-f', '-'], { state, input: cm });
    assert.equal(r.stdout, 'configmap/dry created\n');
    r = await runWeft(['delete', 'configmap', 'dry'], { state });
    assert.equal(r.stdout, 'configmap "dry" deleted\n');
  });

  test('status, version and config view talk to the running instance', async () => {
    let r = await runWeft(['status'], { state });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Store:\s+OK/m);
    assert.match(r.stdout, /^Data plane:\s+OK\s+\d+ listeners, \d+ clusters|^Data plane:\s+OK\s+serving nothing yet/m);
    r = await runWeft(['version'], { state });
    assert.match(r.stdout, /^Client Version: v\d+\.\d+\.\d+\nServer Version: v\d+\.\d+\.\d+\n$/);
    r = await runWeft(['config', 'view', '-o', 'json'], { state });
    assert.equal(JSON.parse(r.stdout).api, weft.apiUrl);
  });

  test('a second weft up on a held state directory refuses and names the holder', async () => {
    const r = await runWeft(['up', '--api', '127.0.0.1:0'], { state });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`in use by weft \\(pid ${weft.proc.pid}\\)`));
  });
});

describe('restart after kill -9', () => {
  test('every object comes back with the same uid and resourceVersion', async () => {
    const state = tempDir();
    try {
      let weft = await startWeft({ state });
      const input = `${SERVICE(80)}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r1
  namespace: team-a
spec:
  parentRefs: [{ name: gw }]
  rules:
    - backendRefs: [{ name: web, port: 80 }]
`;
      assert.equal((await runWeft(['apply', '-f', '-'], { state, input })).code, 0);
      const before = JSON.parse((await runWeft(['get', 'svc,httproute', '-A', '-o', 'json'], { state })).stdout);
      assert.equal(before.items.length, 2);
      await weft.stop('SIGKILL');
      weft = await startWeft({ state });
      const afterRestart = JSON.parse((await runWeft(['get', 'svc,httproute', '-A', '-o', 'json'], { state })).stdout);
      const ids = (l: { items: { metadata: { uid: string; resourceVersion: string; name: string } }[] }) =>
        l.items.map((i) => [i.metadata.name, i.metadata.uid, i.metadata.resourceVersion]);
      assert.deepEqual(ids(afterRestart), ids(before));
      assert.equal(await weft.stop('SIGINT'), 0, 'SIGINT stops weft up with exit 0');
    } finally {
      removeDir(state);
    }
  });
});

describe('weft up -f watches its paths', () => {
  test('a valid change is applied; an invalid one prints Diagnostics and keeps the last good objects', async () => {
    const state = tempDir();
    const work = tempDir('weft-work-');
    const file = join(work, 'svc.yaml');
    writeFileSync(file, SERVICE(80));
    const weft = await startWeft({ state, files: [file] });
    const port = async () => {
      const r = await runWeft(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].port}'], { state });
      return r.stdout;
    };
    try {
      assert.equal(await port(), '80');
      writeFileSync(file, SERVICE(81));
      await waitFor('the change to be applied', async () => ((await port()) === '81' ? true : undefined));
      writeFileSync(file, SERVICE('"eighty"'));
      await waitFor('the diagnostic', async () => (/svc\.yaml:\d+:\d+: error: .*spec\.ports\[0\]\.port/.test(weft.stderr()) ? true : undefined));
      assert.equal(await port(), '81', 'the last good object keeps serving');
      const status = await runWeft(['status'], { state });
      assert.match(status.stdout, /^Manifests:\s+Warning\s.*rejected with 1 error/m);
    } finally {
      await weft.stop();
      removeDir(state);
      removeDir(work);
    }
  });
});

describe('weft up -f with invalid manifests at start', () => {
  test('prints the Diagnostics and exits 1 without a ready line (nothing to be ready with)', async () => {
    const state = tempDir();
    const work = tempDir('weft-work-');
    const file = join(work, 'svc.yaml');
    writeFileSync(file, SERVICE('"eighty"'));
    try {
      const r = await runWeft(['up', '--api', '127.0.0.1:0', '--proxy', '127.0.0.1:0', '-f', file], { state });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout, /weft ready/);
      assert.match(r.stderr, /svc\.yaml:\d+:\d+: error: .*spec\.ports\[0\]\.port/);
      assert.match(r.stderr, /nothing was applied/);
    } finally {
      removeDir(state);
      removeDir(work);
    }
  });
});

describe('weft up --service-cidr / --pod-cidr', () => {
  test('Services take ClusterIPs from the given range; a range off loopback is a usage error', async () => {
    const state = tempDir();
    try {
      const bad = await runWeft(['up', '--api', '127.0.0.1:0', '--proxy', '127.0.0.1:0', '--service-cidr', '10.0.0.0/16'], { state });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /service-cidr.*not inside the loopback range/);
      const weft = await startWeft({ state, args: ['--service-cidr', '127.97.0.0/16', '--pod-cidr', '127.245.0.0/16', '--proxy', '127.0.0.1:0'] });
      try {
        assert.equal((await runWeft(['apply', '-f', '-'], { state, input: SERVICE(80) })).code, 0);
        const ip = await waitFor('a ClusterIP', async () => {
          const r = await runWeft(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'], { state });
          return r.stdout === '' ? undefined : r.stdout;
        });
        assert.match(ip, /^127\.97\.\d+\.\d+$/);
      } finally {
        assert.equal(await weft.stop(), 0);
      }
    } finally {
      removeDir(state);
    }
  });
});

describe('commands without a running instance', () => {
  test('exit 3 with a hint when nothing runs; usage errors exit 2; --help exits 0', async () => {
    const state = tempDir();
    try {
      let r = await runWeft(['get', 'pods'], { state });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /no running weft found/);
      r = await runWeft(['get'], { state });
      assert.equal(r.code, 2);
      r = await runWeft(['get', 'pods', '-o', 'xml'], { state });
      assert.equal(r.code, 2);
      for (const cmd of ['up', 'apply', 'delete', 'get', 'wait', 'validate', 'status', 'version', 'config']) {
        r = await runWeft([cmd, '--help']);
        assert.equal(r.code, 0, `${cmd} --help`);
        assert.match(r.stdout, /Usage: weft/);
      }
    } finally {
      removeDir(state);
    }
  });
});

describe('weft validate', () => {
  const fixture = join(ROOT, 'test', 'fixtures', 'manifests', 'invalid-mixed.yaml');

  test('reports the syntax error, the unknown field and the bad port with line:column and exit 1', async () => {
    const r = await runWeft(['validate', '-f', fixture]);
    assert.equal(r.code, 1);
    const lines = r.stderr.split('\n').filter((l) => /: error: /.test(l));
    assert.equal(lines.length, 3, r.stderr);
    assert.match(r.stderr, /invalid-mixed\.yaml:\d+:\d+: error: .*YAML|invalid-mixed\.yaml:\d+:\d+: error: /);
    assert.match(r.stderr, /HTTPRoute default\/\S+: spec\.rules\[0\]\.\S+: unknown field/);
    assert.match(r.stderr, /Service default\/\S+: spec\.ports\[0\]\.port: /);
  });

  test('the examples validate clean', async () => {
    const r = await runWeft(['validate', '-f', join(ROOT, 'examples')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /objects? in \d+ files?: valid/);
  });
});

describe('the README quick start', () => {
  test('`npm start` runs weft up on the example and prints the ready line', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.match(pkg.scripts.start, /bin\/weft\.js up -f examples\/hello/);
    const state = tempDir();
    try {
      const weft = await startWeft({ state, files: ['examples/hello'] });
      const r = await runWeft(['get', 'deploy', '-o', 'name'], { state });
      assert.equal(r.stdout, 'deployment.apps/client\ndeployment.apps/helloworld-v1\ndeployment.apps/helloworld-v2\n');
      assert.equal(await weft.stop(), 0);
    } finally {
      removeDir(state);
    }
  });
});
