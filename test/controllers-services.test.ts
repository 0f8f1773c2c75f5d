// Services in standalone mode on a real store: ClusterIPs and node ports allocated on write (and
// refused as the API server refuses them), stable across restarts and re-applies, and the
// EndpointSlices / Endpoints derived from the selected Pods (ready or not, named targetPorts,
// placeholders), with hand-written ones left alone.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { KubeObject } from '../src/api/object.ts';
import { createStandaloneControllers } from '../src/controllers/index.ts';
import type { ControllerManager } from '../src/controllers/index.ts';
import { FakeClock, FakePodRuntime, SeededRandom, waitForStore } from '../src/controllers/test-support.ts';
import { ApiServer } from '../src/server/api-server.ts';
import { Store, StoreError } from '../src/store/index.ts';

let dir: string;
let store: Store;
let manager: ControllerManager;
let runtime: FakePodRuntime;

async function open(): Promise<void> {
  runtime = new FakePodRuntime();
  const clock = new FakeClock();
  const c = createStandaloneControllers({ runtime, clock, random: new SeededRandom(7), log: () => {} });
  assert.ok(c.ok);
  ({ store } = await Store.open({ dir, admission: c.value.admission, now: () => clock.now() }));
  manager = c.value.start(store);
}

async function close(): Promise<void> {
  runtime.releaseStarts();
  await manager.stop();
  await store.close();
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-services-'));
  await open();
});

afterEach(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

function svc(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }], ...spec },
  };
}

function pod(name: string, app: string, ports: { name: string; containerPort: number }[], image = 'nginx'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app } },
    spec: { containers: [{ name: 'c', image, ports }] },
  };
}

const getSvc = (name: string) => store.get('', 'Service', 'default', name) as KubeObject & { spec: any };
const slices = (name: string) =>
  store.list('discovery.k8s.io', 'EndpointSlice', { namespace: 'default', labelSelector: `kubernetes.io/service-name=${name}` }) as any[];
const invalid = (pattern: RegExp) => (e: unknown) => e instanceof StoreError && e.reason === 'Invalid' && pattern.test(e.message);

