/**
 * The v1 Endpoints object Kubernetes' endpoints controller keeps for a Service with a selector
 * (deprecated in favour of EndpointSlices, but `kubectl get endpoints` still shows it): the
 * selected Pods' addresses, ready ones in `addresses` and the others in `notReadyAddresses`,
 * repacked into one subset per distinct port set. Pure.
 */
import type { KubeObject } from '../api/object.ts';
import { portSetKey, resolvePorts } from './endpoint-ports.ts';
import type { ResolvedPort } from './endpoint-ports.ts';
import { isPodReady, podSpecOf, podStatusOf, serviceSpecOf } from './kube-types.ts';
import { HEADLESS_LABEL } from './endpoint-slices.ts';
import { hasClusterIP } from './service-selection.ts';

/** The label Kubernetes' endpoints controller marks its Endpoints with (1.33+). */
export const ENDPOINTS_MANAGED_BY_LABEL = 'endpoints.kubernetes.io/managed-by';
/** A label value (no "/"), in the style of `endpointslice-controller.k8s.io`. */
export const ENDPOINTS_CONTROLLER_NAME = 'endpoints-controller.weft.dev';

interface Address {
  readonly ip: string;
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly targetRef: { readonly kind: 'Pod'; readonly namespace: string; readonly name: string; readonly uid: string };
}

function addressOf(svc: KubeObject, pod: KubeObject): Address {
  const spec = podSpecOf(pod);
  const a: Record<string, unknown> = { ip: podStatusOf(pod).podIP as string };
  if (spec.hostname && spec.subdomain === svc.metadata.name) a.hostname = spec.hostname;
  if (spec.nodeName) a.nodeName = spec.nodeName;
  a.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name, uid: pod.metadata.uid ?? '' };
  return a as unknown as Address;
}

function endpointPort(p: ResolvedPort): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.name !== '') out.name = p.name;
  out.port = p.port;
  out.protocol = p.protocol;
  if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
  return out;
}

const byIpThenName = (a: Address, b: Address) => (a.ip !== b.ip ? (a.ip < b.ip ? -1 : 1) : a.targetRef.name < b.targetRef.name ? -1 : 1);

/** The subsets for the selected Pods. */
export function endpointSubsets(svc: KubeObject, pods: readonly KubeObject[]): Record<string, unknown>[] {
  const spec = serviceSpecOf(svc);
  const tolerateUnready = spec.publishNotReadyAddresses === true;
  const headlessNoPorts = (spec.ports ?? []).length === 0 && spec.clusterIP === 'None';
  const groups = new Map<string, { ports: ResolvedPort[]; ready: Address[]; notReady: Address[] }>();
  for (const pod of pods) {
    const ports = resolvePorts(svc, pod);
    if (ports.length === 0 && !headlessNoPorts) continue;
    const key = portSetKey(ports);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (tolerateUnready || isPodReady(pod) ? g.ready : g.notReady).push(addressOf(svc, pod));
  }
  return [...groups.keys()].sort().map((key) => {
    const g = groups.get(key) as { ports: ResolvedPort[]; ready: Address[]; notReady: Address[] };
    const subset: Record<string, unknown> = {};
    if (g.ready.length > 0) subset.addresses = g.ready.sort(byIpThenName);
    if (g.notReady.length > 0) subset.notReadyAddresses = g.notReady.sort(byIpThenName);
    if (g.ports.length > 0) subset.ports = [...g.ports].sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.port - b.port)).map(endpointPort);
    return subset;
  });
}

export function buildEndpoints(svc: KubeObject, pods: readonly KubeObject[]): KubeObject {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (!hasClusterIP(svc)) labels[HEADLESS_LABEL] = '';
  labels[ENDPOINTS_MANAGED_BY_LABEL] = ENDPOINTS_CONTROLLER_NAME;
  const out: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels },
  };
  const subsets = endpointSubsets(svc, pods);
  if (subsets.length > 0) out.subsets = subsets;
  return out;
}
