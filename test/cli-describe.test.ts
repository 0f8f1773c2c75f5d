// `weft describe` against a running `weft up` (issues 4 and 6): a Pod weft cannot run shows why it
// is Pending, a Service's Endpoints line lists its Pods' IPs, a Deployment's replica counts, and a
// CiliumEnvoyConfig's status conditions, all in kubectl describe's layout; kubectl's errors for
// missing objects, name-prefix matching and listing every object of a kind.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, removeDir, runWeft, startWeft, tempDir, waitFor, weftOk as weftOkIn } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

const UNKNOWN_IMAGE_POD = `apiVersion: v1
kind: Pod
metadata:
  name: mystery
  labels: { app: mystery }
spec:
  containers:
    - name: main
      image: example.com/acme/mystery:1.2
      ports: [{ containerPort: 8080 }]
`;
const CEC = join(ROOT, 'test', 'fixtures', 'seeds', '004_ead56103dfc75f11-06-helloworld-lb-eds.yaml');

describe('weft describe', () => {
  let state: string;
  let weft: RunningWeft;
  const weftRun = (args: string[], input?: string) => runWeft(args, { state, ...(input !== undefined ? { input } : {}) });
  const weftOk = (args: string[], input?: string) => weftOkIn(state, args, input);

  before(async () => {
    state = tempDir('weft-describe-');
    weft = await startWeft({
      state,
      files: [join(ROOT, 'examples', 'hello', 'helloworld.yaml')],
      args: ['--no-access-log', '--proxy', '127.0.0.1:0', '--service-cidr', '127.102.0.0/16', '--pod-cidr', '127.250.0.0/16', '--node-address', '127.0.0.64'],
      timeoutMs: 30_000,
    });
    await weftOk(['apply', '-f', '-'], UNKNOWN_IMAGE_POD);
    await weftOk(['apply', '-f', CEC]);
    for (const d of ['helloworld-v1', 'helloworld-v2']) await weftOk(['wait', '--for=condition=Available', `deploy/${d}`, '--timeout', '20s']);
    await weftOk(['wait', '--for=condition=Programmed', 'cec/helloworld-lb', '--timeout', '20s']);
  });
  after(async () => {
    await weft?.stop();
    if (state) removeDir(state);
  });

  test('a Pod with an image weft does not know is Pending, with the reason and message weft wrote', async () => {
    const out = await weftOk(['describe', 'pod', 'mystery']);
    assert.match(out, /^Name: +mystery\nNamespace: +default\n/);
    assert.match(out, /^Status: +Pending\nReason: +UnsupportedImage\nMessage: +weft cannot run example\.com\/acme\/mystery:1\.2: .*weft\.dev\/address/m);
    assert.match(out, /^ {4}Image: +example\.com\/acme\/mystery:1\.2\n/m);
    assert.match(out, /^ {4}State: +Waiting\n {6}Reason: +UnsupportedImage\n {4}Ready: +False\n/m);
    assert.match(out, /^Conditions:\n {2}Type +Status\n/m);
    assert.match(out, /^ {2}Ready +False \n/m);
    assert.match(out, /^Events: +<none>\n$/m);
  });

  test("a Service's Endpoints line lists the IPs of the Pods it selects", async () => {
    const pods = JSON.parse(await weftOk(['get', 'pods', '-l', 'app=helloworld', '-o', 'json'])) as { items: { status: { podIP: string } }[] };
    const ips = pods.items.map((p) => p.status.podIP).sort();
    assert.equal(ips.length, 2);
    for (const ip of ips) assert.match(ip, /^127\.250\./);
    const svc = JSON.parse(await weftOk(['get', 'svc', 'helloworld', '-o', 'json'])) as { spec: { clusterIP: string } };
    const endpointsLine = await waitFor('both helloworld Pods in the Service endpoints', async () => {
      const out = await weftOk(['describe', 'svc', 'helloworld']);
      const line = /^Endpoints: +(.*)$/m.exec(out)?.[1] ?? '';
      return ips.every((ip) => line.split(',').includes(`${ip}:5000`)) ? out : undefined;
    });
    assert.match(endpointsLine, /^Selector: +app=helloworld$/m);
    assert.match(endpointsLine, /^Type: +ClusterIP$/m);
    assert.match(endpointsLine, new RegExp(`^IP: +${svc.spec.clusterIP.replaceAll('.', '\\.')}$`, 'm'));
    assert.match(endpointsLine, /^Port: +http {2}5000\/TCP\nTargetPort: +5000\/TCP\nEndpoints: /m);
  });

  test("a Deployment's replicas line and Pod template", async () => {
    const out = await weftOk(['describe', 'deployment', 'helloworld-v1']);
    assert.match(out, /^Replicas: +1 desired \| 1 updated \| 1 total \| 1 available \| 0 unavailable$/m);
    assert.match(out, /^Selector: +app=helloworld,version=v1$/m);
    assert.match(out, /^Pod Template:\n {2}Labels: +app=helloworld\n +version=v1\n {2}Containers:\n {3}helloworld:\n {4}Image: +docker\.io\/istio\/examples-helloworld-v1\n/m);
    assert.match(out, /^ {2}Available +True +MinimumReplicasAvailable$/m);
    assert.match(out, /^NewReplicaSet: +<none>$/m);
  });

  test("a CiliumEnvoyConfig's status conditions, through kubectl's generic describer", async () => {
    const out = await weftOk(['describe', 'cec/helloworld-lb']);
    assert.match(out, /^API Version: +cilium\.io\/v2\nKind: +CiliumEnvoyConfig\n/m);
    assert.match(out, /^Spec:\n {2}Resources:\n {4}@type: +type\.googleapis\.com\/envoy\.config\.listener\.v3\.Listener$/m);
    const status = out.slice(out.indexOf('\nStatus:\n'));
    assert.match(status, /^ {2}Conditions:$/m);
    assert.match(status, /^ {4}Message: +.+\n {4}Observed Generation: +1\n {4}Reason: +Accepted\n {4}Status: +True\n {4}Type: +Accepted$/m);
    assert.match(status, /^ {4}Reason: +Programmed\n {4}Status: +True\n {4}Type: +Programmed$/m);
  });

  test('every object of a kind, a name prefix, and kubectl errors for what does not exist', async () => {
    const all = await weftOk(['describe', 'pods']);
    assert.equal(all.match(/^Name: /gm)?.length, 4, all);
    assert.match(all, /^Events: +<none>\n\n\nName: /m);

    const prefix = await weftOk(['describe', 'pods', 'helloworld-v']);
    assert.deepEqual(prefix.match(/^Name: +\S+$/gm)?.map((l) => l.split(/ +/)[1].replace(/-[^-]+-[^-]+$/, '')).sort(), ['helloworld-v1', 'helloworld-v2']);

    const selected = await weftOk(['describe', 'po', '-l', 'app=mystery']);
    assert.equal(selected.match(/^Name: /gm)?.length, 1);

    const missing = await weftRun(['describe', 'pod', 'nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "nope" not found\n');

    const none = await weftRun(['describe', 'pods', '-n', 'empty']);
    assert.equal(none.code, 0);
    assert.equal(none.stderr, 'No resources found in empty namespace.\n');

    const kind = await weftRun(['describe', 'widgets']);
    assert.equal(kind.code, 1);
    assert.match(kind.stderr, /the server doesn't have a resource type "widgets"/);

    const help = await weftRun(['describe', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: weft describe \[options\] <kind> \[names\.\.\.\]/);
  });
});