describe('ClusterIPs and node ports', () => {
  test('a Service gets a ClusterIP from the service CIDR and the API server defaults', async () => {
    const [out] = await store.apply([svc('web')]);
    const spec = out.object.spec as any;
    assert.match(spec.clusterIP, /^127\.96\.\d+\.\d+$/);
    assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
    assert.equal(spec.type, 'ClusterIP');
    assert.deepEqual(spec.ipFamilies, ['IPv4']);
    assert.equal(spec.ipFamilyPolicy, 'SingleStack');
    assert.equal(spec.sessionAffinity, 'None');
    assert.equal(spec.internalTrafficPolicy, 'Cluster');
    assert.deepEqual(spec.ports, [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }]);
    assert.equal(out.object.metadata.generation, 1);
  });

  test('the ClusterIP survives a restart and re-applying the manifest says unchanged', async () => {
    const [first] = await store.apply([svc('web'), svc('np', { type: 'NodePort' })]);
    const ip = (first.object.spec as any).clusterIP;
    const nodePort = getSvc('np').spec.ports[0].nodePort;
    assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
    await close();
    await open();
    assert.equal(getSvc('web').spec.clusterIP, ip);
    const again = await store.apply([svc('web'), svc('np', { type: 'NodePort' })]);
    assert.deepEqual(again.map((o) => o.action), ['unchanged', 'unchanged']);
    assert.equal(getSvc('np').spec.ports[0].nodePort, nodePort);
    // A real change keeps the allocations too.
    const [changed] = await store.apply([svc('web', { ports: [{ name: 'http', port: 8080 }] })]);
    assert.equal(changed.action, 'configured');
    assert.equal((changed.object.spec as any).clusterIP, ip);
  });

  test('a requested clusterIP is honoured; a taken or out-of-range one is refused as kubectl is', async () => {
    const [out] = await store.apply([svc('fixed', { clusterIP: '127.96.1.10' })]);
    assert.equal((out.object.spec as any).clusterIP, '127.96.1.10');
    await assert.rejects(store.apply([svc('other'), svc('dup', { clusterIP: '127.96.1.10' })]), invalid(/^Service "dup" is invalid: spec\.clusterIPs: .*provided IP is already allocated$/));
    assert.equal(getSvc('other'), undefined, 'a refused batch writes nothing');
    await assert.rejects(store.create(svc('far', { clusterIP: '10.0.0.1' })), invalid(/not in the valid range\. The range of valid IPs is 127\.96\.0\.0\/16/));
    await assert.rejects(store.apply([svc('fixed', { clusterIP: '127.96.1.11' })]), invalid(/may not change once set/));
    const [dry] = await store.apply([svc('dry')], { dryRun: true });
    assert.match((dry.object.spec as any).clusterIP, /^127\.96\./);
    assert.equal(getSvc('dry'), undefined);
  });

  test('the API refuses a taken clusterIP with 422 Invalid, as the API server does', async () => {
    await store.apply([svc('fixed', { clusterIP: '127.96.1.10' })]);
    const server = new ApiServer({ store, token: 't0k3n', version: 'test' });
    const addr = await server.listen('127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${addr.port}/api/v1/namespaces/default/services`, {
        method: 'POST',
        headers: { authorization: 'Bearer t0k3n', 'content-type': 'application/json' },
        body: JSON.stringify(svc('dup', { clusterIP: '127.96.1.10' })),
      });
      const body = (await res.json()) as { reason: string; message: string };
      assert.equal(res.status, 422);
      assert.equal(body.reason, 'Invalid');
      assert.match(body.message, /Service "dup" is invalid: spec\.clusterIPs: Invalid value: \["127\.96\.1\.10"\]: failed to allocate IP 127\.96\.1\.10: provided IP is already allocated/);
    } finally {
      await server.close();
    }
  });

  test('two Services applied together never share an address', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `s${i}`);
    await store.apply(names.map((n) => svc(n, { type: 'NodePort' })));
    const ips = names.map((n) => getSvc(n).spec.clusterIP);
    const ports = names.map((n) => getSvc(n).spec.ports[0].nodePort);
    assert.equal(new Set(ips).size, 20);
    assert.equal(new Set(ports).size, 20);
    await assert.rejects(store.apply([svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: ports[0] }] })]), invalid(/provided port is already allocated/));
    await assert.rejects(store.apply([svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })]), invalid(/range of valid ports is 30000-32767/));
  });

  test('headless, ExternalName and a type change', async () => {
    await store.apply([svc('hl', { clusterIP: 'None' }), svc('ext', { type: 'ExternalName', externalName: 'example.com', selector: undefined })]);
    assert.deepEqual(getSvc('hl').spec.clusterIPs, ['None']);
    assert.equal(getSvc('ext').spec.clusterIP, undefined);
    const ip = (await store.apply([svc('web')]))[0].object.spec as any;
    const [np] = await store.apply([svc('web', { type: 'NodePort' })]);
    assert.equal((np.object.spec as any).clusterIP, ip.clusterIP);
    assert.ok((np.object.spec as any).ports[0].nodePort >= 30000);
    const [back] = await store.apply([svc('web')]);
    assert.equal((back.object.spec as any).ports[0].nodePort, undefined);
    await assert.rejects(store.apply([svc('web', { clusterIP: 'None' })]), invalid(/may not change once set/));
  });
});

