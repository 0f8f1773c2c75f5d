import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { buildDeploymentStatus } from './deployment-status.ts';
import type { DeploymentStatusInput } from './deployment-status.ts';

const T0 = new Date('2026-01-02T03:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function input(d: KubeObject, o: Partial<DeploymentStatusInput>): DeploymentStatusInput {
  return {
    deployment: d,
    desired: 2,
    maxUnavailable: 0,
    total: 0,
    updated: 0,
    ready: 0,
    available: 0,
    replicaSetName: 'web-abc',
    createdNew: false,
    paused: false,
    progressDeadlineSeconds: 600,
    now: T0,
    ...o,
  };
}

const deploy = (status?: unknown): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 3 }, status });
const cond = (s: any, type: string) => s.conditions.find((c: any) => c.type === type);

test('a new rollout: created, progressing, then complete; zero counts left out', () => {
  const first = buildDeploymentStatus(input(deploy(), { total: 2, updated: 2, createdNew: true }));
  assert.deepEqual(first.status.replicas, 2);
  assert.equal(first.status.readyReplicas, undefined);
  assert.equal(first.status.unavailableReplicas, 2);
  assert.equal(first.status.observedGeneration, 3);
  assert.deepEqual([cond(first.status, 'Available').status, cond(first.status, 'Available').reason], ['False', 'MinimumReplicasUnavailable']);
  assert.deepEqual([cond(first.status, 'Progressing').reason, cond(first.status, 'Progressing').message], ['NewReplicaSetCreated', 'Created new replica set "web-abc"']);
  assert.equal(first.recheckAfterMs, 600_000);

  const second = buildDeploymentStatus(input(deploy(first.status), { total: 2, updated: 2, ready: 1, available: 1, now: at(5) }));
  assert.equal(cond(second.status, 'Progressing').reason, 'ReplicaSetUpdated');
  assert.equal(cond(second.status, 'Progressing').lastUpdateTime, '2026-01-02T03:00:05Z');
  assert.equal(cond(second.status, 'Progressing').lastTransitionTime, '2026-01-02T03:00:00Z', 'status stayed True');

  const done = buildDeploymentStatus(input(deploy(second.status), { total: 2, updated: 2, ready: 2, available: 2, now: at(9) }));
  assert.deepEqual(
    done.status.conditions?.map((c) => [c.type, c.status, c.reason, c.lastTransitionTime]),
    [
      ['Available', 'True', 'MinimumReplicasAvailable', '2026-01-02T03:00:09Z'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', '2026-01-02T03:00:00Z'],
    ],
  );
  assert.equal(done.recheckAfterMs, undefined);
  const again = buildDeploymentStatus(input(deploy(done.status), { total: 2, updated: 2, ready: 2, available: 2, now: at(60) }));
  assert.deepEqual(again.status, done.status, 'nothing changes, so nothing is written');
});

test('no progress for progressDeadlineSeconds: ProgressDeadlineExceeded', () => {
  const stuck = buildDeploymentStatus(input(deploy(), { total: 2, updated: 2, createdNew: true }));
  const early = buildDeploymentStatus(input(deploy(stuck.status), { total: 2, updated: 2, now: at(100) }));
  assert.equal(cond(early.status, 'Progressing').reason, 'NewReplicaSetCreated');
  assert.equal(early.recheckAfterMs, 500_000);
  const late = buildDeploymentStatus(input(deploy(early.status), { total: 2, updated: 2, now: at(600) }));
  assert.deepEqual(
    [cond(late.status, 'Progressing').status, cond(late.status, 'Progressing').reason, cond(late.status, 'Progressing').message],
    ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-abc" has timed out progressing.'],
  );
});

test('a paused Deployment says so', () => {
  const s = buildDeploymentStatus(input(deploy(), { paused: true, total: 2, updated: 1 }));
  assert.deepEqual([cond(s.status, 'Progressing').status, cond(s.status, 'Progressing').reason], ['Unknown', 'DeploymentPaused']);
});
