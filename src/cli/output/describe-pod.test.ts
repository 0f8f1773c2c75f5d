import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.ts';
import { describeProbe } from './describe-containers.ts';
import { describePod } from './describe-pod.ts';
import type { DescribeContext } from './describe-writer.ts';

/** kubectl prints times in the local zone; these tests pin it. */
const ctx = (offsetMinutes: number): DescribeContext => ({ now: new Date('2021-09-22T12:00:00Z'), utcOffsetMinutes: () => offsetMinutes });

const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

// An nginx Pod of a Deployment and `kubectl describe pod` of it on a real cluster (kubectl 1.22;
// Events replaced by the `<none>` weft prints, as it keeps no events).
test('a running Pod prints as kubectl describe printed it', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'nginx-6799fc88d8-c25s6',
      namespace: 'default',
      labels: { app: 'nginx', 'pod-template-hash': '6799fc88d8' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nginx-6799fc88d8', uid: 'u', controller: true }],
    },
    spec: {
      priority: 0,
      nodeName: 'node-1',
      containers: [{ name: 'nginx', image: 'nginx', volumeMounts: [{ name: 'default-token-b4d9n', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
      volumes: [{ name: 'default-token-b4d9n', secret: { secretName: 'default-token-b4d9n', defaultMode: 420 } }],
      tolerations: [UNREACHABLE, NOT_READY],
    },
    status: {
      phase: 'Running',
      hostIP: '172.16.201.135',
      podIP: '10.244.1.4',
      podIPs: [{ ip: '10.244.1.4' }],
      startTime: '2021-09-22T11:00:21Z',
      qosClass: 'BestEffort',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True' })),
      containerStatuses: [
        {
          name: 'nginx',
          containerID: 'docker://5cf5621c44344d802efb5d3c565aeaf98ce7f67732c009a10d798bf9919737d4',
          imageID: 'docker-pullable://nginx@sha256:853b221d3341add7aaadf5f81dd088ea943ab9c918766e295321294b035f3f3e',
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: '2021-09-22T11:00:55Z' } },
        },
      ],
    },
  };
  const expected = [
    'Name:         nginx-6799fc88d8-c25s6',
    'Namespace:    default',
    'Priority:     0',
    'Node:         node-1/172.16.201.135',
    'Start Time:   Wed, 22 Sep 2021 19:00:21 +0800',
    'Labels:       app=nginx',
    '              pod-template-hash=6799fc88d8',
    'Annotations:  <none>',
    'Status:       Running',
    'IP:           10.244.1.4',
    'IPs:',
    '  IP:           10.244.1.4',
    'Controlled By:  ReplicaSet/nginx-6799fc88d8',
    'Containers:',
    '  nginx:',
    '    Container ID:   docker://5cf5621c44344d802efb5d3c565aeaf98ce7f67732c009a10d798bf9919737d4',
    '    Image:          nginx',
    '    Image ID:       docker-pullable://nginx@sha256:853b221d3341add7aaadf5f81dd088ea943ab9c918766e295321294b035f3f3e',
    '    Port:           <none>',
    '    Host Port:      <none>',
    '    State:          Running',
    '      Started:      Wed, 22 Sep 2021 19:00:55 +0800',
    '    Ready:          True',
    '    Restart Count:  0',
    '    Environment:    <none>',
    '    Mounts:',
    '      /var/run/secrets/kubernetes.io/serviceaccount from default-token-b4d9n (ro)',
    'Conditions:',
    '  Type              Status',
    '  Initialized       True ',
    '  Ready             True ',
    '  ContainersReady   True ',
    '  PodScheduled      True ',
    'Volumes:',
    '  default-token-b4d9n:',
    '    Type:        Secret (a volume populated by a Secret)',
    '    SecretName:  default-token-b4d9n',
    '    Optional:    false',
    'QoS Class:       BestEffort',
    'Node-Selectors:  <none>',
    'Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
    '                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
    'Events:          <none>',
    '',
  ].join('\n');
  assert.equal(describePod(pod, ctx(480)), expected);
});

