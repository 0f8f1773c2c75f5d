import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { preloadSchemas, schemaValidator } from '../api/schemas.ts';
import { Store } from '../store/index.ts';
import { ControllerManager } from './controller-manager.ts';
import { NODE_STATUS_REPORT_INTERVAL_MS, NodeController, nodeLabels } from './node-controller.ts';
import { goArch, prettyName } from './node-host.ts';
import type { NodeHost } from './node-host.ts';
import { FakeClock } from './test-support.ts';

const HOST: NodeHost = {
  architecture: 'arm64',
  operatingSystem: 'linux',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  kernelVersion: '6.1.0-18-arm64',
  machineID: 'm1',
  systemUUID: '',
  bootID: 'b1',
  cpus: 8,
  memoryBytes: 16 * 1024 * 1024 * 1024,
};

let dir: string;
let store: Store;
let clock: FakeClock;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-node-'));
  ({ store } = await Store.open({ dir }));
  clock = new FakeClock();
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function controller(labels: Record<string, string> = { 'kubernetes.io/hostname': 'weft-node', 'kubernetes.io/os': 'linux', role: 'infra' }): NodeController {
  return new NodeController({ store, clock, name: 'weft-node', address: '127.0.0.66', labels, host: HOST, podCidr: '127.244.0.0/16', log: () => undefined });
}

type Any = any;
const node = (): Any => store.get('', 'Node', undefined, 'weft-node');

test('register writes the Node a kubelet would: labels, spec, addresses, nodeInfo, capacity, Ready', async () => {
  await controller().register();
  const n = node();
  assert.deepEqual(n.metadata.labels, {
    'beta.kubernetes.io/arch': 'arm64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'arm64',
    'kubernetes.io/hostname': 'weft-node',
    'kubernetes.io/os': 'linux',
    'node-role.kubernetes.io/control-plane': '',
    role: 'infra',
  });
  assert.deepEqual(n.spec, { podCIDR: '127.244.0.0/16', podCIDRs: ['127.244.0.0/16'] });
  assert.deepEqual(n.status.addresses, [
    { type: 'InternalIP', address: '127.0.0.66' },
    { type: 'Hostname', address: 'weft-node' },
  ]);
  assert.deepEqual(n.status.capacity, { cpu: '8', memory: '16777216Ki', pods: '110' });
  assert.deepEqual(n.status.allocatable, n.status.capacity);
  assert.match(n.status.nodeInfo.kubeletVersion, /^v\d+\.\d+\.\d+-weft$/);
  assert.match(n.status.nodeInfo.containerRuntimeVersion, /^weft:\/\/\d+\.\d+\.\d+$/);
  assert.equal(n.status.nodeInfo.kernelVersion, '6.1.0-18-arm64');
  assert.equal(n.status.nodeInfo.osImage, 'Debian GNU/Linux 12 (bookworm)');
  const ready = n.status.conditions.find((c: Any) => c.type === 'Ready');
  assert.equal(ready.status, 'True');
  assert.equal(ready.lastHeartbeatTime, '2026-01-02T03:04:05Z');
  // The object passes the v1 Node schema (what the API server checks on `weft label node`).
  await preloadSchemas([n]);
  const v = schemaValidator('', 'v1', 'Node');
  assert.ok(v);
  assert.equal(v.validate(n), true, JSON.stringify(v.validate.errors));
});

test("a reconcile keeps a user's labels, restores weft's own, recreates a deleted Node, and writes nothing when current", async () => {
  const c = controller();
  await c.register();
  const n = node();
  const labels = { ...n.metadata.labels, team: 'mesh' };
  delete labels.role;
  const { status: _s, ...rest } = n;
  await store.update({ ...rest, metadata: { ...n.metadata, labels } });
  await c.reconcile('weft-node');
  assert.equal(node().metadata.labels.team, 'mesh');
  assert.equal(node().metadata.labels.role, 'infra');
  const rv = node().metadata.resourceVersion;
  const result = await c.reconcile('weft-node');
  assert.equal(node().metadata.resourceVersion, rv, 'nothing changed: nothing written');
  assert.deepEqual(result, { requeueAfterMs: NODE_STATUS_REPORT_INTERVAL_MS });

  await store.delete('', 'Node', undefined, 'weft-node');
  await c.reconcile('weft-node');
  assert.equal(node().status.conditions.find((x: Any) => x.type === 'Ready').status, 'True');
});

test('the heartbeat is refreshed once per report interval; lastTransitionTime stays', async () => {
  const c = controller();
  await c.register();
  const first = node().status.conditions.find((x: Any) => x.type === 'Ready');
  clock.advance(NODE_STATUS_REPORT_INTERVAL_MS - 1000);
  const rv = node().metadata.resourceVersion;
  await c.reconcile('weft-node');
  assert.equal(node().metadata.resourceVersion, rv);
  clock.advance(1000);
  await c.reconcile('weft-node');
  const ready = node().status.conditions.find((x: Any) => x.type === 'Ready');
  assert.equal(ready.lastHeartbeatTime, '2026-01-02T03:09:05Z');
  assert.equal(ready.lastTransitionTime, first.lastTransitionTime);
});

test('under the manager, deleting the Node brings it back', async () => {
  const c = controller();
  const manager = new ControllerManager({ store, clock, controllers: [c], log: () => undefined });
  manager.start();
  await c.register();
  await manager.whenIdle();
  const uid = node().metadata.uid;
  await store.delete('', 'Node', undefined, 'weft-node');
  await manager.whenIdle();
  assert.ok(node(), 'recreated');
  assert.notEqual(node().metadata.uid, uid);
  await manager.stop();
});

test('node labels: given ones win over the defaults; host facts in Go spelling', () => {
  const l = nodeLabels({ name: 'n1', labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': 'other' }, host: { ...HOST, operatingSystem: 'darwin' } });
  assert.equal(l['kubernetes.io/hostname'], 'other');
  assert.equal(l['kubernetes.io/os'], 'linux');
  assert.equal(goArch('x64'), 'amd64');
  assert.equal(goArch('arm64'), 'arm64');
  assert.equal(prettyName('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(prettyName('NAME=x\n'), undefined);
});
