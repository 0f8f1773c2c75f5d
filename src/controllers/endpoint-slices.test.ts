import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { findPort, resolvePorts } from './endpoint-ports.ts';
import { buildEndpointSlice, desiredSliceContents, sliceLabels } from './endpoint-slices.ts';

function svc(spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels }, spec: { clusterIP: '127.96.0.9', ...spec } };
}

function pod(name: string, ip: string, o: { ready?: boolean; ports?: unknown[]; initContainers?: unknown[]; annotations?: Record<string, string>; hostname?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, annotations: o.annotations },
    spec: { nodeName: 'weft-node', hostname: o.hostname, subdomain: o.hostname ? 'web' : undefined, containers: [{ name: 'c', ports: o.ports ?? [] }], initContainers: o.initContainers },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

test('FindPort: numbers as given, names per Pod and protocol, sidecar init containers too', () => {
  const p = pod('a', '127.244.0.1', {
    ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }],
    initContainers: [{ name: 'side', restartPolicy: 'Always', ports: [{ name: 'admin', containerPort: 15000 }] }, { name: 'init', ports: [{ name: 'x', containerPort: 1 }] }],
  });
  assert.equal(findPort(p, { port: 80, targetPort: 9090 }), 9090);
  assert.equal(findPort(p, { port: 80 }), 80);
  assert.equal(findPort(p, { port: 80, targetPort: 'http' }), 8080);
  assert.equal(findPort(p, { port: 53, targetPort: 'dns' }), undefined, 'TCP service port, UDP container port');
  assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' }), 53);
  assert.equal(findPort(p, { port: 1, targetPort: 'admin' }), 15000);
  assert.equal(findPort(p, { port: 1, targetPort: 'x' }), undefined, 'plain init containers do not serve');
});

test('weft.dev/address IP:PORT serves every Service port on PORT', () => {
  const p = pod('a', '127.0.0.1', { annotations: { 'weft.dev/address': '127.0.0.1:3000' } });
  const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'http', appProtocol: 'http' }, { name: 'grpc', port: 90 }] });
  assert.deepEqual(resolvePorts(s, p), [
    { name: 'http', port: 3000, protocol: 'TCP', appProtocol: 'http' },
    { name: 'grpc', port: 3000, protocol: 'TCP' },
  ]);
});

test('endpoints carry conditions, targetRef, nodeName and hostname; publishNotReadyAddresses marks all ready', () => {
  const s = svc({ ports: [{ name: '', port: 80 }] });
  const [content] = desiredSliceContents(s, [pod('a', '127.244.0.1', { hostname: 'a0' }), pod('b', '127.244.0.2', { ready: false })]);
  assert.deepEqual(content.endpoints, [
    {
      addresses: ['127.244.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      hostname: 'a0',
      targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' },
      nodeName: 'weft-node',
    },
    {
      addresses: ['127.244.0.2'],
      conditions: { ready: false, serving: false, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'ns', name: 'b', uid: 'uid-b' },
      nodeName: 'weft-node',
    },
  ]);
  assert.deepEqual(content.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
  const tolerant = desiredSliceContents(svc({ ports: [{ port: 80 }], publishNotReadyAddresses: true }), [pod('b', '127.244.0.2', { ready: false })]);
  assert.deepEqual(tolerant[0].endpoints[0].conditions, { ready: true, serving: false, terminating: false });
});

test('slices hold at most 100 endpoints; no Pods gives one placeholder', () => {
  const pods = Array.from({ length: 250 }, (_, i) => pod(`p${String(i).padStart(3, '0')}`, `127.244.1.${i % 250}`));
  const contents = desiredSliceContents(svc({ ports: [{ port: 80 }] }), pods);
  assert.deepEqual(contents.map((c) => c.endpoints.length), [100, 100, 50]);
  assert.deepEqual(desiredSliceContents(svc({ ports: [{ port: 80 }] }), []), [{ ports: [], endpoints: [] }]);
});

test('labels: the Service\'s, minus reserved ones, plus service-name, managed-by, headless', () => {
  const labels = sliceLabels(svc({ clusterIP: 'None' }, { app: 'web', 'kubernetes.io/service-name': 'spoof' }));
  assert.deepEqual(labels, {
    app: 'web',
    'service.kubernetes.io/headless': '',
    'kubernetes.io/service-name': 'web',
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.weft.dev',
  });
  const slice = buildEndpointSlice(svc({}), 'web-abcde', { ports: [], endpoints: [] });
  assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(slice.addressType, 'IPv4');
});
