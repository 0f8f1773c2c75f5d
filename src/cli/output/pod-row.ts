/**
 * The cells kubectl computes for a Pod (k8s.io/kubernetes pkg/printers/internalversion `printPod`):
 * READY counts ready, running containers (restartable init containers count as containers);
 * STATUS is the phase, replaced by the Pod's reason, an init container's progress, a container's
 * waiting/terminated reason, and `Terminating` once a deletion is pending; RESTARTS adds
 * `(AGE ago)` of the last termination.
 */
import type { KubeObject } from '../../api/object.ts';
import { humanDuration } from './human-duration.ts';

// The printer reads loosely-typed object content.
type Any = any;

export interface PodCells {
  readonly ready: string;
  readonly status: string;
  readonly restarts: string;
}

const isRestartableInit = (c: Any): boolean => c?.restartPolicy === 'Always';
const hasCondition = (pod: Any, type: string): boolean =>
  ((pod.status?.conditions ?? []) as Any[]).some((c) => c.type === type && c.status === 'True');

function terminatedReason(t: Any, prefix: string): string {
  if (t.reason) return prefix + t.reason;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

interface Tally {
  restarts: number;
  lastRestart: number;
}

function noteRestarts(t: Tally, cs: Any): void {
  t.restarts += cs.restartCount ?? 0;
  const finished = cs.lastState?.terminated?.finishedAt;
  if (finished) t.lastRestart = Math.max(t.lastRestart, Date.parse(finished));
}

/** The init-container pass: the status while initializing, and what restartable ones contribute. */
function initPass(pod: Any): { initializing: boolean; reason?: string; ready: number; restartable: Tally; all: Tally } {
  const specs = new Map<string, Any>(((pod.spec?.initContainers ?? []) as Any[]).map((c) => [c.name, c]));
  const statuses = (pod.status?.initContainerStatuses ?? []) as Any[];
  const all: Tally = { restarts: 0, lastRestart: 0 };
  const restartable: Tally = { restarts: 0, lastRestart: 0 };
  let ready = 0;
  for (let i = 0; i < statuses.length; i++) {
    const cs = statuses[i];
    noteRestarts(all, cs);
    const sidecar = isRestartableInit(specs.get(cs.name));
    if (sidecar) noteRestarts(restartable, cs);
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    let reason: string;
    if (term) reason = terminatedReason(term, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${specs.size}`;
    return { initializing: true, reason, ready, restartable, all };
  }
  return { initializing: false, ready, restartable, all };
}

export function podCells(pod: KubeObject, now: Date): PodCells {
  const p = pod as Any;
  const phase: string = p.status?.phase ?? '';
  let reason: string = p.status?.reason || phase;
  if (((p.status?.conditions ?? []) as Any[]).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }
  const total = ((p.spec?.containers ?? []) as Any[]).length + ((p.spec?.initContainers ?? []) as Any[]).filter(isRestartableInit).length;
  const init = initPass(p);
  let ready = init.ready;
  let tally = init.all;
  if (init.reason) reason = init.reason;
  if (!init.initializing || hasCondition(p, 'Initialized')) {
    tally = { ...init.restartable };
    let hasRunning = false;
    const statuses = (p.status?.containerStatuses ?? []) as Any[];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      noteRestarts(tally, cs);
      const waiting = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (term) reason = terminatedReason(term, '');
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(p, 'Ready') ? 'Running' : 'NotReady';
  }
  if (p.metadata?.deletionTimestamp) {
    if (p.status?.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }
  const restarts =
    tally.restarts !== 0 && tally.lastRestart > 0
      ? `${tally.restarts} (${humanDuration(now.getTime() - tally.lastRestart)} ago)`
      : String(tally.restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts };
}

/** READINESS GATES: how many of the Pod's readiness gates have a True condition, or `<none>`. */
export function readinessGates(pod: KubeObject): string {
  const p = pod as Any;
  const gates = (p.spec?.readinessGates ?? []) as Any[];
  if (gates.length === 0) return '<none>';
  const conditions = (p.status?.conditions ?? []) as Any[];
  const met = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${met}/${gates.length}`;
}
