/**
 * Weft's kubelet and scheduler for the one local node: binds unscheduled Pods to it
 * (spec.nodeName), gives each Pod an IP (the pod CIDR, or the address of `weft.dev/address`),
 * runs it through the PodRuntime, and reports its status as the kubelet does. Deleting a Pod stops
 * it and frees its IP. Pods bound to another node are left alone.
 *
 * In-memory state (which Pods were started, which IPs are held) is rebuilt at start from the
 * store (`prepare`), so Pods keep their IPs across restarts and are started again.
 */
import type { KubeObject } from '../api/object.ts';
import { assertNever } from '../lib/assert-never.ts';
import type { Store } from '../store/index.ts';
import { StoreError } from '../store/index.ts';
import { HOST_IP } from './addressing.ts';
import { rfc3339 } from './clock.ts';
import type { Clock } from './clock.ts';
import type { Controller, Trigger } from './controller.ts';
import { podSpecOf, podStatusOf } from './kube-types.ts';
import { keyOfObject, splitNamespacedKey } from './object-refs.ts';
import type { PodAddressPool } from './pod-address-pool.ts';
import { classifyPod } from './pod-runtime.ts';
import type { PodClassification, PodRuntime } from './pod-runtime.ts';
import { buildPodStatus } from './pod-status.ts';
import type { PodRunState } from './pod-status.ts';

export const DEFAULT_NODE_NAME = 'weft-node';

export interface PodControllerOptions {
  readonly store: Store;
  readonly runtime: PodRuntime;
  readonly pool: PodAddressPool;
  readonly clock: Clock;
  readonly nodeName?: string;
  readonly log?: (line: string) => void;
}

interface PodRecord {
  readonly uid: string;
  /** The latest version seen (what `stop` gets). */
  pod: KubeObject;
  started: boolean;
}

export class PodController implements Controller {
  readonly name = 'pod';
  readonly workers = 8;
  readonly triggers: readonly Trigger[] = [{ group: '', kind: 'Pod', keysFor: (ev) => [keyOfObject(ev.object)] }];
  readonly #opts: PodControllerOptions;
  readonly #nodeName: string;
  readonly #records = new Map<string, PodRecord>();

  constructor(opts: PodControllerOptions) {
    this.#opts = opts;
    this.#nodeName = opts.nodeName ?? DEFAULT_NODE_NAME;
  }

