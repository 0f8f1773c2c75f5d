/**
 * Weft's kubelet node registration for the one local node: writes the `Node` object the Pods are
 * scheduled to (spec.nodeName), as a kubelet registers its node and posts its status. At start
 * (`register`) the Node is created, or brought up to date: weft's own labels (hostname, os, arch,
 * the control-plane role and `weft up --node-label`s) are set again while labels a user added stay;
 * the status (addresses, nodeInfo, capacity, a Ready condition) is rewritten. Afterwards every
 * change to the Node is reconciled the same way (a deleted Node comes back), and the heartbeat is
 * refreshed every NODE_STATUS_REPORT_INTERVAL_MS, as the kubelet's nodeStatusReportFrequency.
 */
import type { KubeObject } from '../api/object.ts';
import { WEFT_VERSION } from '../lib/version.ts';
import type { Store } from '../store/index.ts';
import { StoreError } from '../store/index.ts';
import { rfc3339 } from './clock.ts';
import type { Clock, TimerHandle } from './clock.ts';
import type { Controller, ReconcileResult, Trigger } from './controller.ts';
import type { NodeHost } from './node-host.ts';

/** The kubelet's default nodeStatusReportFrequency. */
export const NODE_STATUS_REPORT_INTERVAL_MS = 5 * 60_000;
/** The kubelet's default --max-pods. */
export const NODE_MAX_PODS = 110;
export const CONTROL_PLANE_ROLE_LABEL = 'node-role.kubernetes.io/control-plane';

const REGISTER_RETRY_MS = 5_000;

export interface NodeControllerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly name: string;
  /** The node's InternalIP (`weft up --node-address`). */
  readonly address: string;
  /** Labels on top of the kubelet's defaults (`kubernetes.io/hostname`, `kubernetes.io/os`...). */
  readonly labels: Readonly<Record<string, string>>;
  readonly host: NodeHost;
  /** spec.podCIDR, when the node has one. */
  readonly podCidr?: string;
  readonly log?: (line: string) => void;
}

interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

interface NodeStatus {
  addresses: { type: string; address: string }[];
  allocatable: Record<string, string>;
  capacity: Record<string, string>;
  conditions: NodeCondition[];
  nodeInfo: Record<string, string>;
}

/** The labels weft sets on its node: the kubelet's well-known ones, then the given ones. */
export function nodeLabels(opts: Pick<NodeControllerOptions, 'name' | 'labels' | 'host'>): Record<string, string> {
  const os = opts.labels['kubernetes.io/os'] ?? opts.host.operatingSystem;
  return {
    'beta.kubernetes.io/arch': opts.host.architecture,
    'beta.kubernetes.io/os': os,
    'kubernetes.io/arch': opts.host.architecture,
    'kubernetes.io/hostname': opts.name,
    'kubernetes.io/os': os,
    [CONTROL_PLANE_ROLE_LABEL]: '',
    ...opts.labels,
  };
}

const CONDITIONS: readonly Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'weft is posting ready status' },
];

/**
 * The status weft posts for its node at `now`. A condition whose status did not change keeps its
 * lastTransitionTime from `previous`.
 */
export function nodeStatus(opts: Pick<NodeControllerOptions, 'name' | 'address' | 'host'>, now: Date, previous?: unknown): NodeStatus {
  const at = rfc3339(now);
  const before = ((previous as { conditions?: NodeCondition[] } | undefined)?.conditions ?? []) as NodeCondition[];
  const resources = {
    cpu: String(opts.host.cpus),
    memory: `${Math.floor(opts.host.memoryBytes / 1024)}Ki`,
    pods: String(NODE_MAX_PODS),
  };
  return {
    addresses: [
      { type: 'InternalIP', address: opts.address },
      { type: 'Hostname', address: opts.name },
    ],
    allocatable: { ...resources },
    capacity: { ...resources },
    conditions: CONDITIONS.map((c) => {
      const old = before.find((b) => b.type === c.type);
      return { ...c, lastHeartbeatTime: at, lastTransitionTime: old?.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : at };
    }),
    nodeInfo: {
      architecture: opts.host.architecture,
      bootID: opts.host.bootID,
      containerRuntimeVersion: `weft://${WEFT_VERSION}`,
      kernelVersion: opts.host.kernelVersion,
      kubeProxyVersion: '',
      kubeletVersion: `v${WEFT_VERSION}-weft`,
      machineID: opts.host.machineID,
      operatingSystem: opts.host.operatingSystem,
      osImage: opts.host.osImage,
      systemUUID: opts.host.systemUUID,
    },
  };
}

