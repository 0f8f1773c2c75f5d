/**
 * Deployments → Pods. Each Deployment controls its Pods directly (ownerReference, controller:
 * true); there is no ReplicaSet level — the Pods of one template, told apart by their
 * `pod-template-hash` label, play that part (deployment-rollout.ts). Pods are named
 * `<deployment>-<pod-template-hash>-<5 random characters>`, carry the template's labels plus
 * `pod-template-hash`, and are deleted with their Deployment by the garbage collector. A Pod the
 * Deployment does not control (a bare Pod, even one its selector matches) is never touched.
 */
import type { KubeObject } from '../api/object.ts';
import { labelSelectorFromObject } from '../lib/label-selector.ts';
import type { Store } from '../store/index.ts';
import { StoreError } from '../store/index.ts';
import type { Clock } from './clock.ts';
import type { Controller, ReconcileResult, Trigger } from './controller.ts';
import { buildDeploymentStatus, DEFAULT_PROGRESS_DEADLINE_SECONDS } from './deployment-status.ts';
import { planRollout, resolveIntOrPercent } from './deployment-rollout.ts';
import { deploymentSpecOf, isPodReady, isPodTerminal, podStatusOf } from './kube-types.ts';
import { controllerOf, controllerReference, isControlledBy, keyOfObject, namespacedKey, splitNamespacedKey } from './object-refs.ts';
import { POD_TEMPLATE_HASH_LABEL, podTemplateHash } from './pod-template-hash.ts';
import { generateName } from './random.ts';
import type { RandomSource } from './random.ts';

export interface DeploymentControllerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: RandomSource;
}

/** Tries per Pod before a name collision counts as a failure (27^5 names per template). */
const NAME_ATTEMPTS = 5;

function ownerKeyOf(pod: KubeObject): string[] {
  const ref = controllerOf(pod);
  if (ref === undefined || ref.kind !== 'Deployment' || !ref.apiVersion.startsWith('apps/')) return [];
  return [namespacedKey(pod.metadata.namespace, ref.name)];
}

interface DeploymentFacts {
  readonly desired: number;
  readonly hash: string;
  readonly strategy: 'RollingUpdate' | 'Recreate';
  readonly maxSurge: number;
  readonly maxUnavailable: number;
  readonly now: Date;
  /** When a Pod counts as available: Ready since, plus minReadySeconds (∞ if not ready). */
  readonly availableAt: (pod: KubeObject) => number;
  readonly isAvailable: (pod: KubeObject) => boolean;
}

