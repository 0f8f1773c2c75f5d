import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.ts';
import { describeGeneric, goValue, smartLabelFor, splitCamelCase } from './describe-generic.ts';

test('smartLabelFor spells keys as kubectl does', () => {
  const cases: [string, string][] = [
    ['apiVersion', 'API Version'],
    ['uid', 'UID'],
    ['creationTimestamp', 'Creation Timestamp'],
    ['resourceVersion', 'Resource Version'],
    ['gatewayClassName', 'Gateway Class Name'],
    ['lastTransitionTime', 'Last Transition Time'],
    ['backendRefs', 'Backend Refs'],
    ['rds', 'Rds'],
    ['targetURL', 'Target URL'],
    ['foo-bar', 'Foo - Bar'],
    // Anything but letters and '-' keeps the key as written.
    ['@type', '@type'],
    ['route_config_name', 'route_config_name'],
    ['v1', 'v1'],
    ['kubernetes.io/name', 'kubernetes.io/name'],
  ];
  for (const [field, label] of cases) assert.equal(smartLabelFor(field), label, field);
});

test('camelcase splitting keeps acronyms together', () => {
  assert.deepEqual(splitCamelCase('PDFLoader'), ['PDF', 'Loader']);
  assert.deepEqual(splitCamelCase('HTTPRoute'), ['HTTP', 'Route']);
  assert.deepEqual(splitCamelCase('lowerCamel'), ['lower', 'Camel']);
});

test("values print as Go's %v prints decoded JSON", () => {
  assert.equal(goValue('x'), 'x');
  assert.equal(goValue(5), '5');
  assert.equal(goValue(0.5), '0.5');
  assert.equal(goValue(0.00001), '1e-05');
  assert.equal(goValue(true), 'true');
  assert.equal(goValue(null), '<nil>');
  assert.equal(goValue(['a', 1]), '[a 1]');
  assert.equal(goValue({ b: 1, a: 'x' }), 'map[a:x b:1]');
});

// `kubectl describe gc envoy`, as printed by kubectl against a cluster running Envoy Gateway.
test('a GatewayClass prints as kubectl describe printed it', () => {
  const gc: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: {
      name: 'envoy',
      creationTimestamp: '2026-01-05T23:02:20Z',
      finalizers: ['gateway-exists-finalizer.gateway.networking.k8s.io'],
      generation: 1,
      resourceVersion: '3157914',
      uid: '2b42919b-9d4d-4825-97db-04f6aa78a357',
      managedFields: [{ manager: 'kubectl' }],
    },
    spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    status: {
      conditions: [
        { lastTransitionTime: '2026-01-05T23:02:21Z', message: 'Valid GatewayClass', observedGeneration: 1, reason: 'Accepted', status: 'True', type: 'Accepted' },
      ],
    },
  };
  const expected = [
    'Name:         envoy',
    'Namespace:    ',
    'Labels:       <none>',
    'Annotations:  <none>',
    'API Version:  gateway.networking.k8s.io/v1',
    'Kind:         GatewayClass',
    'Metadata:',
    '  Creation Timestamp:  2026-01-05T23:02:20Z',
    '  Finalizers:',
    '    gateway-exists-finalizer.gateway.networking.k8s.io',
    '  Generation:        1',
    '  Resource Version:  3157914',
    '  UID:               2b42919b-9d4d-4825-97db-04f6aa78a357',
    'Spec:',
    '  Controller Name:  gateway.envoyproxy.io/gatewayclass-controller',
    'Status:',
    '  Conditions:',
    '    Last Transition Time:  2026-01-05T23:02:21Z',
    '    Message:               Valid GatewayClass',
    '    Observed Generation:   1',
    '    Reason:                Accepted',
    '    Status:                True',
    '    Type:                  Accepted',
    'Events:                    <none>',
    '',
  ].join('\n');
  assert.equal(describeGeneric(gc), expected);
});

test("a CiliumEnvoyConfig shows its resources' Envoy field names as written and each status condition", () => {
  const cec: KubeObject = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumEnvoyConfig',
    metadata: { name: 'lb', namespace: 'default', labels: { app: 'x' }, annotations: { note: 'n' } },
    spec: {
      services: [{ name: 'helloworld', namespace: 'default' }],
      resources: [{ '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: 'default/helloworld', lb_policy: 'ROUND_ROBIN' }],
    },
    status: {
      conditions: [
        { type: 'Accepted', status: 'False', reason: 'InvalidConfig', message: 'spec.resources[0]: no listener' },
        { type: 'Programmed', status: 'False', reason: 'NotAccepted', message: 'the config was not accepted' },
      ],
    },
  };
  const expected = [
    'Name:         lb',
    'Namespace:    default',
    'Labels:       app=x',
    'Annotations:  note: n',
    'API Version:  cilium.io/v2',
    'Kind:         CiliumEnvoyConfig',
    'Metadata:',
    'Spec:',
    '  Resources:',
    '    @type:      type.googleapis.com/envoy.config.cluster.v3.Cluster',
    '    lb_policy:  ROUND_ROBIN',
    '    Name:       default/helloworld',
    '  Services:',
    '    Name:       helloworld',
    '    Namespace:  default',
    'Status:',
    '  Conditions:',
    '    Message:  spec.resources[0]: no listener',
    '    Reason:   InvalidConfig',
    '    Status:   False',
    '    Type:     Accepted',
    '    Message:  the config was not accepted',
    '    Reason:   NotAccepted',
    '    Status:   False',
    '    Type:     Programmed',
    'Events:       <none>',
    '',
  ].join('\n');
  assert.equal(describeGeneric(cec), expected);
});
