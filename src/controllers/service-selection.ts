/**
 * The Pods a Service selects, as the endpoint controllers see them: a Service with a selector (not
 * ExternalName) selects the Pods of its namespace whose labels match, that have an IP and have not
 * finished (Succeeded/Failed). A Service without a selector gets no derived endpoints; its
 * EndpointSlices and Endpoints are the user's.
 */
import type { KubeObject } from '../api/object.ts';
import { labelSelectorFromMap, matchesLabels } from '../lib/label-selector.ts';
import type { LabelSelector } from '../lib/label-selector.ts';
import { isPodTerminal, podStatusOf, serviceSpecOf } from './kube-types.ts';

/** The Service's selector, or undefined when weft derives no endpoints for it. */
export function serviceSelector(svc: KubeObject): LabelSelector | undefined {
  const spec = serviceSpecOf(svc);
  if (spec.type === 'ExternalName') return undefined;
  const sel = spec.selector;
  if (sel === undefined || sel === null || typeof sel !== 'object') return undefined;
  const r = labelSelectorFromMap(sel);
  return r.ok ? r.value : undefined;
}

/** Kubernetes' ShouldPodBeInEndpoints (weft never marks Pods as terminating). */
export function hasEndpoint(pod: KubeObject): boolean {
  const status = podStatusOf(pod);
  return !isPodTerminal(pod) && typeof status.podIP === 'string' && status.podIP !== '';
}

/** The Pods of `pods` (any namespace) that back the Service, sorted by name. */
export function selectedPods(svc: KubeObject, selector: LabelSelector, pods: readonly KubeObject[]): KubeObject[] {
  return pods
    .filter((p) => p.metadata.namespace === svc.metadata.namespace && matchesLabels(selector, p.metadata.labels) && hasEndpoint(p))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** Whether a Service with this spec has a cluster IP (not headless, not ExternalName). */
export function hasClusterIP(svc: KubeObject): boolean {
  const ip = serviceSpecOf(svc).clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
}
