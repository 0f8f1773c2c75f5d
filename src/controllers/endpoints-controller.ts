/**
 * Keeps each selector Service's EndpointSlices (endpoint-slices.ts) and v1 Endpoints
 * (endpoints-v1.ts) in line with the Pods it selects, as Pods come, go, change labels or readiness.
 * Only slices labelled `endpointslice.kubernetes.io/managed-by: endpointslice-controller.weft.dev`
 * and Endpoints labelled `endpoints.kubernetes.io/managed-by: endpoints-controller.weft.dev` are
 * weft's: hand-written ones are never touched (the data plane honours them). A stored slice keeps
 * its name while its content changes, so watchers see updates rather than churn.
 *
 * Unlike Kubernetes, which leaves them behind, weft deletes its slices and Endpoints when the
 * Service loses its selector or becomes ExternalName: they could only be stale.
 */
import type { KubeObject } from '../api/object.ts';
import { matchesLabels } from '../lib/label-selector.ts';
import { stableStringify } from '../lib/stable-hash.ts';
import type { Store, WatchEvent } from '../store/index.ts';
import { StoreError } from '../store/index.ts';
import type { Controller, Trigger } from './controller.ts';
import { portSetKey } from './endpoint-ports.ts';
import type { ResolvedPort } from './endpoint-ports.ts';
import {
  buildEndpointSlice,
  desiredSliceContents,
  ENDPOINT_SLICE_CONTROLLER_NAME,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
} from './endpoint-slices.ts';
import type { SliceContent } from './endpoint-slices.ts';
import { buildEndpoints, ENDPOINTS_CONTROLLER_NAME, ENDPOINTS_MANAGED_BY_LABEL } from './endpoints-v1.ts';
import { keyOfObject, namespacedKey, splitNamespacedKey } from './object-refs.ts';
import { generateName } from './random.ts';
import type { RandomSource } from './random.ts';
import { selectedPods, serviceSelector } from './service-selection.ts';

const DISCOVERY = 'discovery.k8s.io';
const NAME_ATTEMPTS = 5;

export interface EndpointsControllerOptions {
  readonly store: Store;
  readonly random: RandomSource;
}

function sameContent(a: KubeObject, b: KubeObject, fields: readonly string[]): boolean {
  const pick = (o: KubeObject) => [o.metadata.labels ?? {}, o.metadata.ownerReferences ?? [], ...fields.map((f) => o[f] ?? null)];
  return stableStringify(pick(a)) === stableStringify(pick(b));
}

