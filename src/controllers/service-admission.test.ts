import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import type { AdmissionRequest } from '../store/index.ts';
import { StoreError } from '../store/index.ts';
import { resolveAddressing } from './addressing.ts';
import { createServiceAdmission } from './service-admission.ts';
import { SeededRandom } from './test-support.ts';

const addressing = (() => {
  const r = resolveAddressing({ serviceCidr: '127.96.0.0/29', nodePortRange: '30000-30003' });
  assert.ok(r.ok);
  return r.value;
})();

function admit(object: KubeObject, others: KubeObject[] = [], stored?: KubeObject): KubeObject {
  const hook = createServiceAdmission({ addressing, random: new SeededRandom(3) });
  const req: AdmissionRequest = {
    operation: stored ? 'update' : 'create',
    object: structuredClone(object),
    stored,
    view: { get: () => undefined, list: (g, k) => (g === '' && k === 'Service' ? others : []) },
  };
  return hook(req);
}

function svc(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } };
}

const refused = (pattern: RegExp) => (e: unknown) => e instanceof StoreError && e.reason === 'Invalid' && pattern.test(e.message);

test('other kinds pass through untouched', () => {
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
  assert.equal(admit(cm).spec, undefined);
});

test('allocation avoids taken addresses and the network/broadcast ones; a full range is refused', () => {
  const taken = ['127.96.0.1', '127.96.0.2', '127.96.0.3', '127.96.0.4', '127.96.0.5'].map((ip, i) => svc(`t${i}`, { clusterIP: ip, clusterIPs: [ip] }));
  assert.equal((admit(svc('web', {}), taken).spec as any).clusterIP, '127.96.0.6');
  assert.throws(() => admit(svc('web', {}), [...taken, svc('t6', { clusterIP: '127.96.0.6' })]), refused(/range is full/));
  assert.throws(() => admit(svc('web', { clusterIP: '127.96.0.7' })), refused(/not in the valid range/));
  assert.throws(() => admit(svc('web', { clusterIP: 'not-an-ip' })), refused(/must be a valid IP address/));
  assert.throws(() => admit(svc('web', { clusterIP: '127.96.0.1', clusterIPs: ['127.96.0.2'] })), refused(/must match clusterIP/));
});

test('node ports: ports differing only in protocol share one; duplicates and full ranges refused', () => {
  const out = admit(svc('dns', { type: 'NodePort', ports: [{ name: 'udp', port: 53, protocol: 'UDP' }, { name: 'tcp', port: 53 }, { name: 'm', port: 9153 }] })).spec as any;
  assert.equal(out.ports[0].nodePort, out.ports[1].nodePort);
  assert.notEqual(out.ports[2].nodePort, out.ports[0].nodePort);
  assert.equal(out.externalTrafficPolicy, 'Cluster');
  assert.throws(
    () => admit(svc('x', { type: 'NodePort', ports: [{ name: 'a', port: 1, nodePort: 30001 }, { name: 'b', port: 2, nodePort: 30001 }] })),
    refused(/spec\.ports\[1\]\.nodePort: Duplicate value: "30001\/TCP"/),
  );
  const full = [30000, 30001, 30002, 30003].map((n, i) => svc(`n${i}`, { type: 'NodePort', ports: [{ port: 80, nodePort: n }] }));
  assert.throws(() => admit(svc('x', { type: 'NodePort' }), full), refused(/failed to allocate a nodePort: range is full/));
  assert.throws(() => admit(svc('x', { ports: [{ port: 80, nodePort: 30001 }] })), refused(/may not be used when `type` is 'ClusterIP'/));
});

test('LoadBalancer: node ports unless allocateLoadBalancerNodePorts is false; health-check port with policy Local', () => {
  const lb = admit(svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })).spec as any;
  assert.equal(lb.allocateLoadBalancerNodePorts, true);
  assert.ok(lb.ports[0].nodePort >= 30000);
  assert.ok(lb.healthCheckNodePort >= 30000 && lb.healthCheckNodePort !== lb.ports[0].nodePort);
  const none = admit(svc('lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false })).spec as any;
  assert.equal(none.ports[0].nodePort, undefined);
  assert.throws(() => admit(svc('x', { healthCheckNodePort: 30001 })), refused(/may only be set when `type` is 'LoadBalancer'/));
});

test('IP families: single-stack IPv4 only', () => {
  assert.throws(() => admit(svc('x', { ipFamilyPolicy: 'RequireDualStack' })), refused(/not configured for dual-stack/));
  assert.throws(() => admit(svc('x', { ipFamilies: ['IPv6'] })), refused(/spec\.ipFamilies\[0\]: Invalid value: "IPv6": not configured on this cluster/));
  assert.deepEqual((admit(svc('x', { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] })).spec as any).ipFamilies, ['IPv4']);
});

test('ExternalName: no cluster IP; leaving ExternalName allocates one; several errors are listed', () => {
  const ext = admit(svc('e', { type: 'ExternalName', externalName: 'example.com' })).spec as any;
  assert.deepEqual([ext.clusterIP, ext.ipFamilies, ext.internalTrafficPolicy], [undefined, undefined, undefined]);
  assert.throws(() => admit(svc('e', { type: 'ExternalName', clusterIP: '127.96.0.3' })), refused(/spec\.clusterIP: Forbidden/));
  const stored = { ...svc('e', {}), spec: { ...(admit(svc('e', {})).spec as object) } } as KubeObject;
  const toExt = admit(svc('e', { ...(stored.spec as object), type: 'ExternalName', externalName: 'x.example' }), [], stored).spec as any;
  assert.equal(toExt.clusterIP, undefined, 'the allocated IP is dropped');
  assert.throws(() => admit(svc('x', { clusterIP: '10.0.0.1', ports: [{ port: 80, nodePort: 5 }] })), refused(/is invalid: \[.*, .*\]$/));
});