/** What the Deployment's spec means for this step (defaults as Kubernetes applies them). */
function deploymentFacts(d: KubeObject, now: Date): DeploymentFacts {
  const spec = deploymentSpecOf(d);
  const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const strategy = spec.strategy?.type === 'Recreate' ? 'Recreate' : 'RollingUpdate';
  const rolling = spec.strategy?.rollingUpdate;
  const minReadyMs = (spec.minReadySeconds ?? 0) * 1000;
  const availableAt = (p: KubeObject): number => {
    const since = podStatusOf(p).conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
    return since === undefined ? Number.POSITIVE_INFINITY : Date.parse(since) + minReadyMs;
  };
  return {
    desired,
    hash: podTemplateHash(spec.template ?? {}),
    strategy,
    maxSurge: strategy === 'Recreate' ? 0 : resolveIntOrPercent(rolling?.maxSurge, desired, true, Math.ceil(desired / 4)),
    maxUnavailable: strategy === 'Recreate' ? 0 : resolveIntOrPercent(rolling?.maxUnavailable, desired, false, Math.floor(desired / 4)),
    now,
    availableAt,
    isAvailable: (p) => isPodReady(p) && availableAt(p) <= now.getTime(),
  };
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly workers = 2;
  readonly triggers: readonly Trigger[] = [
    { group: 'apps', kind: 'Deployment', keysFor: (ev) => [keyOfObject(ev.object)] },
    { group: '', kind: 'Pod', keysFor: (ev) => ownerKeyOf(ev.object) },
  ];
  readonly #opts: DeploymentControllerOptions;

  constructor(opts: DeploymentControllerOptions) {
    this.#opts = opts;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitNamespacedKey(key);
    const d = this.#opts.store.get('apps', 'Deployment', namespace, name);
    // An invalid selector is refused when the manifest is applied; one that got in anyway cannot
    // be fixed by retrying.
    if (d === undefined || !labelSelectorFromObject(deploymentSpecOf(d).selector).ok) return;
    const facts = deploymentFacts(d, this.#opts.clock.now());
    const before = this.#ownedPods(d);
    const newBefore = before.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === facts.hash);
    let created = 0;
    if (deploymentSpecOf(d).paused !== true) {
      const step = planRollout({
        replicas: facts.desired,
        strategy: facts.strategy,
        maxSurge: facts.maxSurge,
        maxUnavailable: facts.maxUnavailable,
        newPods: newBefore,
        oldPods: before.filter((p) => !newBefore.includes(p)),
        isAvailable: facts.isAvailable,
      });
      for (const pod of step.delete) await this.#deletePod(pod);
      for (; created < step.create; created++) await this.#createPod(d, facts.hash);
    }
    return this.#writeStatus(d, facts, newBefore.length === 0 && created > 0);
  }

  /** Writes the status; resolves when to look again (minReadySeconds, progress deadline). */
  async #writeStatus(d: KubeObject, facts: DeploymentFacts, createdNew: boolean): Promise<ReconcileResult | void> {
    const pods = this.#ownedPods(d);
    const spec = deploymentSpecOf(d);
    const result = buildDeploymentStatus({
      deployment: d,
      desired: facts.desired,
      maxUnavailable: facts.desired === 0 ? 0 : facts.maxUnavailable,
      total: pods.length,
      updated: pods.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === facts.hash).length,
      ready: pods.filter(isPodReady).length,
      available: pods.filter(facts.isAvailable).length,
      replicaSetName: `${d.metadata.name}-${facts.hash}`,
      createdNew,
      paused: spec.paused === true,
      progressDeadlineSeconds: spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
      now: facts.now,
    });
    await this.#opts.store.updateStatus('apps', 'Deployment', d.metadata.namespace, d.metadata.name, result.status);
    const now = facts.now.getTime();
    const waits = pods.filter((p) => isPodReady(p) && !facts.isAvailable(p)).map((p) => facts.availableAt(p) - now);
    if (result.recheckAfterMs !== undefined) waits.push(result.recheckAfterMs);
    return waits.length > 0 ? { requeueAfterMs: Math.max(1, Math.min(...waits)) } : undefined;
  }

  /** The Pods the Deployment controls that have not finished. */
  #ownedPods(d: KubeObject): KubeObject[] {
    return this.#opts.store
      .list('', 'Pod', { namespace: d.metadata.namespace })
      .filter((p) => isControlledBy(p, d.metadata.uid) && !isPodTerminal(p));
  }

  async #createPod(d: KubeObject, hash: string): Promise<void> {
    const template = deploymentSpecOf(d).template ?? {};
    const prefix = `${d.metadata.name}-${hash}-`;
    const metadata: KubeObject['metadata'] = {
      name: '',
      generateName: prefix,
      namespace: d.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
      ownerReferences: [controllerReference(d)],
    };
    if (template.metadata?.annotations !== undefined) metadata.annotations = { ...template.metadata.annotations };
    for (let attempt = 1; ; attempt++) {
      metadata.name = generateName(prefix, this.#opts.random);
      try {
        await this.#opts.store.create({ apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? {}) });
        return;
      } catch (e) {
        if (!(e instanceof StoreError && e.reason === 'AlreadyExists') || attempt >= NAME_ATTEMPTS) throw e;
      }
    }
  }

  async #deletePod(pod: KubeObject): Promise<void> {
    try {
      await this.#opts.store.delete('', 'Pod', pod.metadata.namespace, pod.metadata.name);
    } catch (e) {
      if (!(e instanceof StoreError && e.reason === 'NotFound')) throw e;
    }
  }
}