function ignoreNotFound(e: unknown): void {
  if (!(e instanceof StoreError && e.reason === 'NotFound')) throw e;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  readonly workers = 4;
  readonly triggers: readonly Trigger[];
  readonly #opts: EndpointsControllerOptions;
  /** Pod key → the labels last seen, to find the Services a label change moved it out of. */
  readonly #podLabels = new Map<string, Readonly<Record<string, string>>>();

  constructor(opts: EndpointsControllerOptions) {
    this.#opts = opts;
    this.triggers = [
      { group: '', kind: 'Service', keysFor: (ev) => [keyOfObject(ev.object)] },
      { group: '', kind: 'Pod', keysFor: (ev) => this.#servicesForPod(ev) },
      {
        group: DISCOVERY,
        kind: 'EndpointSlice',
        keysFor: (ev) => {
          const labels = ev.object.metadata.labels ?? {};
          const svc = labels[SERVICE_NAME_LABEL];
          return labels[MANAGED_BY_LABEL] === ENDPOINT_SLICE_CONTROLLER_NAME && svc ? [namespacedKey(ev.object.metadata.namespace, svc)] : [];
        },
      },
      {
        group: '',
        kind: 'Endpoints',
        keysFor: (ev) => (ev.object.metadata.labels?.[ENDPOINTS_MANAGED_BY_LABEL] === ENDPOINTS_CONTROLLER_NAME ? [keyOfObject(ev.object)] : []),
      },
    ];
  }

  async reconcile(key: string): Promise<void> {
    const { store } = this.#opts;
    const { namespace, name } = splitNamespacedKey(key);
    const svc = store.get('', 'Service', namespace, name);
    const existing = store.list(DISCOVERY, 'EndpointSlice', {
      namespace,
      labelSelector: `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${ENDPOINT_SLICE_CONTROLLER_NAME}`,
    });
    const selector = svc === undefined ? undefined : serviceSelector(svc);
    if (svc === undefined || selector === undefined) {
      for (const s of existing) await this.#delete(DISCOVERY, 'EndpointSlice', s);
      const ep = store.get('', 'Endpoints', namespace, name);
      if (ep?.metadata.labels?.[ENDPOINTS_MANAGED_BY_LABEL] === ENDPOINTS_CONTROLLER_NAME) await this.#delete('', 'Endpoints', ep);
      return;
    }
    const pods = selectedPods(svc, selector, store.list('', 'Pod', { namespace }));
    await this.#syncSlices(svc, desiredSliceContents(svc, pods), existing);
    await this.#syncEndpoints(svc, buildEndpoints(svc, pods));
  }

  /** Puts each desired content into a stored slice: same ports first, then any, then new ones. */
  async #syncSlices(svc: KubeObject, desired: readonly SliceContent[], existing: readonly KubeObject[]): Promise<void> {
    const owned = existing.filter((s) => s.metadata.ownerReferences?.some((r) => r.kind === 'Service' && r.uid === svc.metadata.uid));
    for (const s of existing) if (!owned.includes(s)) await this.#delete(DISCOVERY, 'EndpointSlice', s);
    const free = [...owned];
    const assigned: [SliceContent, KubeObject | undefined][] = desired.map((d) => {
      const i = free.findIndex((s) => portSetKey((s.ports ?? []) as ResolvedPort[]) === portSetKey(d.ports));
      return [d, i < 0 ? undefined : free.splice(i, 1)[0]];
    });
    for (const pair of assigned) if (pair[1] === undefined && free.length > 0) pair[1] = free.shift();
    for (const [content, slice] of assigned) {
      if (slice === undefined) {
        await this.#createSlice(svc, content);
        continue;
      }
      const next = buildEndpointSlice(svc, slice.metadata.name, content);
      if (sameContent(slice, next, ['addressType', 'endpoints', 'ports'])) continue;
      next.metadata.resourceVersion = slice.metadata.resourceVersion;
      await this.#opts.store.update(next);
    }
    for (const s of free) await this.#delete(DISCOVERY, 'EndpointSlice', s);
  }

  async #createSlice(svc: KubeObject, content: SliceContent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#opts.store.create(buildEndpointSlice(svc, generateName(`${svc.metadata.name}-`, this.#opts.random), content));
        return;
      } catch (e) {
        if (!(e instanceof StoreError && e.reason === 'AlreadyExists') || attempt >= NAME_ATTEMPTS) throw e;
      }
    }
  }

  async #syncEndpoints(svc: KubeObject, next: KubeObject): Promise<void> {
    const { store } = this.#opts;
    const current = store.get('', 'Endpoints', svc.metadata.namespace, svc.metadata.name);
    if (current === undefined) {
      await store.create(next);
      return;
    }
    if (sameContent(current, next, ['subsets'])) return;
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    await store.update(next);
  }

  async #delete(group: string, kind: string, obj: KubeObject): Promise<void> {
    await this.#opts.store.delete(group, kind, obj.metadata.namespace, obj.metadata.name).catch(ignoreNotFound);
  }

  /** The Services that select the Pod now or selected it before this event. */
  #servicesForPod(ev: WatchEvent): string[] {
    const podKey = keyOfObject(ev.object);
    const before = this.#podLabels.get(podKey);
    const labels = ev.object.metadata.labels ?? {};
    if (ev.type === 'DELETED') this.#podLabels.delete(podKey);
    else this.#podLabels.set(podKey, labels);
    const out: string[] = [];
    for (const svc of this.#opts.store.list('', 'Service', { namespace: ev.object.metadata.namespace })) {
      const sel = serviceSelector(svc);
      if (sel !== undefined && (matchesLabels(sel, labels) || (before !== undefined && matchesLabels(sel, before)))) {
        out.push(keyOfObject(svc));
      }
    }
    return out;
  }
}
