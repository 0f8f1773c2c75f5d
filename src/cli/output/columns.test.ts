// `weft get nodes [-o wide]` against kubectl's node printer (NAME STATUS ROLES AGE VERSION, wide:
// INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveKind } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/object.ts';
import { printGroups } from './printers.ts';

const NOW = new Date('2024-05-01T12:00:00Z');
const info = resolveKind('no')!;

function node(name: string, extra: { labels?: Record<string, string>; spec?: unknown; status?: unknown }): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, creationTimestamp: '2024-05-01T11:00:00Z', labels: extra.labels }, spec: extra.spec, status: extra.status };
}

const weftNode = node('weft-node', {
  labels: { 'kubernetes.io/hostname': 'weft-node', 'node-role.kubernetes.io/control-plane': '' },
  status: {
    addresses: [
      { type: 'InternalIP', address: '127.0.0.66' },
      { type: 'Hostname', address: 'weft-node' },
    ],
    conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
    nodeInfo: { kubeletVersion: 'v0.1.0-weft', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'weft://0.1.0' },
  },
});

const render = (items: KubeObject[], wide: boolean) =>
  printGroups([{ info, items }], { kind: 'table', wide }, { single: false, allNamespaces: false, multiKind: false, now: NOW }).split('\n').filter(Boolean).map((l) => l.split(/ {2,}/));

test('Node is served as kubectl names it: nodes, node, no', () => {
  assert.equal(info.kind, 'Node');
  assert.equal(info.namespaced, false);
  assert.equal(resolveKind('nodes'), info);
  assert.equal(resolveKind('node'), info);
});

test('kubectl get nodes', () => {
  assert.deepEqual(render([weftNode], false), [
    ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    ['weft-node', 'Ready', 'control-plane', '60m', 'v0.1.0-weft'],
  ]);
});

test('kubectl get nodes -o wide', () => {
  assert.deepEqual(render([weftNode], true), [
    ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    ['weft-node', 'Ready', 'control-plane', '60m', 'v0.1.0-weft', '127.0.0.66', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'weft://0.1.0'],
  ]);
});

test('NotReady, Unknown, SchedulingDisabled; roles from both label forms, sorted; <none>', () => {
  const rows = render(
    [
      node('a', { labels: { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge' }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }] } }),
      node('b', {}),
    ],
    true,
  );
  assert.deepEqual(rows[1].slice(0, 3), ['a', 'NotReady,SchedulingDisabled', 'edge,worker']);
  // No nodeInfo: VERSION is empty (so it vanishes from the split), the wide cells say so.
  assert.deepEqual(rows[2], ['b', 'Unknown', '<none>', '60m', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
});
