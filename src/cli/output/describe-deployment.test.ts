import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.ts';
import { describeDeployment } from './describe-deployment.ts';
import type { DescribeContext } from './describe-writer.ts';

const CTX: DescribeContext = { now: new Date('2017-11-30T11:00:00Z'), utcOffsetMinutes: () => 0 };

// The nginx Deployment of the Kubernetes documentation ("kubectl describe deployments"), in the
// layout kubectl prints, with the status weft's Deployment controller writes.
test('a Deployment prints as kubectl describe prints it', () => {
  const d: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'nginx-deployment',
      namespace: 'default',
      creationTimestamp: '2017-11-30T10:56:25Z',
      labels: { app: 'nginx' },
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.16.1', ports: [{ containerPort: 80 }] }] },
      },
    },
    status: {
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
  const expected = [
    'Name:                   nginx-deployment',
    'Namespace:              default',
    'CreationTimestamp:      Thu, 30 Nov 2017 10:56:25 +0000',
    'Labels:                 app=nginx',
    'Annotations:            deployment.kubernetes.io/revision: 2',
    'Selector:               app=nginx',
    'Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable',
    'StrategyType:           RollingUpdate',
    'MinReadySeconds:        0',
    'RollingUpdateStrategy:  25% max unavailable, 25% max surge',
    'Pod Template:',
    '  Labels:  app=nginx',
    '  Containers:',
    '   nginx:',
    '    Image:         nginx:1.16.1',
    '    Port:          80/TCP',
    '    Host Port:     0/TCP',
    '    Environment:   <none>',
    '    Mounts:        <none>',
    '  Volumes:         <none>',
    '  Node-Selectors:  <none>',
    '  Tolerations:     <none>',
    'Conditions:',
    '  Type           Status  Reason',
    '  ----           ------  ------',
    '  Available      True    MinimumReplicasAvailable',
    '  Progressing    True    NewReplicaSetAvailable',
    'OldReplicaSets:  <none>',
    'NewReplicaSet:   <none>',
    'Events:          <none>',
    '',
  ].join('\n');
  assert.equal(describeDeployment(d, CTX), expected);
});

test('Recreate has no rolling-update line; unset replicas read as 1; template annotations, env and selector expressions', () => {
  const d: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'client', namespace: 'ns1', creationTimestamp: '2017-11-30T10:56:25Z' },
    spec: {
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { name: 'client' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
      template: {
        metadata: { labels: { name: 'client' }, annotations: { 'weft.dev/address': '127.0.0.1:9000' } },
        spec: {
          serviceAccountName: 'client',
          containers: [{ name: 'client', image: 'curl', command: ['sleep', 'infinity'], env: [{ name: 'A', value: 'b' }] }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
        },
      },
    },
    status: {},
  };
  const lines = describeDeployment(d, CTX).split('\n');
  assert.ok(lines.includes('Selector:           name=client,tier in (a,b)'), lines.join('\n'));
  assert.ok(lines.includes('Replicas:           1 desired | 0 updated | 0 total | 0 available | 0 unavailable'));
  assert.ok(lines.includes('StrategyType:       Recreate'));
  assert.ok(!lines.some((l) => l.startsWith('RollingUpdateStrategy')));
  assert.ok(lines.includes('  Annotations:      weft.dev/address: 127.0.0.1:9000'), lines.join('\n'));
  assert.ok(lines.includes('  Service Account:  client'));
  assert.ok(lines.some((l) => /^ {6}A: +b$/.test(l)));
  assert.ok(lines.some((l) => /^ {2}Node-Selectors: +kubernetes\.io\/os=linux$/.test(l)));
  assert.ok(!lines.includes('Conditions:'));
});