describe('EndpointSlices and Endpoints', () => {
  test('a Service with no ready Pods has an EndpointSlice with no ready endpoints', async () => {
    runtime.holdStarts = true;
    await store.apply([svc('web'), pod('web-1', 'web', [{ name: 'http', containerPort: 80 }]), svc('nothing')]);
    const { value: s } = await waitForStore(store, () => slices('web').find((x) => x.endpoints.length === 1), 'an endpoint');
    assert.deepEqual(s.endpoints[0].conditions, { ready: false, serving: false, terminating: false });
    assert.equal(s.endpoints[0].targetRef.name, 'web-1');
    assert.equal(s.endpoints[0].nodeName, 'weft-node');
    assert.equal(s.addressType, 'IPv4');
    assert.deepEqual(s.ports, [{ name: 'http', port: 80, protocol: 'TCP' }]);
    assert.deepEqual(s.metadata.labels, {
      app: 'web',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.weft.dev',
    });
    assert.equal(s.metadata.ownerReferences[0].uid, getSvc('web').metadata.uid);
    const { value: ep } = await waitForStore(store, () => (store.get('', 'Endpoints', 'default', 'web') as any)?.subsets && (store.get('', 'Endpoints', 'default', 'web') as any), 'Endpoints');
    assert.equal(ep.subsets[0].addresses, undefined);
    assert.equal(ep.subsets[0].notReadyAddresses[0].targetRef.name, 'web-1');
    const { value: placeholder } = await waitForStore(store, () => slices('nothing')[0], 'the placeholder slice');
    assert.deepEqual([placeholder.endpoints, placeholder.ports], [[], []]);

    runtime.releaseStarts();
    const { value: ready } = await waitForStore(store, () => slices('web').find((x) => x.endpoints[0]?.conditions.ready), 'ready');
    assert.equal(ready.metadata.name, s.metadata.name, 'the slice is updated in place');
  });

  test('named targetPorts resolve per Pod; numbered ones as given', async () => {
    await store.apply([
      svc('web', { ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9100 }] }),
      pod('a', 'web', [{ name: 'http', containerPort: 8080 }]),
      pod('b', 'web', [{ name: 'http', containerPort: 9000 }]),
      pod('c', 'web', [{ name: 'other', containerPort: 7000 }]),
    ]);
    const { value } = await waitForStore(
      store,
      () => {
        const all = slices('web');
        return all.length === 3 && all.every((s) => s.endpoints.every((e: any) => e.conditions.ready)) ? all : undefined;
      },
      'three ready slices',
    );
    const byPod = Object.fromEntries(value.map((s) => [s.endpoints[0].targetRef.name, s.ports.map((p: any) => `${p.name}:${p.port}`).sort()]));
    assert.deepEqual(byPod, { a: ['http:8080', 'metrics:9100'], b: ['http:9000', 'metrics:9100'], c: ['metrics:9100'] });
    const { value: ep } = await waitForStore(store, () => (store.get('', 'Endpoints', 'default', 'web') as any)?.subsets?.length === 3 && (store.get('', 'Endpoints', 'default', 'web') as any), 'Endpoints');
    assert.deepEqual(
      ep.subsets.map((s: any) => [s.addresses.map((a: any) => a.targetRef.name), s.ports.map((p: any) => `${p.name}:${p.port}`)]).sort(),
      [[['a'], ['http:8080', 'metrics:9100']], [['b'], ['http:9000', 'metrics:9100']], [['c'], ['metrics:9100']]],
    );
  });

  test("hand-written EndpointSlices and Endpoints are left alone; weft's go with their Service", async () => {
    const manual: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'ext-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'ext' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.1'] }],
      ports: [{ name: 'http', port: 3000 }],
    };
    const manualEp: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'default' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 3000 }] }] };
    await store.apply([svc('ext', { selector: undefined }), manual, manualEp, svc('web'), pod('w', 'web', [])]);
    await waitForStore(store, () => slices('web').length === 1 && store.get('', 'Endpoints', 'default', 'web'), 'web endpoints');
    await manager.whenIdle();
    assert.deepEqual(slices('ext').map((s) => s.metadata.name), ['ext-1']);
    assert.deepEqual(store.get('', 'Endpoints', 'default', 'ext')?.subsets, manualEp.subsets);
    await store.delete('', 'Service', 'default', 'web');
    await waitForStore(store, () => slices('web').length === 0 && !store.get('', 'Endpoints', 'default', 'web'), 'web endpoints gone');
    await store.delete('', 'Service', 'default', 'ext');
    await manager.whenIdle();
    assert.equal(slices('ext').length, 1, 'the hand-written slice stays');
  });

  test('a Pod whose labels stop matching leaves the Service', async () => {
    await store.apply([svc('web'), pod('p', 'web', [])]);
    await waitForStore(store, () => slices('web')[0]?.endpoints.length === 1, 'one endpoint');
    await store.apply([pod('p', 'other', [])]);
    await waitForStore(store, () => slices('web')[0]?.endpoints.length === 0, 'no endpoint');
  });
});
