/**
 * A Deployment's status as the Deployment controller reports it (pkg/controller/deployment/
 * sync.go and progress.go): replica counts (zeros left out, as the API omits them), the Available
 * condition (at least replicas − maxUnavailable available) and the Progressing condition
 * (NewReplicaSetCreated → ReplicaSetUpdated on each bit of progress → NewReplicaSetAvailable when
 * complete, or ProgressDeadlineExceeded after progressDeadlineSeconds without progress). Pure.
 *
 * weft has no ReplicaSet objects: the Pods of one template stand for one, and messages name it
 * `<deployment>-<pod-template-hash>`, the name it would have (and the prefix of its Pods' names).
 */
import type { KubeObject } from '../api/object.ts';
import { rfc3339 } from './clock.ts';
import { findCondition } from './conditions.ts';

export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export interface DeploymentCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly lastUpdateTime: string;
  readonly lastTransitionTime: string;
  readonly reason: string;
  readonly message: string;
}

export interface DeploymentStatus {
  readonly observedGeneration?: number;
  readonly replicas?: number;
  readonly updatedReplicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly unavailableReplicas?: number;
  readonly conditions?: readonly DeploymentCondition[];
  readonly collisionCount?: number;
}

export interface DeploymentStatusInput {
  readonly deployment: KubeObject;
  /** spec.replicas (default 1). */
  readonly desired: number;
  readonly maxUnavailable: number;
  /** Counts over the Deployment's Pods after this step. */
  readonly total: number;
  readonly updated: number;
  readonly ready: number;
  readonly available: number;
  /** The notional ReplicaSet of the current template: `<name>-<hash>`. */
  readonly replicaSetName: string;
  /** This step created the first Pod of a new template. */
  readonly createdNew: boolean;
  readonly paused: boolean;
  readonly progressDeadlineSeconds: number;
  readonly now: Date;
}

export interface DeploymentStatusResult {
  readonly status: DeploymentStatus;
  /** When the progress deadline is next due to be checked, if it is running. */
  readonly recheckAfterMs?: number;
}

function condition(prev: DeploymentCondition | undefined, next: Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>, now: string, touch: boolean): DeploymentCondition {
  const same = prev !== undefined && prev.status === next.status;
  if (same && prev.reason === next.reason && !touch) return { ...prev, message: next.message };
  return {
    ...next,
    lastUpdateTime: now,
    lastTransitionTime: same && prev.lastTransitionTime ? prev.lastTransitionTime : now,
  };
}

function progressed(prev: DeploymentStatus, input: DeploymentStatusInput): boolean {
  const oldBefore = (prev.replicas ?? 0) - (prev.updatedReplicas ?? 0);
  const oldNow = input.total - input.updated;
  return (
    input.updated > (prev.updatedReplicas ?? 0) ||
    input.ready > (prev.readyReplicas ?? 0) ||
    input.available > (prev.availableReplicas ?? 0) ||
    oldNow < oldBefore
  );
}

function progressing(prevStatus: DeploymentStatus, input: DeploymentStatusInput, now: string): { cond: DeploymentCondition; recheckAfterMs?: number } {
  const prev = findCondition(prevStatus.conditions, 'Progressing');
  const rs = input.replicaSetName;
  if (input.paused) {
    return { cond: condition(prev, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now, false) };
  }
  const complete = input.updated === input.desired && input.available === input.desired && input.total === input.desired;
  if (complete) {
    return { cond: condition(prev, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs}" has successfully progressed.` }, now, false) };
  }
  if (input.createdNew) {
    return { cond: condition(prev, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rs}"` }, now, true), recheckAfterMs: input.progressDeadlineSeconds * 1000 };
  }
  if (prev === undefined || progressed(prevStatus, input)) {
    return { cond: condition(prev, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs}" is progressing.` }, now, true), recheckAfterMs: input.progressDeadlineSeconds * 1000 };
  }
  if (prev.status === 'False') return { cond: prev };
  const due = Date.parse(prev.lastUpdateTime) + input.progressDeadlineSeconds * 1000 - input.now.getTime();
  if (due > 0) return { cond: prev, recheckAfterMs: due };
  return { cond: condition(prev, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs}" has timed out progressing.` }, now, false) };
}

export function buildDeploymentStatus(input: DeploymentStatusInput): DeploymentStatusResult {
  const prevStatus = (input.deployment.status ?? {}) as DeploymentStatus;
  const now = rfc3339(input.now);
  const minAvailable = input.desired - input.maxUnavailable;
  const available = condition(
    findCondition(prevStatus.conditions, 'Available'),
    input.available >= minAvailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    now,
    false,
  );
  const prog = progressing(prevStatus, input, now);
  const status: Record<string, unknown> = { observedGeneration: input.deployment.metadata.generation };
  const counts: [string, number][] = [
    ['replicas', input.total],
    ['updatedReplicas', input.updated],
    ['readyReplicas', input.ready],
    ['availableReplicas', input.available],
    ['unavailableReplicas', Math.max(0, input.desired - input.available)],
  ];
  for (const [k, v] of counts) if (v > 0) status[k] = v;
  status.conditions = [available, prog.cond];
  if (prevStatus.collisionCount !== undefined) status.collisionCount = prevStatus.collisionCount;
  return { status: status as DeploymentStatus, recheckAfterMs: prog.recheckAfterMs };
}
