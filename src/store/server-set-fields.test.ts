import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { carryOverServerSetFields } from './server-set-fields.ts';

const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec });
const carry = (incoming: KubeObject, stored: KubeObject) => carryOverServerSetFields(structuredClone(incoming), stored).spec as any;

const STORED = svc({
  type: 'NodePort',
  clusterIP: '127.96.0.7',
  clusterIPs: ['127.96.0.7'],
  ipFamilies: ['IPv4'],
  ipFamilyPolicy: 'SingleStack',
  ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'admin', port: 81, nodePort: 30081 }],
});

test('a re-applied Service keeps its ClusterIP, IP families and node ports (matched by port name)', () => {
  const out = carry(svc({ type: 'NodePort', ports: [{ name: 'admin', port: 81 }, { name: 'http', port: 8080 }] }), STORED);
  assert.equal(out.clusterIP, '127.96.0.7');
  assert.deepEqual(out.clusterIPs, ['127.96.0.7']);
  assert.deepEqual([out.ipFamilies, out.ipFamilyPolicy], [['IPv4'], 'SingleStack']);
  assert.deepEqual(out.ports.map((p: any) => p.nodePort), [30081, 30080]);
});

test('what the user sets wins; a node port the new object uses elsewhere is not copied', () => {
  const out = carry(svc({ type: 'NodePort', clusterIP: '127.96.0.9', ports: [{ name: 'http', port: 80 }, { name: 'x', port: 1, nodePort: 30080 }] }), STORED);
  assert.equal(out.clusterIP, '127.96.0.9');
  assert.deepEqual(out.ports.map((p: any) => p.nodePort), [undefined, 30080]);
});

test('nothing is carried across a type that does not need it', () => {
  const ext = carry(svc({ type: 'ExternalName', externalName: 'x' }), STORED);
  assert.equal(ext.clusterIP, undefined);
  const cip = carry(svc({ ports: [{ name: 'http', port: 80 }] }), STORED);
  assert.equal(cip.clusterIP, '127.96.0.7', 'ClusterIP (type omitted) still needs its IP');
  assert.equal(cip.ports[0].nodePort, undefined, 'but no node port');
  const hc = carry(
    svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
    svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000 }),
  );
  assert.equal(hc.healthCheckNodePort, 31000);
});

test('a Pod keeps the node it was bound to; other kinds are untouched', () => {
  const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
  assert.equal(carry(pod({ containers: [] }), pod({ containers: [], nodeName: 'weft-node' })).nodeName, 'weft-node');
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: {} };
  assert.deepEqual(carry(cm, { ...cm, spec: { clusterIP: 'x' } }), {});
});