/** The status without heartbeat times: what must be written again when it differs. */
function withoutHeartbeats(status: unknown): unknown {
  if (status === null || typeof status !== 'object') return status;
  const s = status as { conditions?: unknown };
  if (!Array.isArray(s.conditions)) return status;
  return { ...s, conditions: s.conditions.map((c: Record<string, unknown>) => ({ ...c, lastHeartbeatTime: undefined })) };
}

function lastHeartbeat(status: unknown): number | undefined {
  const conditions = (status as { conditions?: NodeCondition[] } | undefined)?.conditions;
  const ready = Array.isArray(conditions) ? conditions.find((c) => c?.type === 'Ready') : undefined;
  const t = ready?.lastHeartbeatTime === undefined ? NaN : Date.parse(ready.lastHeartbeatTime);
  return Number.isNaN(t) ? undefined : t;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class NodeController implements Controller {
  readonly name = 'node';
  readonly workers = 1;
  readonly triggers: readonly Trigger[];
  readonly #opts: NodeControllerOptions;
  #retry: TimerHandle | undefined;
  #stopped = false;
  /** Registration and reconciles run one at a time (each reads, then writes). */
  #last: Promise<unknown> = Promise.resolve();

  constructor(opts: NodeControllerOptions) {
    this.#opts = opts;
    this.triggers = [{ group: '', kind: 'Node', keysFor: (ev) => (ev.object.metadata.name === opts.name ? [opts.name] : []) }];
  }

  /**
   * Writes the Node now (registration at start). Resolves once it is written, or once the first
   * attempt failed (logged; retried until it works or the controller shuts down).
   */
  async register(): Promise<void> {
    try {
      await this.#sync();
    } catch (e) {
      this.#log(`weft: controller node: registering node ${this.#opts.name}: ${(e as Error).message} (retrying every ${REGISTER_RETRY_MS / 1000}s)`);
      this.#scheduleRetry();
    }
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    if (key !== this.#opts.name) return;
    await this.#sync();
    return { requeueAfterMs: NODE_STATUS_REPORT_INTERVAL_MS };
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    this.#retry?.cancel();
  }

  #scheduleRetry(): void {
    if (this.#stopped) return;
    this.#retry = this.#opts.clock.setTimer(REGISTER_RETRY_MS, () => {
      this.#retry = undefined;
      this.#sync().catch(() => this.#scheduleRetry());
    });
  }

  #sync(): Promise<void> {
    const run = this.#last.then(() => this.#syncNow());
    this.#last = run.catch(() => undefined);
    return run;
  }

  /** Creates or updates the Node (labels, spec), then its status. Idempotent. */
  async #syncNow(): Promise<void> {
    const { store, name } = this.#opts;
    const labels = nodeLabels(this.#opts);
    const spec = this.#opts.podCidr === undefined ? {} : { podCIDR: this.#opts.podCidr, podCIDRs: [this.#opts.podCidr] };
    let node = store.get('', 'Node', undefined, name);
    if (node === undefined) {
      try {
        node = await store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec });
      } catch (e) {
        if (!(e instanceof StoreError && e.reason === 'AlreadyExists')) throw e;
        node = store.get('', 'Node', undefined, name);
        if (node === undefined) throw e;
      }
    }
    const merged = { ...node.metadata.labels, ...labels };
    const wantSpec = { ...(node.spec as Record<string, unknown> | undefined), ...spec };
    if (!sameJson(merged, node.metadata.labels) || !sameJson(wantSpec, node.spec ?? {})) {
      const { status: _status, ...rest } = node;
      node = await store.update({ ...rest, metadata: { ...node.metadata, labels: merged }, spec: wantSpec } as KubeObject);
    }
    const now = this.#opts.clock.now();
    const status = nodeStatus(this.#opts, now, node.status);
    const beat = lastHeartbeat(node.status);
    const due = beat === undefined || now.getTime() - beat >= NODE_STATUS_REPORT_INTERVAL_MS;
    if (due || !sameJson(withoutHeartbeats(status), withoutHeartbeats(node.status))) {
      await store.updateStatus('', 'Node', undefined, name, status);
    }
  }

  #log(line: string): void {
    (this.#opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }
}
