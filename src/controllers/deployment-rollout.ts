/**
 * What a Deployment's next step is, given its Pods: how many Pods of the current template to
 * create and which Pods to delete. Pure. It follows the Deployment controller's arithmetic
 * (pkg/controller/deployment/rolling.go, recreate.go), with each template's Pods standing in for
 * that template's ReplicaSet:
 * - RollingUpdate: scale the new Pods up while the total stays within replicas + maxSurge; scale
 *   old Pods down while at least replicas − maxUnavailable stay available, removing unavailable
 *   old Pods first. Scale-up and scale-down happen in separate steps, as Kubernetes does, so a step
 *   never both creates and deletes.
 * - Recreate: delete every old Pod, then create the new ones.
 * - Within one template, replicas are honoured by creating Pods or deleting surplus ones, the ones
 *   that matter least first (`rankForDeletion`).
 */
import type { KubeObject } from '../api/object.ts';
import { isPodReady, podSpecOf, podStatusOf } from './kube-types.ts';

export interface RolloutInput {
  readonly replicas: number;
  readonly strategy: 'RollingUpdate' | 'Recreate';
  /** Resolved against replicas (resolveIntOrPercent). */
  readonly maxSurge: number;
  readonly maxUnavailable: number;
  /** Pods of the current template, and of any older one. */
  readonly newPods: readonly KubeObject[];
  readonly oldPods: readonly KubeObject[];
  /** Ready for at least minReadySeconds. */
  readonly isAvailable: (pod: KubeObject) => boolean;
}

export interface RolloutStep {
  readonly create: number;
  readonly delete: readonly KubeObject[];
}

/**
 * An intstr (`3` or `"25%"`) resolved against `total`: percentages round up for maxSurge and down
 * for maxUnavailable, as intstr.GetScaledValueFromIntOrPercent is called in the controller.
 */
export function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.trunc(value));
  if (typeof value === 'string') {
    const m = /^(\d+)%$/.exec(value);
    if (m) {
      const scaled = (Number(m[1]) * total) / 100;
      return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
    }
    if (/^\d+$/.test(value)) return Number(value);
  }
  return fallback;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readySince(pod: KubeObject): string {
  return podStatusOf(pod).conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime ?? '';
}

/**
 * Pods in the order to delete them (controller.ActivePods, reversed): unscheduled before
 * scheduled, Pending before Running, not ready before ready, ready for less time before longer,
 * newer before older; then by name, for a stable order.
 */
export function rankForDeletion(pods: readonly KubeObject[]): KubeObject[] {
  const key = (p: KubeObject) => ({
    scheduled: podSpecOf(p).nodeName ? 1 : 0,
    phase: PHASE_RANK[podStatusOf(p).phase ?? 'Pending'] ?? 0,
    ready: isPodReady(p) ? 1 : 0,
    readySince: readySince(p),
    created: p.metadata.creationTimestamp ?? '',
    name: p.metadata.name,
  });
  return [...pods].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x.scheduled !== y.scheduled) return x.scheduled - y.scheduled;
    if (x.phase !== y.phase) return x.phase - y.phase;
    if (x.ready !== y.ready) return x.ready - y.ready;
    if (x.ready === 1 && x.readySince !== y.readySince) return x.readySince > y.readySince ? -1 : 1;
    if (x.created !== y.created) return x.created > y.created ? -1 : 1;
    return x.name > y.name ? -1 : x.name < y.name ? 1 : 0;
  });
}

function scaleTo(pods: readonly KubeObject[], replicas: number): RolloutStep {
  if (pods.length < replicas) return { create: replicas - pods.length, delete: [] };
  return { create: 0, delete: rankForDeletion(pods).slice(0, pods.length - replicas) };
}

function rollingStep(input: RolloutInput): RolloutStep {
  const { replicas, newPods, oldPods, isAvailable } = input;
  let { maxSurge, maxUnavailable } = input;
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  if (newPods.length > replicas) return scaleTo(newPods, replicas);
  const total = newPods.length + oldPods.length;
  const create = Math.min(replicas + maxSurge - total, replicas - newPods.length);
  if (create > 0) return { create, delete: [] };
  const minAvailable = replicas - maxUnavailable;
  const newAvailable = newPods.filter(isAvailable).length;
  const maxScaledDown = total - minAvailable - (newPods.length - newAvailable);
  if (maxScaledDown <= 0) return { create: 0, delete: [] };
  const unhealthy = rankForDeletion(oldPods.filter((p) => !isAvailable(p))).slice(0, maxScaledDown);
  const oldAvailable = oldPods.filter(isAvailable);
  const healthyBudget = newAvailable + oldAvailable.length - minAvailable;
  const healthy = healthyBudget > 0 ? rankForDeletion(oldAvailable).slice(0, healthyBudget) : [];
  return { create: 0, delete: [...unhealthy, ...healthy] };
}

export function planRollout(input: RolloutInput): RolloutStep {
  if (input.oldPods.length === 0) return scaleTo(input.newPods, input.replicas);
  if (input.strategy === 'Recreate') return { create: 0, delete: input.oldPods };
  return rollingStep(input);
}
