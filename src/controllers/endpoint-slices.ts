/**
 * The EndpointSlices Kubernetes' EndpointSlice controller derives for a Service with a selector
 * (k8s.io/endpointslice): one endpoint per selected Pod with an IP, grouped into slices by the set
 * of ports the Pod serves (named targetPorts may resolve differently per Pod), at most 100
 * endpoints a slice; a Service with no such Pod gets one empty placeholder slice. Pure: this file
 * says what the slices contain; the controller decides which stored slice carries which content.
 */
import type { KubeObject } from '../api/object.ts';
import { controllerReference } from './object-refs.ts';
import { isPodReady, podSpecOf, podStatusOf, serviceSpecOf } from './kube-types.ts';
import { portSetKey, resolvePorts } from './endpoint-ports.ts';
import type { ResolvedPort } from './endpoint-ports.ts';
import { hasClusterIP } from './service-selection.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/**
 * A label value cannot hold "/", so weft names itself as Kubernetes does
 * (`endpointslice-controller.k8s.io`): controller name, then the owner's domain.
 */
export const ENDPOINT_SLICE_CONTROLLER_NAME = 'endpointslice-controller.weft.dev';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SliceEndpoint {
  readonly addresses: readonly string[];
  readonly conditions: { readonly ready: boolean; readonly serving: boolean; readonly terminating: boolean };
  readonly hostname?: string;
  readonly targetRef: { readonly kind: 'Pod'; readonly namespace: string; readonly name: string; readonly uid: string };
  readonly nodeName?: string;
}

export interface SliceContent {
  readonly ports: readonly ResolvedPort[];
  readonly endpoints: readonly SliceEndpoint[];
}

/** Kubernetes' podToEndpoint. */
export function podToEndpoint(svc: KubeObject, pod: KubeObject): SliceEndpoint {
  const spec = podSpecOf(pod);
  const serving = isPodReady(pod);
  const ready = serviceSpecOf(svc).publishNotReadyAddresses === true || serving;
  const ep: Record<string, unknown> = {
    addresses: [podStatusOf(pod).podIP as string],
    conditions: { ready, serving, terminating: false },
  };
  // ShouldSetHostname: the Pod names itself in the Service's subdomain.
  if (spec.hostname && spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace) {
    ep.hostname = spec.hostname;
  }
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name, uid: pod.metadata.uid ?? '' };
  if (spec.nodeName) ep.nodeName = spec.nodeName;
  return ep as unknown as SliceEndpoint;
}

/** What the Service's slices should hold, in a stable order; never empty (placeholder). */
export function desiredSliceContents(svc: KubeObject, pods: readonly KubeObject[]): SliceContent[] {
  const groups = new Map<string, { ports: ResolvedPort[]; endpoints: SliceEndpoint[] }>();
  for (const pod of pods) {
    const ports = resolvePorts(svc, pod);
    const key = portSetKey(ports);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(podToEndpoint(svc, pod));
  }
  const out: SliceContent[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key) as { ports: ResolvedPort[]; endpoints: SliceEndpoint[] };
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
  }
  return out.length > 0 ? out : [{ ports: [], endpoints: [] }];
}

/** The Service's labels (but the reserved ones) plus the slice labels (setEndpointSliceLabels). */
export function sliceLabels(svc: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) out[k] = v;
  }
  if (!hasClusterIP(svc)) out[HEADLESS_LABEL] = '';
  out[SERVICE_NAME_LABEL] = svc.metadata.name;
  out[MANAGED_BY_LABEL] = ENDPOINT_SLICE_CONTROLLER_NAME;
  return out;
}

/** The slice object to store under `name`. */
export function buildEndpointSlice(svc: KubeObject, name: string, content: SliceContent): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [{ ...controllerReference(svc), apiVersion: 'v1', kind: 'Service' }],
    },
    addressType: 'IPv4',
    endpoints: content.endpoints.map((e) => ({ ...e })),
    ports: content.ports.map((p) => ({ ...p })),
  };
}
