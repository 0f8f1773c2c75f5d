/**
 * A Pod's status as the kubelet reports it (phase, IPs, conditions, container statuses), built
 * from what the Pod controller knows. Pure: times come in, and the previous status is consulted
 * only to keep timestamps (startTime, startedAt, lastTransitionTime) that did not change.
 */
import type { KubeObject } from '../api/object.ts';
import { assertNever } from '../lib/assert-never.ts';
import { HOST_IP } from './addressing.ts';
import { withTransitionTimes } from './conditions.ts';
import { containersOf, podStatusOf } from './kube-types.ts';
import type { ContainerState, ContainerStatus, PodCondition, PodStatus } from './kube-types.ts';
import type { SkippedContainer } from './pod-runtime.ts';

/** A condition weft adds when it leaves containers out (a sidecar it does not know). */
export const SKIPPED_CONTAINERS_CONDITION = 'weft.dev/ContainersSkipped';

export type PodRunState =
  | { readonly kind: 'creating' }
  | { readonly kind: 'running'; readonly runtime: 'app' | 'client-only' | 'external'; readonly skipped: readonly SkippedContainer[] }
  | { readonly kind: 'start-failed'; readonly message: string }
  | { readonly kind: 'unsupported'; readonly reason: string; readonly message: string };

export interface PodStatusInput {
  /** '' when the Pod has none (the pod CIDR is full). */
  readonly podIP: string;
  readonly state: PodRunState;
  /** RFC 3339. */
  readonly now: string;
}

function waiting(state: PodRunState): { reason: string; message?: string } | undefined {
  switch (state.kind) {
    case 'creating':
      return { reason: 'ContainerCreating' };
    case 'start-failed':
      return { reason: 'RunContainerError', message: state.message };
    case 'unsupported':
      return { reason: state.reason, message: state.message };
    case 'running':
      return undefined;
    default:
      return assertNever(state, 'pod run state');
  }
}

function containerStatuses(pod: KubeObject, input: PodStatusInput): ContainerStatus[] {
  const prev = podStatusOf(pod).containerStatuses ?? [];
  const wait = waiting(input.state);
  const runsApps = input.state.kind === 'running' && input.state.runtime === 'app';
  const skipped = new Set(input.state.kind === 'running' ? input.state.skipped.map((s) => s.name) : []);
  return [...containersOf(pod)]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((c): ContainerStatus => {
      let state: ContainerState;
      if (wait !== undefined) {
        state = { waiting: wait.message === undefined ? { reason: wait.reason } : { reason: wait.reason, message: wait.message } };
      } else {
        const old = prev.find((p) => p.name === c.name)?.state;
        const startedAt = old !== undefined && 'running' in old && old.running.startedAt ? old.running.startedAt : input.now;
        state = { running: { startedAt } };
      }
      const status: ContainerStatus = {
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        ready: wait === undefined,
        started: wait === undefined,
        restartCount: 0,
        state,
      };
      if (runsApps && !skipped.has(c.name)) {
        return { ...status, containerID: `weft://${pod.metadata.uid ?? ''}/${c.name}` };
      }
      return status;
    });
}

function conditions(pod: KubeObject, statuses: readonly ContainerStatus[], input: PodStatusInput): PodCondition[] {
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const ready: PodCondition =
    unready.length === 0
      ? { type: 'Ready', status: 'True', lastProbeTime: null }
      : { type: 'Ready', status: 'False', lastProbeTime: null, reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  const next: PodCondition[] = [
    { type: 'Initialized', status: 'True', lastProbeTime: null },
    ready,
    { ...ready, type: 'ContainersReady' },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null },
  ];
  if (input.state.kind === 'running' && input.state.skipped.length > 0) {
    next.push({
      type: SKIPPED_CONTAINERS_CONDITION,
      status: 'True',
      lastProbeTime: null,
      reason: 'NotRunByWeft',
      message: input.state.skipped.map((s) => `${s.name} (${s.image}): ${s.message}`).join('; '),
    });
  }
  return withTransitionTimes(podStatusOf(pod).conditions, next, input.now);
}

/**
 * status.reason/message: set when the Pod cannot run at all (kubectl's STATUS column shows
 * status.reason, as for Evicted) and, as a message only, when containers were skipped.
 */
function podMessage(state: PodRunState): { reason?: string; message?: string } {
  if (state.kind === 'unsupported') return { reason: state.reason, message: state.message };
  if (state.kind === 'running' && state.skipped.length > 0) {
    return { message: `not run by weft: ${state.skipped.map((s) => `${s.name} (${s.image})`).join(', ')}` };
  }
  return {};
}

export function buildPodStatus(pod: KubeObject, input: PodStatusInput): PodStatus {
  const statuses = containerStatuses(pod, input);
  const ips = input.podIP === '' ? {} : { podIP: input.podIP, podIPs: [{ ip: input.podIP }] };
  return {
    phase: input.state.kind === 'running' ? 'Running' : 'Pending',
    ...podMessage(input.state),
    conditions: conditions(pod, statuses, input),
    hostIP: HOST_IP,
    hostIPs: [{ ip: HOST_IP }],
    ...ips,
    startTime: podStatusOf(pod).startTime ?? input.now,
    containerStatuses: statuses,
  };
}