// What controllers/pod-status.ts writes for a Pod whose image weft does not know.
test('a Pending Pod weft cannot run shows its reason and message, and the container waits with the reason', () => {
  const message = 'weft cannot run example.com/acme/mystery:1.2: not a built-in app or client image.';
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'mystery', namespace: 'default' },
    spec: {
      nodeName: 'weft-node',
      containers: [{ name: 'main', image: 'example.com/acme/mystery:1.2', ports: [{ containerPort: 8080 }, { containerPort: 8443, protocol: 'TCP' }] }],
    },
    status: {
      phase: 'Pending',
      reason: 'UnsupportedImage',
      message,
      hostIP: '127.0.0.1',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      ],
      containerStatuses: [
        { name: 'main', image: 'example.com/acme/mystery:1.2', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'UnsupportedImage', message } } },
      ],
    },
  };
  const out = describePod(pod, ctx(0));
  assert.match(out, /^Status:\s+Pending\nReason:\s+UnsupportedImage\nMessage:\s+weft cannot run example\.com\/acme\/mystery:1\.2: not a built-in app or client image\.\n/m);
  assert.match(out, /^IP: {11}\nIPs: {10}<none>\n/m);
  assert.match(out, /^ {4}Ports:\s+8080\/TCP, 8443\/TCP\n {4}Host Ports:\s+0\/TCP, 0\/TCP\n/m);
  assert.match(out, /^ {4}State:\s+Waiting\n {6}Reason:\s+UnsupportedImage\n {4}Ready:\s+False\n/m);
  assert.match(out, /^ {2}Ready\s+False \n/m);
  assert.doesNotMatch(out, /Start Time:/);
  assert.match(out, /^QoS Class:\s+BestEffort\n/m);
});

test("environment from the Pod's fields, secrets and resources; probes; commands; QoS from resources", () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pod-info', namespace: 'development', labels: { app: 'pod-info' } },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'app',
          command: ['sh', '-c'],
          args: ['echo a\necho b'],
          resources: { limits: { cpu: '500m', memory: '128Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
          livenessProbe: { tcpSocket: { port: 8080 } },
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
            { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
          ],
          volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg', subPath: 'app.conf' }],
        },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'app-config' } }],
    },
    status: { phase: 'Pending' },
  };
  const lines = describePod(pod, ctx(0)).split('\n');
  const from = lines.indexOf('    Command:');
  assert.deepEqual(lines.slice(from, from + 7), ['    Command:', '      sh', '      -c', '    Args:', '      echo a', '      echo b', '    Limits:']);
  // The resource lines share their column with the probe lines after them, as in kubectl's output.
  assert.ok(lines.includes('      cpu:      500m'), lines.join('\n'));
  assert.ok(lines.includes('      memory:   128Mi'));
  assert.ok(lines.includes('    Liveness:   tcp-socket :8080 delay=0s timeout=1s period=10s #success=1 #failure=3'), lines.join('\n'));
  assert.ok(lines.includes('    Readiness:  http-get http://:8080/healthz delay=0s timeout=1s period=5s #success=1 #failure=3'));
  const env = lines.indexOf('    Environment:');
  assert.deepEqual(lines.slice(env + 1, env + 8), [
    '      POD_NAME:       pod-info (v1:metadata.name)',
    '      POD_NAMESPACE:  development (v1:metadata.namespace)',
    '      POD_IP:          (v1:status.podIP)',
    "      APP:            pod-info (v1:metadata.labels['app'])",
    "      TOKEN:          <set to the key 'k' in secret 's'>  Optional: false",
    '      MEM:            128 (limits.memory)',
    '      CPU:            1 (requests.cpu)',
  ]);
  assert.ok(lines.includes('      /etc/cfg from cfg (rw,path="app.conf")'));
  assert.ok(lines.includes('    Type:        ConfigMap (a volume populated by a ConfigMap)'));
  // Limits alone default the requests, so cpu and memory limits make the Pod Guaranteed.
  assert.ok(lines.some((l) => /^QoS Class:\s+Guaranteed$/.test(l)));
});

test('probes print as kubectl DescribeProbe', () => {
  assert.equal(describeProbe({ exec: { command: ['cat', '/tmp/ok'] }, initialDelaySeconds: 5 }), 'exec [cat /tmp/ok] delay=5s timeout=1s period=10s #success=1 #failure=3');
  assert.equal(describeProbe({ httpGet: { port: 'http', path: '/', scheme: 'HTTPS', host: 'h' } }), 'http-get https://h:http/ delay=0s timeout=1s period=10s #success=1 #failure=3');
  assert.equal(describeProbe({ grpc: { port: 9000 } }), 'grpc <pod>:9000  delay=0s timeout=1s period=10s #success=1 #failure=3');
});
