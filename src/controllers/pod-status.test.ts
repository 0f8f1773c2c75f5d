import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { buildPodStatus } from './pod-status.ts';

const pod = (status?: unknown): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', uid: 'u1' },
  spec: { containers: [{ name: 'web', image: 'nginx' }, { name: 'dns', image: 'coredns/coredns' }] },
  status,
});

test('creating: Pending, ContainerCreating, IPs set, not ready', () => {
  const s = buildPodStatus(pod(), { podIP: '127.244.0.5', state: { kind: 'creating' }, now: '2026-01-02T03:04:05Z' }) as any;
  assert.equal(s.phase, 'Pending');
  assert.deepEqual([s.hostIP, s.podIP, s.podIPs], ['127.0.0.1', '127.244.0.5', [{ ip: '127.244.0.5' }]]);
  assert.deepEqual(s.containerStatuses.map((c: any) => [c.name, c.state.waiting.reason, c.ready]), [
    ['dns', 'ContainerCreating', false],
    ['web', 'ContainerCreating', false],
  ]);
  const ready = s.conditions.find((c: any) => c.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'ContainersNotReady', 'containers with unready status: [dns web]']);
  assert.equal(s.startTime, '2026-01-02T03:04:05Z');
});

test('running keeps startTime and transition times of unchanged conditions; skipped containers noted', () => {
  const before = buildPodStatus(pod(), { podIP: '127.244.0.5', state: { kind: 'creating' }, now: '2026-01-02T03:04:05Z' });
  const s = buildPodStatus(pod(before), {
    podIP: '127.244.0.5',
    state: { kind: 'running', runtime: 'app', skipped: [{ name: 'dns', image: 'coredns/coredns', message: 'not run' }] },
    now: '2026-01-02T03:04:09Z',
  }) as any;
  assert.equal(s.phase, 'Running');
  assert.equal(s.startTime, '2026-01-02T03:04:05Z');
  const byType = Object.fromEntries(s.conditions.map((c: any) => [c.type, c]));
  assert.equal(byType.PodScheduled.lastTransitionTime, '2026-01-02T03:04:05Z');
  assert.equal(byType.Ready.lastTransitionTime, '2026-01-02T03:04:09Z');
  assert.equal(byType['weft.dev/ContainersSkipped'].message, 'dns (coredns/coredns): not run');
  assert.equal(s.message, 'not run by weft: dns (coredns/coredns)');
  assert.equal(s.reason, undefined);
  assert.deepEqual(s.containerStatuses.map((c: any) => [c.name, c.ready, c.containerID]), [
    ['dns', true, undefined],
    ['web', true, 'weft://u1/web'],
  ]);
  const later = buildPodStatus(pod(s), { podIP: '127.244.0.5', state: { kind: 'running', runtime: 'app', skipped: [] }, now: '2026-01-02T05:00:00Z' }) as any;
  assert.equal(later.containerStatuses[1].state.running.startedAt, '2026-01-02T03:04:09Z');
});

test('unsupported: Pending with the reason and message on every container', () => {
  const s = buildPodStatus(pod(), { podIP: '', state: { kind: 'unsupported', reason: 'UnsupportedImage', message: 'do X' }, now: '2026-01-02T03:04:05Z' }) as any;
  assert.equal(s.phase, 'Pending');
  assert.deepEqual([s.reason, s.message], ['UnsupportedImage', 'do X'], 'what `weft get pods` STATUS shows');
  assert.equal(s.podIP, undefined);
  assert.deepEqual(s.containerStatuses[0].state, { waiting: { reason: 'UnsupportedImage', message: 'do X' } });
});
