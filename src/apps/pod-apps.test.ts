import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planPodApps, startPodApps } from './pod-apps.ts';
import { containerEnv, containerFiles, type PodLike, type VolumeLookup } from './pod-env.ts';

// Cilium's test-application.yaml echo-service-1 Pod: json-mock next to a coredns sidecar.
const echoPod: PodLike = {
  metadata: { name: 'echo-service-1-867d69c679-t9v4v', namespace: 'default', labels: { kind: 'echo', name: 'echo-service-1' } },
  spec: {
    containers: [
      { name: 'echo-service-1', image: 'quay.io/cilium/json-mock:v1.3.2@sha256:bc6c46c74efadb135bc996c2467cece6989302371ef4e3f068361460abaf39be', env: [{ name: 'PORT', value: '8080' }], ports: [{ containerPort: 8080, protocol: 'TCP' }] },
      { name: 'dns-test-server', image: 'coredns/coredns:1.9.3', args: ['-conf', '/etc/coredns/Corefile'], ports: [{ containerPort: 53, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }] },
    ],
  },
};

test('an app next to an unknown sidecar: the app runs, the sidecar is skipped with a message', () => {
  const plan = planPodApps(echoPod);
  assert.equal(plan.kind, 'app');
  assert.ok(plan.kind === 'app');
  assert.deepEqual(plan.apps.map((a) => [a.container, a.spec.app, a.ports]), [['echo-service-1', 'json-mock', [8080]]]);
  assert.deepEqual(plan.skipped.map((s) => s.name), ['dns-test-server']);
  assert.match(plan.skipped[0].message, /coredns\/coredns:1\.9\.3 is not one weft runs/);
});

test('clients, image defaults for undeclared ports, and unknown Pods', () => {
  const client = planPodApps({ metadata: { name: 'client-1' }, spec: { containers: [{ name: 'client', image: 'quay.io/cilium/alpine-curl:v1.5.0', command: ['/bin/ash', '-c', 'sleep 10000000'] }] } });
  assert.equal(client.kind, 'client-only');
  const httpbin = planPodApps({ metadata: { name: 'httpbin-1' }, spec: { containers: [{ name: 'httpbin', image: 'docker.io/kong/httpbin' }] } });
  assert.ok(httpbin.kind === 'app');
  assert.deepEqual(httpbin.apps[0].ports, [80]);
  const unknown = planPodApps({ metadata: { name: 'x' }, spec: { containers: [{ name: 'grpc-echo', image: 'ghcr.io/projectcontour/yages:v0.1.0' }] } });
  assert.ok(unknown.kind === 'unsupported');
  assert.equal(unknown.reason, 'UnsupportedImage');
  assert.match(unknown.message, /weft\.dev\/address/);
});

const CFG: Record<string, string> = { mode: 'fast' };
const SEC: Record<string, Buffer> = { token: Buffer.from('s3cret') };

test('env: values with $(VAR) expansion, fieldRefs, ConfigMap/Secret refs and HOSTNAME', () => {
  const pod: PodLike = { metadata: { name: 'echo-5f6d', namespace: 'ns1', labels: { app: 'echo' } }, spec: { nodeName: 'weft' } };
  const env = containerEnv(
    {
      name: 'echo',
      env: [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'GREETING', value: 'hi $(POD_NAME) $$(POD_NAME) $(MISSING)' },
        { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
        { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'sec', key: 'token' } } },
      ],
      envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg' } }],
    },
    pod,
    '127.244.0.7',
    (kind, name) => (kind === 'ConfigMap' && name === 'cfg' ? CFG : kind === 'Secret' && name === 'sec' ? SEC : undefined),
  );
  assert.deepEqual(env, {
    HOSTNAME: 'echo-5f6d',
    CFG_mode: 'fast',
    POD_NAME: 'echo-5f6d',
    POD_NAMESPACE: 'ns1',
    POD_IP: '127.244.0.7',
    NODE_NAME: 'weft',
    APP: 'echo',
    GREETING: 'hi echo-5f6d $(POD_NAME) $(MISSING)',
    FROM_CM: 'fast',
    FROM_SECRET: 's3cret',
  });
});

test('files: the seed\'s nginx ConfigMap and Secret mounts, items and subPath', () => {
  const pod: PodLike = {
    metadata: { name: 'my-nginx-1' },
    spec: {
      volumes: [
        { name: 'nginx-config', configMap: { name: 'nginx-configmap' } },
        { name: 'nginx-server-certs', secret: { secretName: 'demo-cert' } },
        { name: 'picked', configMap: { name: 'nginx-configmap', items: [{ key: 'nginx.conf', path: 'sub/n.conf' }] } },
      ],
    },
  };
  const configMap: Record<string, string> = { 'nginx.conf': 'events { }' };
  const secret: Record<string, string> = { 'tls.crt': 'CERT', 'tls.key': 'KEY' };
  const lookup: VolumeLookup = (kind, name) =>
    kind === 'ConfigMap' && name === 'nginx-configmap' ? configMap : kind === 'Secret' && name === 'demo-cert' ? secret : undefined;
  const files = containerFiles(
    {
      name: 'my-nginx',
      volumeMounts: [
        { name: 'nginx-config', mountPath: '/etc/nginx' },
        { name: 'nginx-server-certs', mountPath: '/etc/nginx-server-certs' },
        { name: 'picked', mountPath: '/opt' },
        { name: 'nginx-config', mountPath: '/srv/only.conf', subPath: 'nginx.conf' },
      ],
    },
    pod,
    lookup,
  );
  assert.deepEqual(Object.fromEntries(files), {
    '/etc/nginx/nginx.conf': 'events { }',
    '/etc/nginx-server-certs/tls.crt': 'CERT',
    '/etc/nginx-server-certs/tls.key': 'KEY',
    '/opt/sub/n.conf': 'events { }',
    '/srv/only.conf': 'events { }',
  });
});

test('startPodApps runs the Pod\'s apps on its IP with the resolved env; a failure closes what started', async () => {
  const plan = planPodApps({
    metadata: { name: 'backend-1', namespace: 'gw' },
    spec: { containers: [{ name: 'backend', image: 'gcr.io/k8s-staging-gateway-api/echo-basic:v1', ports: [{ containerPort: 0 }], env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] },
  });
  assert.ok(plan.kind === 'app');
  const pod: PodLike = { metadata: { name: 'backend-1', namespace: 'gw' }, spec: { containers: [{ name: 'backend', image: 'x', env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] } };
  const running = await startPodApps(pod, plan.apps, { podIP: '127.0.0.1' });
  try {
    const doc = (await (await fetch(`http://127.0.0.1:${running.ports[0]}/`)).json()) as Record<string, string>;
    assert.equal(doc.pod, 'backend-1');
    assert.equal(doc.namespace, 'gw');
  } finally {
    await running.close();
  }
  await assert.rejects(startPodApps(pod, [{ ...plan.apps[0], container: 'missing' }], { podIP: '127.0.0.1' }), /container missing is not in the Pod/);
});
