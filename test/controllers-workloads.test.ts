// Standalone controllers end to end on a real store (temp dir) with a fake clock, seeded random
// and a fake PodRuntime: Deployments → Pods → IPs → EndpointSlices, scaling, replacement,
// rolling updates, garbage collection, Pending Pods, restarts. Waits on the store's watch.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { KubeObject } from '../src/api/object.ts';
import { createStandaloneControllers } from '../src/controllers/index.ts';
import type { ControllerManager } from '../src/controllers/index.ts';
import { FakeClock, FakePodRuntime, SeededRandom, waitForStore } from '../src/controllers/test-support.ts';
import { Store } from '../src/store/index.ts';

const ALPHABET = '[bcdfghjklmnpqrstvwxz2456789]';

interface Harness {
  store: Store;
  manager: ControllerManager;
  runtime: FakePodRuntime;
  clock: FakeClock;
  logs: string[];
}

let dir: string;
let h: Harness;

async function open(runtime = new FakePodRuntime(), clock = new FakeClock()): Promise<Harness> {
  const logs: string[] = [];
  const c = createStandaloneControllers({ runtime, clock, random: new SeededRandom(42), log: (l) => logs.push(l) });
  assert.ok(c.ok);
  const { store } = await Store.open({ dir, admission: c.value.admission, now: () => clock.now() });
  const manager = c.value.start(store);
  return { store, manager, runtime, clock, logs };
}

async function close(x: Harness): Promise<void> {
  await x.manager.stop();
  await x.store.close();
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-controllers-'));
  h = await open();
});

afterEach(async () => {
  h.runtime.releaseStarts();
  await close(h);
  await rm(dir, { recursive: true, force: true });
});

function deployment(name: string, replicas: number, image = 'istio/examples-helloworld-v1:1.0', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, version: 'v1' } },
        spec: { containers: [{ name: 'main', image, ports: [{ containerPort: 5000, name: 'http' }] }] },
      },
      ...extra,
    },
  };
}

function service(name: string, selector: Record<string, string>, targetPort: number | string = 5000): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { selector, ports: [{ name: 'http', port: 5000, targetPort }] },
  };
}

const pods = (app: string) => h.store.list('', 'Pod', { namespace: 'default', labelSelector: `app=${app}` });
const slices = (svc: string) =>
  h.store.list('discovery.k8s.io', 'EndpointSlice', { namespace: 'default', labelSelector: `kubernetes.io/service-name=${svc}` });
const allEndpoints = (svc: string) => slices(svc).flatMap((s) => (s.endpoints as any[]) ?? []);
const readyAddresses = (svc: string) =>
  allEndpoints(svc)
    .filter((e) => e.conditions.ready)
    .map((e) => e.addresses[0] as string)
    .sort();
