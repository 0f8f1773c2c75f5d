import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { classifyPod, parsePodAddress } from './pod-runtime.ts';
import { FakePodRuntime, imageRepository } from './test-support.ts';

const pod = (annotations?: Record<string, string>, image = 'nginx'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', annotations },
  spec: { containers: [{ name: 'c', image }] },
});

test('weft.dev/address takes IP or IP:PORT', () => {
  assert.deepEqual(parsePodAddress(pod()), { ok: true, address: undefined });
  assert.deepEqual(parsePodAddress(pod({ 'weft.dev/address': '127.0.0.1' })), { ok: true, address: { ip: '127.0.0.1' } });
  assert.deepEqual(parsePodAddress(pod({ 'weft.dev/address': ' 127.0.0.1:3000 ' })), { ok: true, address: { ip: '127.0.0.1', port: 3000 } });
  for (const bad of ['localhost:3000', '127.0.0.1:0', '127.0.0.1:70000', '::1', '']) {
    const r = parsePodAddress(pod({ 'weft.dev/address': bad }));
    assert.ok(!r.ok, bad);
  }
});

test('the annotation wins over the runtime; a bad one keeps the Pod Pending with a reason', () => {
  const rt = new FakePodRuntime();
  assert.deepEqual(classifyPod(rt, pod({ 'weft.dev/address': '127.0.0.1:8080' })), { kind: 'external', address: { ip: '127.0.0.1', port: 8080 } });
  assert.equal(classifyPod(rt, pod()).kind, 'app');
  assert.equal(classifyPod(rt, pod(undefined, 'nicolaka/netshoot')).kind, 'client-only');
  const bad = classifyPod(rt, pod({ 'weft.dev/address': 'here' }));
  assert.deepEqual([bad.kind, bad.kind === 'unsupported' && bad.reason], ['unsupported', 'InvalidAddress']);
});

test('image repositories ignore registry, tag and digest', () => {
  assert.equal(imageRepository('docker.io/istio/examples-bookinfo-reviews-v2:1.20.1'), 'istio/examples-bookinfo-reviews-v2');
  assert.equal(imageRepository('localhost:5000/app@sha256:abc'), 'app');
  assert.equal(imageRepository('nginx'), 'nginx');
});
