import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { isPodReady } from './kube-types.ts';
import { planRollout, rankForDeletion, resolveIntOrPercent } from './deployment-rollout.ts';
import type { RolloutInput } from './deployment-rollout.ts';

function pod(name: string, o: { ready?: boolean; phase?: string; created?: string; readySince?: string; node?: boolean } = {}): KubeObject {
  const ready = o.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec: o.node === false ? {} : { nodeName: 'weft-node' },
    status: {
      phase: o.phase ?? (ready ? 'Running' : 'Pending'),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: o.readySince ?? '2026-01-01T00:00:00Z' }],
    },
  };
}

test('intstr values resolve as the Deployment controller resolves them', () => {
  assert.equal(resolveIntOrPercent('25%', 2, true, 0), 1);
  assert.equal(resolveIntOrPercent('25%', 2, false, 0), 0);
  assert.equal(resolveIntOrPercent('50%', 5, false, 0), 2);
  assert.equal(resolveIntOrPercent(3, 10, true, 0), 3);
  assert.equal(resolveIntOrPercent(undefined, 10, true, 7), 7);
});

test('victims: unscheduled, then Pending, then not ready, then ready for less time, then newest', () => {
  const order = rankForDeletion([
    pod('old-ready', { readySince: '2026-01-01T00:00:00Z' }),
    pod('new-ready', { readySince: '2026-01-01T00:05:00Z' }),
    pod('unready', { ready: false, phase: 'Running' }),
    pod('pending', { ready: false }),
    pod('unscheduled', { ready: false, node: false }),
  ]).map((p) => p.metadata.name);
  assert.deepEqual(order, ['unscheduled', 'pending', 'unready', 'new-ready', 'old-ready']);
  const byAge = rankForDeletion([pod('a', { created: '2026-01-01T00:00:00Z' }), pod('b', { created: '2026-01-01T00:00:09Z' })]);
  assert.deepEqual(byAge.map((p) => p.metadata.name), ['b', 'a']);
});

test('replicas are honoured within one template', () => {
  const base = { strategy: 'RollingUpdate' as const, maxSurge: 1, maxUnavailable: 0, oldPods: [], isAvailable: isPodReady };
  assert.deepEqual(planRollout({ ...base, replicas: 3, newPods: [pod('a')] }), { create: 2, delete: [] });
  const down = planRollout({ ...base, replicas: 1, newPods: [pod('a'), pod('b', { ready: false })] });
  assert.deepEqual([down.create, down.delete.map((p) => p.metadata.name)], [0, ['b']]);
});

/** Plays a rolling update to the end, each new Pod becoming ready one step after it is created. */
function simulate(input: Omit<RolloutInput, 'newPods' | 'oldPods' | 'isAvailable'>, old: number): { steps: string[]; minReady: number; maxTotal: number } {
  let oldPods = Array.from({ length: old }, (_, i) => pod(`old-${i}`));
  let newPods: KubeObject[] = [];
  const steps: string[] = [];
  let minReady = Number.POSITIVE_INFINITY;
  let maxTotal = 0;
  let n = 0;
  for (let i = 0; i < 50; i++) {
    newPods = newPods.map((p) => pod(p.metadata.name));
    const step = planRollout({ ...input, newPods, oldPods, isAvailable: isPodReady });
    if (step.create === 0 && step.delete.length === 0) break;
    steps.push(`+${step.create} -${step.delete.length}`);
    const gone = new Set(step.delete.map((p) => p.metadata.name));
    oldPods = oldPods.filter((p) => !gone.has(p.metadata.name));
    newPods = newPods.filter((p) => !gone.has(p.metadata.name));
    for (let k = 0; k < step.create; k++) newPods.push(pod(`new-${n++}`, { ready: false }));
    const all = [...oldPods, ...newPods];
    minReady = Math.min(minReady, all.filter(isPodReady).length);
    maxTotal = Math.max(maxTotal, all.length);
  }
  assert.equal(oldPods.length, 0, 'the rollout finishes');
  assert.equal(newPods.length, input.replicas);
  return { steps, minReady, maxTotal };
}

test('a rolling update keeps within maxSurge and maxUnavailable', () => {
  const a = simulate({ replicas: 2, strategy: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 }, 2);
  assert.deepEqual(a.steps, ['+1 -0', '+0 -1', '+1 -0', '+0 -1']);
  assert.equal(a.minReady, 2);
  assert.equal(a.maxTotal, 3);
  const b = simulate({ replicas: 4, strategy: 'RollingUpdate', maxSurge: 1, maxUnavailable: 1 }, 4);
  assert.ok(b.minReady >= 3);
  assert.ok(b.maxTotal <= 5);
});

test('Recreate deletes every old Pod before creating new ones', () => {
  const step = planRollout({ replicas: 2, strategy: 'Recreate', maxSurge: 0, maxUnavailable: 0, newPods: [], oldPods: [pod('a'), pod('b')], isAvailable: isPodReady });
  assert.deepEqual([step.create, step.delete.length], [0, 2]);
  const next = planRollout({ replicas: 2, strategy: 'Recreate', maxSurge: 0, maxUnavailable: 0, newPods: [], oldPods: [], isAvailable: isPodReady });
  assert.equal(next.create, 2);
});

test('unavailable old Pods are removed first, even with no room to spare', () => {
  const step = planRollout({
    replicas: 2,
    strategy: 'RollingUpdate',
    maxSurge: 1,
    maxUnavailable: 0,
    newPods: [],
    oldPods: [pod('ok-1'), pod('ok-2'), pod('broken', { ready: false })],
    isAvailable: isPodReady,
  });
  assert.deepEqual(step.delete.map((p) => p.metadata.name), ['broken']);
});
