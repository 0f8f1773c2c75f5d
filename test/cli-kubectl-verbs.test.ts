// The kubectl verbs the seed tutorials type besides apply/get/delete/exec/wait, end to end against
// a real `weft up`: run, get nodes, get all, label, create namespace|configmap|secret.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { createTestPki } from './support/certs.ts';
import type { TestPki } from './support/certs.ts';
import { removeDir, runWeft, startWeft, tempDir, weftOk } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

const ARGS = ['--proxy', '127.0.0.1:0', '--service-cidr', '127.104.0.0/16', '--pod-cidr', '127.252.0.0/16', '--node-address', '127.0.0.66', '--node-label', 'role=infra'];

const columns = (line: string) => line.trim().split(/ {2,}/);

describe('kubectl verbs: run, get nodes, get all, label, create', () => {
  let state: string;
  let weft: RunningWeft;
  let pki: TestPki;
  const ok = (args: readonly string[]) => weftOk(state, args);
  const fails = async (args: readonly string[]) => {
    const r = await runWeft(args, { state });
    assert.notEqual(r.code, 0, `weft ${args.join(' ')} should fail\n${r.stdout}`);
    return r;
  };

  before(async () => {
    state = tempDir();
    pki = createTestPki();
    weft = await startWeft({ state, args: ARGS });
  });

  after(async () => {
    assert.equal(await weft.stop('SIGTERM'), 0);
    removeDir(state);
    pki.cleanup();
  });

  test('get nodes: the one node, as kubectl prints it; -o wide has the --node-address; -o yaml the labels and nodeInfo', async () => {
    const lines = (await ok(['get', 'nodes'])).trimEnd().split('\n');
    assert.deepEqual(columns(lines[0]), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    const row = columns(lines[1]);
    assert.deepEqual([row[0], row[1], row[2], row[4]], ['weft-node', 'Ready', 'control-plane', 'v0.1.0-weft']);
    assert.equal(lines.length, 2);

    const wide = (await ok(['get', 'node', '-owide'])).trimEnd().split('\n');
    assert.deepEqual(columns(wide[0]), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    const w = columns(wide[1]);
    assert.equal(w[5], '127.0.0.66');
    assert.equal(w[6], '<none>');
    assert.equal(w[9], 'weft://0.1.0');

    const node = parse(await ok(['get', 'node', 'weft-node', '-o', 'yaml']));
    assert.equal(node.kind, 'Node');
    assert.equal(node.metadata.labels.role, 'infra');
    assert.equal(node.metadata.labels['kubernetes.io/hostname'], 'weft-node');
    assert.equal(node.metadata.labels['kubernetes.io/os'], 'linux');
    assert.equal(node.metadata.labels['node-role.kubernetes.io/control-plane'], '');
    assert.deepEqual(node.status.addresses, [
      { type: 'InternalIP', address: '127.0.0.66' },
      { type: 'Hostname', address: 'weft-node' },
    ]);
    assert.equal(node.status.capacity.pods, '110');
    assert.match(node.status.capacity.cpu, /^\d+$/);
    assert.equal(node.spec.podCIDR, '127.252.0.0/16');
  });

  test('create namespace, then run a client-only Pod in it and weft exec as that Pod (seed 002)', async () => {
    assert.equal(await ok(['create', 'namespace', 'handson']), 'namespace/handson created\n');
    const again = await fails(['create', 'ns', 'handson']);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Error from server (AlreadyExists): namespaces "handson" already exists\n');

    const run = ['run', 'curl-allow', '-n', 'handson', '--image=curlimages/curl', '--labels=app=curl-allow', '--command', '--', 'sleep', 'infinity'];
    assert.equal(await ok(run), 'pod/curl-allow created\n');
    const dup = await fails(run);
    assert.equal(dup.code, 1);
    assert.equal(dup.stderr, 'Error from server (AlreadyExists): pods "curl-allow" already exists\n');
    await ok(['wait', '--for=condition=Ready', 'pod/curl-allow', '-n', 'handson', '--timeout', '20s']);
    const pod = parse(await ok(['get', 'pod', 'curl-allow', '-n', 'handson', '-o', 'yaml']));
    assert.deepEqual(pod.metadata.labels, { app: 'curl-allow' });
    assert.deepEqual(pod.spec.containers[0].command, ['sleep', 'infinity']);
    assert.equal(pod.spec.nodeName, 'weft-node');
    assert.equal(pod.status.phase, 'Running');

    assert.equal(await ok(['exec', 'curl-allow', '-n', 'handson', '--', 'sh', '-c', 'echo "$HOSTNAME $POD_NAMESPACE"']), 'curl-allow handson\n');

    // A built-in app by `weft run`, called from the client Pod through the mesh by its Pod IP.
    assert.equal(await ok(['run', 'web', '-n', 'handson', '--image=nginx', '--port=80']), 'pod/web created\n');
    await ok(['wait', '--for=condition=Ready', 'pod/web', '-n', 'handson', '--timeout', '20s']);
    const ip = (await ok(['get', 'pod', 'web', '-n', 'handson', '-o', 'jsonpath={.status.podIP}'])).trim();
    assert.match(ip, /^127\.252\./);
    assert.equal(await ok(['exec', 'curl-allow', '-n', 'handson', '--', 'curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://${ip}/`]), '200');

    const dry = parse(await ok(['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml']));
    assert.deepEqual(dry.metadata, { creationTimestamp: null, labels: { run: 'x' }, name: 'x' });
    assert.equal((await runWeft(['get', 'pod', 'x'], { state })).code, 1, 'a client dry run creates nothing');
  });

  test('get all: pods, services and deployments with kind prefixes, one table each', async () => {
    await ok(['create', 'namespace', 'allns']);
    await weftOk(
      state,
      ['apply', '-n', 'allns', '-f', '-'],
      `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec:
  replicas: 1
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec:
      containers: [{name: curl, image: curlimages/curl, command: [sleep, infinity]}]
`,
    );
    await ok(['wait', '--for=condition=Available', 'deploy/client', '-n', 'allns', '--timeout', '20s']);
    const tables = (await ok(['get', 'all', '-n', 'allns'])).split('\n\n');
    assert.equal(tables.length, 3);
    assert.deepEqual(columns(tables[0].split('\n')[0]), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.match(tables[0].split('\n')[1], /^pod\/client-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running /);
    assert.deepEqual(columns(tables[1].split('\n')[0]), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.match(tables[1].split('\n')[1], /^service\/web +ClusterIP +127\.104\.\d+\.\d+ +<none> +80\/TCP /);
    assert.match(tables[2].split('\n')[1], /^deployment\.apps\/client +1\/1 +1 +1 /);

    const empty = await runWeft(['get', 'all', '-n', 'nothing-here'], { state });
    assert.equal(empty.code, 0);
    assert.equal(empty.stderr, 'No resources found in nothing-here namespace.\n');
    const everywhere = await ok(['get', 'all', '-A']);
    assert.match(everywhere, /^NAMESPACE +NAME +READY/);
    assert.match(everywhere, /^allns +service\/web /m);
  });

  test('label namespace (seed 001): set, refuse to change without --overwrite, overwrite, remove', async () => {
    await ok(['create', 'namespace', 'ns1']);
    assert.equal(await ok(['label', 'namespace', 'ns1', 'istio-injection=enabled']), 'namespace/ns1 labeled\n');
    const refused = await fails(['label', 'namespace', 'ns1', 'istio-injection=disabled']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, "error: 'istio-injection' already has a value (enabled), and --overwrite is false\n");
    assert.equal(await ok(['label', 'ns', 'ns1', 'istio-injection=disabled', '--overwrite']), 'namespace/ns1 labeled\n');
    assert.equal(await ok(['get', 'ns', 'ns1', '-o', 'jsonpath={.metadata.labels.istio-injection}']), 'disabled');
    assert.equal(await ok(['label', 'ns/ns1', 'istio-injection-']), 'namespace/ns1 unlabeled\n');
    assert.equal(parse(await ok(['get', 'ns', 'ns1', '-o', 'yaml'])).metadata.labels?.['istio-injection'], undefined);
    const missing = await fails(['label', 'ns', 'nope', 'a=b']);
    assert.equal(missing.stderr, 'Error from server (NotFound): namespaces "nope" not found\n');
    const usage = await fails(['label', 'ns', 'ns1']);
    assert.equal(usage.code, 2);
    // A label on the node is kept by weft (its own labels come back; this one stays).
    assert.equal(await ok(['label', 'node', 'weft-node', 'zone=lab']), 'node/weft-node labeled\n');
    assert.equal(await ok(['get', 'no', 'weft-node', '-o', 'jsonpath={.metadata.labels.zone}']), 'lab');
  });

  test('create secret tls (seed 003) and create configmap --from-literal', async () => {
    const leaf = pki.issue('demo.example.com');
    const other = pki.issue('other.example.com');
    assert.equal(await ok(['create', 'secret', 'tls', 'demo-cert', '--key', leaf.keyFile, '--cert', leaf.certFile]), 'secret/demo-cert created\n');
    const secret = JSON.parse(await ok(['get', 'secret', 'demo-cert', '-o', 'json']));
    assert.equal(secret.type, 'kubernetes.io/tls');
    assert.equal(Buffer.from(secret.data['tls.crt'], 'base64').toString(), leaf.certPem);
    assert.equal(Buffer.from(secret.data['tls.key'], 'base64').toString(), leaf.keyPem);
    const mismatch = await fails(['create', 'secret', 'tls', 'bad', '--key', other.keyFile, '--cert', leaf.certFile]);
    assert.equal(mismatch.code, 1);
    assert.equal(mismatch.stderr, 'error: tls: private key does not match public key\n');
    const dupSecret = await fails(['create', 'secret', 'tls', 'demo-cert', '--key', leaf.keyFile, '--cert', leaf.certFile]);
    assert.equal(dupSecret.stderr, 'error: failed to create secret: secrets "demo-cert" already exists\n');

    assert.equal(await ok(['create', 'configmap', 'cfg', '-n', 'handson', '--from-literal=mode=prod', '--from-literal=greeting=hello=world']), 'configmap/cfg created\n');
    const cm = JSON.parse(await ok(['get', 'cm', 'cfg', '-n', 'handson', '-o', 'json']));
    assert.deepEqual(cm.data, { mode: 'prod', greeting: 'hello=world' });
    const dup = await fails(['create', 'configmap', 'cfg', '-n', 'handson', '--from-literal=a=b']);
    assert.equal(dup.stderr, 'error: failed to create configmap: configmaps "cfg" already exists\n');
    const generic = await ok(['create', 'secret', 'generic', 'db', '--from-literal=user=admin', '--dry-run=client', '-o', 'yaml']);
    assert.deepEqual(parse(generic), { apiVersion: 'v1', data: { user: 'YWRtaW4=' }, kind: 'Secret', metadata: { creationTimestamp: null, name: 'db' } });
  });
});