const runningReady = (app: string, n: number) => {
  const ps = pods(app);
  return ps.length === n && ps.every((p) => (p.status as any)?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')) ? ps : undefined;
};

describe('Deployments', () => {
  test('a Deployment yields N Pods with Kubernetes names, labels, owners, node, IPs and status', async () => {
    await h.store.apply([deployment('web', 3), service('web', { app: 'web' })]);
    const { value: ps } = await waitForStore(h.store, () => runningReady('web', 3), '3 ready web Pods');
    const d = h.store.get('apps', 'Deployment', 'default', 'web') as KubeObject;
    const hash = ps[0].metadata.labels?.['pod-template-hash'] as string;
    assert.match(hash, new RegExp(`^${ALPHABET}+$`));
    const ips = new Set<string>();
    for (const p of ps) {
      assert.match(p.metadata.name, new RegExp(`^web-${hash}-${ALPHABET}{5}$`));
      assert.deepEqual(p.metadata.labels, { app: 'web', version: 'v1', 'pod-template-hash': hash });
      assert.deepEqual(p.metadata.ownerReferences, [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      const spec = p.spec as any;
      const status = p.status as any;
      assert.equal(spec.nodeName, 'weft-node');
      assert.equal(status.phase, 'Running');
      assert.equal(status.hostIP, '127.0.0.1');
      assert.match(status.podIP, /^127\.244\.\d+\.\d+$/);
      assert.deepEqual(status.podIPs, [{ ip: status.podIP }]);
      assert.deepEqual(
        status.conditions.map((c: any) => `${c.type}=${c.status}`),
        ['Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
      );
      assert.equal(status.containerStatuses[0].ready, true);
      assert.ok(status.containerStatuses[0].state.running);
      assert.equal(h.runtime.started.get(p.metadata.uid as string)?.ip, status.podIP);
      ips.add(status.podIP);
    }
    assert.equal(ips.size, 3, 'Pod IPs are distinct');
    const { value: status } = await waitForStore(
      h.store,
      () => {
        const s = h.store.get('apps', 'Deployment', 'default', 'web')?.status as any;
        return s?.availableReplicas === 3 && s.conditions?.[1]?.reason === 'NewReplicaSetAvailable' ? s : undefined;
      },
      'Deployment status complete',
    );
    assert.equal(status.replicas, 3);
    assert.equal(status.updatedReplicas, 3);
    assert.equal(status.readyReplicas, 3);
    assert.equal(status.unavailableReplicas, undefined);
    assert.equal(status.observedGeneration, 1);
    assert.deepEqual(
      status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]),
      [
        ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
        ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`],
      ],
    );
    const { value: ready } = await waitForStore(h.store, () => (readyAddresses('web').length === 3 ? readyAddresses('web') : undefined), '3 endpoints');
    assert.deepEqual(ready, [...ips].sort());
  });

  test('scaling 2 → 3 adds one Pod and its endpoint promptly', async () => {
    await h.store.apply([deployment('web', 2), service('web', { app: 'web' })]);
    await waitForStore(h.store, () => readyAddresses('web').length === 2, '2 endpoints');
    const before = new Set(pods('web').map((p) => p.metadata.name));
    await h.store.apply([deployment('web', 3)]);
    const { elapsedMs } = await waitForStore(h.store, () => readyAddresses('web').length === 3, 'the third endpoint');
    assert.ok(elapsedMs < 2000, `took ${elapsedMs} ms`);
    const after = pods('web').map((p) => p.metadata.name);
    assert.equal(after.filter((n) => !before.has(n)).length, 1);
    assert.equal(after.length, 3);
  });

  test('deleting a Pod removes its endpoint and the Deployment replaces it', async () => {
    await h.store.apply([deployment('web', 2), service('web', { app: 'web' })]);
    await waitForStore(h.store, () => readyAddresses('web').length === 2, '2 endpoints');
    const victim = pods('web')[0];
    const victimIp = (victim.status as any).podIP as string;
    await h.store.delete('', 'Pod', 'default', victim.metadata.name);
    await waitForStore(h.store, () => !allEndpoints('web').some((e) => e.targetRef.name === victim.metadata.name), 'the endpoint to go');
    const { value: ps } = await waitForStore(h.store, () => runningReady('web', 2), 'a replacement Pod');
    assert.ok(!ps.some((p) => p.metadata.name === victim.metadata.name));
    await waitForStore(h.store, () => readyAddresses('web').length === 2, '2 endpoints again');
    assert.ok(!readyAddresses('web').includes(victimIp), 'a freed IP is not handed out again at once');
    await waitForStore(h.runtime, () => h.runtime.stopCalls.includes(victim.metadata.name), 'the deleted Pod to stop');
    assert.ok(!h.runtime.started.has(victim.metadata.uid as string));
  });

  test('scaling down removes the unready Pod first', async () => {
    h.runtime.holdStarts = true;
    await h.store.apply([deployment('web', 3)]);
    const { value: held } = await waitForStore(h.runtime, () => (h.runtime.heldStarts.length === 3 ? h.runtime.heldStarts : undefined), '3 held starts');
    const [slow, ...fast] = held;
    h.runtime.releaseStarts(fast);
    await waitForStore(h.store, () => pods('web').filter((p) => (p.status as any)?.phase === 'Running').length === 2, '2 Running');
    assert.equal((h.store.get('', 'Pod', 'default', slow)?.status as any).containerStatuses[0].state.waiting.reason, 'ContainerCreating');
    await h.store.apply([deployment('web', 2)]);
    const { value } = await waitForStore(h.store, () => (pods('web').length === 2 ? pods('web') : undefined), 'two Pods');
    assert.deepEqual(value.map((p) => p.metadata.name).sort(), [...fast].sort());
  });

  test('a changed template replaces the Pods (rolling update), old ones stopped', async () => {
    await h.store.apply([deployment('web', 2), service('web', { app: 'web' })]);
    const { value: v1 } = await waitForStore(h.store, () => runningReady('web', 2), 'v1 Pods');
    const oldHash = v1[0].metadata.labels?.['pod-template-hash'];
    await h.store.apply([deployment('web', 2, 'istio/examples-helloworld-v2:1.0')]);
    const { value: v2 } = await waitForStore(
      h.store,
      () => {
        const ps = runningReady('web', 2);
        return ps?.every((p) => p.metadata.labels?.['pod-template-hash'] !== oldHash) ? ps : undefined;
      },
      'only v2 Pods',
    );
    assert.ok(v2.every((p) => (p.spec as any).containers[0].image === 'istio/examples-helloworld-v2:1.0'));
    await waitForStore(h.runtime, () => v1.every((p) => h.runtime.stopCalls.includes(p.metadata.name)), 'the v1 Pods to stop');
    await waitForStore(h.store, () => readyAddresses('web').length === 2, 'endpoints of v2');
    const status = h.store.get('apps', 'Deployment', 'default', 'web')?.status as any;
    assert.equal(status.observedGeneration, 2);
  });

  test('deleting a Deployment deletes its Pods; a bare Pod its selector matches is left alone', async () => {
    const bare: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bare', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    };
    await h.store.apply([deployment('web', 2), bare]);
    await waitForStore(h.store, () => runningReady('web', 3), '3 Pods');
    const again = await h.store.apply([deployment('web', 2), bare]);
    assert.deepEqual(again.map((o) => o.action), ['unchanged', 'unchanged'], 'the bound nodeName is kept on re-apply');
    await h.store.delete('apps', 'Deployment', 'default', 'web');
    const { value } = await waitForStore(h.store, () => (pods('web').length === 1 ? pods('web') : undefined), 'only the bare Pod');
    assert.equal(value[0].metadata.name, 'bare');
    await waitForStore(h.runtime, () => h.runtime.started.size === 1, "the Deployment's Pods to stop");
    assert.equal([...h.runtime.started.values()][0].pod.metadata.name, 'bare');
  });
});

describe('Pods', () => {
  test('an unsupported image stays Pending with a reason; weft.dev/address makes it run there', async () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'mine', namespace: 'default', labels: { app: 'mine' } },
      spec: { containers: [{ name: 'c', image: 'example.com/acme/shop:2', ports: [{ containerPort: 8080, name: 'http' }] }] },
    };
    await h.store.apply([pod, service('mine', { app: 'mine' }, 'http')]);
    const { value: status } = await waitForStore(h.store, () => (h.store.get('', 'Pod', 'default', 'mine')?.status as any)?.containerStatuses && (h.store.get('', 'Pod', 'default', 'mine')?.status as any), 'a status');
    assert.equal(status.phase, 'Pending');
    assert.equal(status.reason, 'UnsupportedImage');
    assert.equal(status.containerStatuses[0].state.waiting.reason, 'UnsupportedImage');
    assert.match(status.containerStatuses[0].state.waiting.message, /weft\.dev\/address/);
    assert.equal(status.conditions.find((c: any) => c.type === 'Ready').status, 'False');
    await waitForStore(h.store, () => allEndpoints('mine').length === 1 && readyAddresses('mine').length === 0, 'a not-ready endpoint');

    await h.store.apply([{ ...pod, metadata: { ...pod.metadata, annotations: { 'weft.dev/address': '127.0.0.1:3000' } } }]);
    const { value: running } = await waitForStore(
      h.store,
      () => {
        const s = h.store.get('', 'Pod', 'default', 'mine')?.status as any;
        return s?.phase === 'Running' ? s : undefined;
      },
      'Running',
    );
    assert.equal(running.podIP, '127.0.0.1');
    assert.equal(running.reason, undefined, 'the reason goes once the Pod runs');
    assert.equal(h.runtime.startCalls.length, 0, 'nothing started for an external Pod');
    const { value: ready } = await waitForStore(h.store, () => slices('mine').find((s) => (s.endpoints as any[]).some((e) => e.conditions.ready)), 'a ready endpoint');
    assert.deepEqual(ready.ports, [{ name: 'http', port: 3000, protocol: 'TCP' }]);
  });

  test('a start failure is reported and retried with backoff on the clock', async () => {
    h.runtime.failStarts = 1;
    await h.store.apply([deployment('web', 1)]);
    const { value: p } = await waitForStore(
      h.store,
      () => pods('web').find((x) => (x.status as any)?.containerStatuses?.[0]?.state?.waiting?.reason === 'RunContainerError'),
      'RunContainerError',
    );
    assert.match((p.status as any).containerStatuses[0].state.waiting.message, /EADDRINUSE/);
    await waitForStore(h.store, () => h.manager.stats().find((s) => s.name === 'pod')!.delayed === 1 || undefined, 'a scheduled retry');
    h.clock.advance(10);
    await waitForStore(h.store, () => runningReady('web', 1), 'Running after the retry');
    assert.equal(h.logs.filter((l) => l.includes('EADDRINUSE')).length, 1);
  });

  test('an unknown sidecar does not hold the Pod back and is noted in a condition', async () => {
    await h.store.apply([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'mock', namespace: 'default', labels: { app: 'mock' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.25' },
            { name: 'dns', image: 'coredns/coredns:1.10.1' },
          ],
        },
      },
    ]);
    const { value: ps } = await waitForStore(h.store, () => runningReady('mock', 1), 'Running');
    const status = ps[0].status as any;
    assert.deepEqual(status.containerStatuses.map((c: any) => [c.name, c.ready]), [['dns', true], ['web', true]]);
    const note = status.conditions.find((c: any) => c.type === 'weft.dev/ContainersSkipped');
    assert.match(note.message, /dns \(coredns\/coredns:1\.10\.1\)/);
  });
});

describe('restart', () => {
  test('Pods keep their names and IPs and are started again after a restart', async () => {
    await h.store.apply([deployment('web', 2), service('web', { app: 'web' })]);
    await waitForStore(h.store, () => readyAddresses('web').length === 2, '2 endpoints');
    const before = pods('web').map((p) => [p.metadata.name, (p.status as any).podIP]);
    await close(h);
    h = await open();
    await waitForStore(h.store, () => h.runtime.started.size === 2, 'both Pods started again');
    await h.manager.whenIdle();
    assert.deepEqual(pods('web').map((p) => [p.metadata.name, (p.status as any).podIP]), before);
    assert.deepEqual([...h.runtime.started.values()].map((s) => s.ip).sort(), before.map((b) => b[1]).sort());
  });
});
