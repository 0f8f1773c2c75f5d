import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { AppPodRuntime } from './app-pod-runtime.ts';

function pod(name: string, image: string, port: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers: [{ name: 'c', image, ports: [{ containerPort: port }] }] },
  } as KubeObject;
}

test('classify: built-in app, client-only, unsupported', () => {
  const rt = new AppPodRuntime({ store: () => undefined });
  assert.equal(rt.classify(pod('a', 'docker.io/istio/examples-helloworld-v1', 5000)).kind, 'app');
  assert.equal(rt.classify(pod('b', 'quay.io/cilium/alpine-curl:v1.5.0', 80)).kind, 'client-only');
  const u = rt.classify(pod('c', 'example.com/mystery:1', 80));
  assert.equal(u.kind, 'unsupported');
});

test('start runs the app on the Pod IP; stop closes it', async () => {
  const rt = new AppPodRuntime({ store: () => undefined });
  const p = pod('hello-1', 'docker.io/istio/examples-helloworld-v2', 0);
  // Port 0 is not a valid containerPort in Kubernetes, but picks a free port here for the test.
  await rt.start(p, '127.0.0.1');
  assert.equal(rt.runningPods, 1);
  await rt.stop(p);
  assert.equal(rt.runningPods, 0);
});

test('an app that cannot bind its port fails with a message naming the address', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const rt = new AppPodRuntime({ store: () => undefined });
    await assert.rejects(rt.start(pod('hello-2', 'docker.io/istio/examples-helloworld-v1', port), '127.0.0.1'), (e: Error) => {
      assert.match(e.message, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use`));
      return true;
    });
    assert.equal(rt.runningPods, 0);
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});