  /** Re-claims the IPs that Pods of this node hold in their status. */
  prepare(store: Store): void {
    for (const pod of store.list('', 'Pod')) {
      const uid = pod.metadata.uid as string;
      if (podSpecOf(pod).nodeName !== this.#nodeName) continue;
      const ip = podStatusOf(pod).podIP;
      if (ip !== undefined && this.#opts.pool.claim(uid, ip) === ip) {
        this.#records.set(keyOfObject(pod), { uid, pod, started: false });
      } else {
        this.#opts.pool.release(uid);
      }
    }
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitNamespacedKey(key);
    let pod = this.#opts.store.get('', 'Pod', namespace, name);
    const rec = this.#records.get(key);
    if (rec !== undefined && (pod === undefined || pod.metadata.uid !== rec.uid)) await this.#forget(key, rec);
    if (pod === undefined) return;
    const nodeName = podSpecOf(pod).nodeName;
    if (nodeName === undefined || nodeName === '') pod = await this.#bind(pod);
    else if (nodeName !== this.#nodeName) return;
    const uid = pod.metadata.uid as string;
    const record = this.#records.get(key) ?? { uid, pod, started: false };
    record.pod = pod;
    this.#records.set(key, record);
    const plan = classifyPod(this.#opts.runtime, pod);
    if (record.started && plan.kind !== 'app') await this.#stop(record);
    const ip = this.#addressFor(pod, plan);
    if (ip === undefined) {
      await this.#writeStatus(key, '', { kind: 'unsupported', reason: 'PodCIDRFull', message: 'no free address left in the pod CIDR; delete Pods or configure a larger pod CIDR' });
      throw new Error('the pod CIDR is full');
    }
    await this.#run(key, record, plan, ip);
  }

  /** Stops every Pod this controller started (weft is shutting down; the store keeps the Pods). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#records.values()].filter((r) => r.started).map((r) => this.#stop(r)));
  }

  async #run(key: string, record: PodRecord, plan: PodClassification, ip: string): Promise<void> {
    switch (plan.kind) {
      case 'app':
        if (!record.started) await this.#start(key, record, ip);
        await this.#writeStatus(key, ip, { kind: 'running', runtime: 'app', skipped: plan.skipped ?? [] });
        return;
      case 'client-only':
        await this.#writeStatus(key, ip, { kind: 'running', runtime: 'client-only', skipped: plan.skipped ?? [] });
        return;
      case 'external':
        await this.#writeStatus(key, ip, { kind: 'running', runtime: 'external', skipped: [] });
        return;
      case 'unsupported':
        await this.#writeStatus(key, ip, { kind: 'unsupported', reason: plan.reason, message: plan.message });
        return;
      default:
        assertNever(plan, 'pod classification');
    }
  }

  async #start(key: string, record: PodRecord, ip: string): Promise<void> {
    const status = podStatusOf(record.pod);
    // After a restart the status already says Running on this IP: keep it rather than flap the
    // Pod (and its endpoints) through ContainerCreating.
    if (!(status.phase === 'Running' && status.podIP === ip)) await this.#writeStatus(key, ip, { kind: 'creating' });
    try {
      await this.#opts.runtime.start(record.pod, ip);
      record.started = true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await this.#writeStatus(key, ip, { kind: 'start-failed', message });
      throw new Error(`start failed: ${message}`, { cause: e });
    }
  }

  async #stop(record: PodRecord): Promise<void> {
    record.started = false;
    try {
      await this.#opts.runtime.stop(record.pod);
    } catch (e) {
      this.#log(`weft: pod ${keyOfObject(record.pod)}: stop: ${(e as Error).message}`);
    }
  }

  async #forget(key: string, record: PodRecord): Promise<void> {
    if (record.started) await this.#stop(record);
    this.#opts.pool.release(record.uid);
    this.#records.delete(key);
  }

  #addressFor(pod: KubeObject, plan: PodClassification): string | undefined {
    const uid = pod.metadata.uid as string;
    if (plan.kind === 'external' || (pod.spec as { hostNetwork?: unknown } | undefined)?.hostNetwork === true) {
      this.#opts.pool.release(uid);
      return plan.kind === 'external' ? plan.address.ip : HOST_IP;
    }
    return this.#opts.pool.claim(uid, podStatusOf(pod).podIP);
  }

  /** Binds the Pod to this node, as the scheduler's binding does. */
  async #bind(pod: KubeObject): Promise<KubeObject> {
    const next = structuredClone(pod) as KubeObject;
    next.spec = { ...(podSpecOf(pod) as object), nodeName: this.#nodeName };
    return this.#opts.store.update(next);
  }

  async #writeStatus(key: string, ip: string, state: PodRunState): Promise<void> {
    const { namespace, name } = splitNamespacedKey(key);
    const current = this.#opts.store.get('', 'Pod', namespace, name);
    const record = this.#records.get(key);
    if (current === undefined || record === undefined || current.metadata.uid !== record.uid) return;
    const status = buildPodStatus(current, { podIP: ip, state, now: rfc3339(this.#opts.clock.now()) });
    try {
      record.pod = await this.#opts.store.updateStatus('', 'Pod', namespace, name, status);
    } catch (e) {
      // Deleted meanwhile: the delete's event has queued this key again, which stops the Pod.
      if (!(e instanceof StoreError && e.reason === 'NotFound')) throw e;
    }
  }

  #log(line: string): void {
    (this.#opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }
}
