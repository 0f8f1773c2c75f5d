import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { buildEndpoints } from './endpoints-v1.ts';

const svc = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } },
  spec: { clusterIP: '127.96.0.9', ...spec },
});

const pod = (name: string, ip: string, ready: boolean, port = 8080): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `u-${name}` },
  spec: { nodeName: 'weft-node', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: port }] }] },
  status: { podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('ready and not-ready addresses, repacked by port set, sorted', () => {
  const ep = buildEndpoints(svc({ ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }), [
    pod('b', '127.244.0.2', true),
    pod('a', '127.244.0.1', true),
    pod('c', '127.244.0.3', false),
    pod('d', '127.244.0.4', true, 9090),
  ]);
  assert.deepEqual(ep.metadata.labels, { app: 'web', 'endpoints.kubernetes.io/managed-by': 'endpoints-controller.weft.dev' });
  const subsets = ep.subsets as any[];
  assert.equal(subsets.length, 2);
  const s8080 = subsets.find((s) => s.ports[0].port === 8080);
  assert.deepEqual(s8080.addresses.map((a: any) => a.ip), ['127.244.0.1', '127.244.0.2']);
  assert.deepEqual(s8080.notReadyAddresses.map((a: any) => a.targetRef.name), ['c']);
  assert.deepEqual(s8080.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(s8080.addresses[0], { ip: '127.244.0.1', nodeName: 'weft-node', targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'u-a' } });
});

test('no Pods: no subsets; unnamed ports carry no name; headless gets the headless label', () => {
  const empty = buildEndpoints(svc({ ports: [{ port: 80 }] }), []);
  assert.equal(empty.subsets, undefined);
  const unnamed = buildEndpoints(svc({ ports: [{ port: 80, targetPort: 8080 }] }), [pod('a', '127.244.0.1', true)]);
  assert.deepEqual((unnamed.subsets as any[])[0].ports, [{ port: 8080, protocol: 'TCP' }]);
  const headless = buildEndpoints(svc({ clusterIP: 'None' }), [pod('a', '127.244.0.1', true)]);
  assert.equal(headless.metadata.labels?.['service.kubernetes.io/headless'], '');
  assert.deepEqual((headless.subsets as any[])[0].addresses.length, 1, 'a headless Service without ports still lists addresses');
});
