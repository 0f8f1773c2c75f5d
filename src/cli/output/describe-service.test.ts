import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.ts';
import { describeEndpointSlice, describeEndpoints } from './describe-endpoints.ts';
import { describeService, formatEndpointSlices } from './describe-service.ts';

const slice = (name: string, ports: unknown[], endpoints: unknown[]): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'external-webserver-ckad01-svcn' } },
  addressType: 'IPv4',
  ports,
  endpoints,
});

// A Service whose only EndpointSlice was written by hand with a port name the Service's port does
// not have, and that slice, as `kubectl describe` printed them on a real cluster.
const HAND_WRITTEN = slice('example-abc', [{ name: 'http', protocol: 'TCP', port: 9999 }], [{ addresses: ['192.168.67.177'] }]);

test('a Service prints as kubectl describe printed it (port names that match no slice port give no endpoints)', () => {
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'external-webserver-ckad01-svcn', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      clusterIP: '172.20.72.32',
      clusterIPs: ['172.20.72.32'],
      ports: [{ port: 80, protocol: 'TCP', targetPort: 9999 }],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
  };
  const expected = [
    'Name:                     external-webserver-ckad01-svcn',
    'Namespace:                default',
    'Labels:                   <none>',
    'Annotations:              <none>',
    'Selector:                 <none>',
    'Type:                     ClusterIP',
    'IP Family Policy:         SingleStack',
    'IP Families:              IPv4',
    'IP:                       172.20.72.32',
    'IPs:                      172.20.72.32',
    'Port:                     <unset>  80/TCP',
    'TargetPort:               9999/TCP',
    'Endpoints:                ',
    'Session Affinity:         None',
    'Internal Traffic Policy:  Cluster',
    'Events:                   <none>',
    '',
  ].join('\n');
  assert.equal(describeService(svc, [HAND_WRITTEN]), expected);
});

test('an EndpointSlice written by hand prints as kubectl describe printed it', () => {
  const expected = [
    'Name:         example-abc',
    'Namespace:    default',
    'Labels:       kubernetes.io/service-name=external-webserver-ckad01-svcn',
    'Annotations:  <none>',
    'AddressType:  IPv4',
    'Ports:',
    '  Name  Port  Protocol',
    '  ----  ----  --------',
    '  http  9999  TCP',
    'Endpoints:',
    '  - Addresses:  192.168.67.177',
    '    Conditions:',
    '      Ready:   <unset>',
    '    Hostname:  <unset>',
    '    NodeName:  <unset>',
    '    Zone:      <unset>',
    'Events:        <none>',
    '',
  ].join('\n');
  assert.equal(describeEndpointSlice(HAND_WRITTEN), expected);
});

test('Endpoints lists ready addresses of the named port, first three, then a count', () => {
  const ep = (ip: string, ready?: boolean) => ({ addresses: [ip], ...(ready === undefined ? {} : { conditions: { ready } }) });
  const a = slice('a', [{ name: 'http', port: 5000 }, { name: 'admin', port: 9000 }], [ep('127.0.0.2', true), ep('127.0.0.3', false), ep('127.0.0.4')]);
  assert.equal(formatEndpointSlices([a], 'http'), '127.0.0.2:5000,127.0.0.4:5000');
  assert.equal(formatEndpointSlices([a], 'admin'), '127.0.0.2:9000,127.0.0.4:9000');
  const b = slice('b', [{ name: 'http', port: 5000 }], [ep('127.0.0.5'), ep('127.0.0.6'), ep('::1')]);
  assert.equal(formatEndpointSlices([a, b], 'http'), '127.0.0.2:5000,127.0.0.4:5000,127.0.0.5:5000 + 2 more...');
  assert.equal(formatEndpointSlices([b], 'http'), '127.0.0.5:5000,127.0.0.6:5000,[::1]:5000');
  // Headless slices without ports list bare addresses; no slice at all is <none>.
  assert.equal(formatEndpointSlices([slice('c', [], [ep('127.0.0.7')])], ''), '127.0.0.7');
  assert.equal(formatEndpointSlices([], 'http'), '<none>');
});

test('a NodePort Service with a load-balancer address and named target port', () => {
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', tier: 'front' } },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'web' },
      clusterIP: '127.96.0.10',
      clusterIPs: ['127.96.0.10'],
      ports: [{ name: 'http', port: 80, targetPort: 'http-web', nodePort: 30080 }],
      externalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: { ingress: [{ ip: '127.200.0.1', ipMode: 'VIP' }] } },
  };
  const s = slice('web-1', [{ name: 'http', port: 8080 }], [{ addresses: ['127.244.0.9'], conditions: { ready: true } }]);
  const out = describeService(svc, [s]).split('\n');
  assert.deepEqual(out.slice(2, 4), ['Labels:                   app=web', '                          tier=front']);
  assert.ok(out.includes('IP Families:              <none>'));
  assert.ok(out.includes('LoadBalancer Ingress:     127.200.0.1 (VIP)'));
  assert.ok(out.includes('Port:                     http  80/TCP'));
  assert.ok(out.includes('TargetPort:               http-web/TCP'));
  assert.ok(out.includes('NodePort:                 http  30080/TCP'));
  assert.ok(out.includes('Endpoints:                127.244.0.9:8080'));
  assert.ok(out.includes('External Traffic Policy:  Cluster'));
});

test('v1 Endpoints print their subsets', () => {
  const ep: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '127.244.0.1' }, { ip: '127.244.0.2' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }],
  };
  const expected = [
    'Name:         web',
    'Namespace:    default',
    'Labels:       <none>',
    'Annotations:  <none>',
    'Subsets:',
    '  Addresses:          127.244.0.1,127.244.0.2',
    '  NotReadyAddresses:  <none>',
    '  Ports:',
    '    Name  Port  Protocol',
    '    ----  ----  --------',
    '    http  80    TCP',
    '',
    'Events:  <none>',
    '',
  ].join('\n');
  assert.equal(describeEndpoints(ep), expected);
});
