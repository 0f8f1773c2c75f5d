/**
 * The table columns `weft get` prints per kind, as kubectl's printers (and the CRDs'
 * additionalPrinterColumns for Gateway API and Cilium kinds) print them. `wide` columns appear with
 * `-o wide`; `sparse` ones (weft's own additions) only when some row has something to say.
 */
import { groupKind } from '../../api/kinds.ts';
import type { Condition, KubeObject } from '../../api/object.ts';
import { humanDuration } from './human-duration.ts';
import {
  discoveryEndpoints,
  discoveryPorts,
  endpointsText,
  formatLabels,
  formatLabelSelector,
  ingressHosts,
  loadBalancerAddresses,
  serviceClusterIP,
  serviceExternalIP,
  servicePorts,
} from './kube-format.ts';
import { podCells, readinessGates } from './pod-row.ts';

export interface Column {
  readonly header: string;
  readonly wide?: boolean;
  /** Left out of the table when every row's cell is empty. */
  readonly sparse?: boolean;
  get(o: KubeObject, now: Date, wide: boolean): string;
}

// Printers read loosely-typed object content.
type Any = any;

const spec = (o: KubeObject): Any => (o.spec ?? {}) as Any;
const status = (o: KubeObject): Any => (o.status ?? {}) as Any;
const none = (s: string | undefined) => (s === undefined || s === '' ? '<none>' : s);

export function condition(o: KubeObject, type: string): string {
  const cs = (status(o).conditions ?? []) as Condition[];
  return cs.find((c) => c.type === type)?.status ?? 'Unknown';
}

export const AGE: Column = {
  header: 'AGE',
  get: (o, now) => {
    const t = o.metadata.creationTimestamp;
    return t ? humanDuration(now.getTime() - Date.parse(t)) : '<unknown>';
  },
};

const routeHostnames = (o: KubeObject) => {
  const h = (spec(o).hostnames ?? []) as string[];
  return h.length === 0 ? '' : JSON.stringify(h);
};

const containers = (o: KubeObject): Any[] => (spec(o).template?.spec?.containers ?? spec(o).containers ?? []) as Any[];

/** kubectl's node STATUS: Ready/NotReady/Unknown from the Ready condition, then SchedulingDisabled. */
function nodeStatus(o: KubeObject): string {
  const ready = ((status(o).conditions ?? []) as Condition[]).find((c) => c.type === 'Ready');
  const states = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (spec(o).unschedulable === true) states.push('SchedulingDisabled');
  return states.join(',');
}

/** kubectl's node ROLES: `node-role.kubernetes.io/ROLE` label keys and `kubernetes.io/role` values. */
function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

const nodeAddress = (o: KubeObject, type: string) => none(((status(o).addresses ?? []) as Any[]).find((a) => a?.type === type)?.address);
const nodeInfo = (o: KubeObject, field: string) => {
  const v = status(o).nodeInfo?.[field];
  return typeof v === 'string' && v !== '' ? v : '<unknown>';
};

const COLUMNS: Record<string, readonly Column[]> = {
  Namespace: [{ header: 'STATUS', get: (o) => status(o).phase ?? 'Active' }, AGE],
  Service: [
    { header: 'TYPE', get: (o) => spec(o).type ?? 'ClusterIP' },
    { header: 'CLUSTER-IP', get: (o) => serviceClusterIP(spec(o)) },
    { header: 'EXTERNAL-IP', get: (o, _now, wide) => serviceExternalIP(o, wide) },
    { header: 'PORT(S)', get: (o) => servicePorts(spec(o)) },
    AGE,
    { header: 'SELECTOR', wide: true, get: (o) => formatLabels(spec(o).selector) },
  ],
  Pod: [
    { header: 'READY', get: (o, now) => podCells(o, now).ready },
    { header: 'STATUS', get: (o, now) => podCells(o, now).status },
    { header: 'RESTARTS', get: (o, now) => podCells(o, now).restarts },
    AGE,
    { header: 'IP', wide: true, get: (o) => none(status(o).podIPs?.[0]?.ip ?? status(o).podIP) },
    { header: 'NODE', wide: true, get: (o) => none(spec(o).nodeName) },
    { header: 'NOMINATED NODE', wide: true, get: (o) => none(status(o).nominatedNodeName) },
    { header: 'READINESS GATES', wide: true, get: readinessGates },
    // weft's addition: what weft did not run (a sidecar it does not know) or why the Pod waits.
    { header: 'NOTES', wide: true, sparse: true, get: (o) => String(status(o).message ?? '') },
  ],
  'apps/Deployment': [
    { header: 'READY', get: (o) => `${status(o).readyReplicas ?? 0}/${spec(o).replicas ?? 1}` },
    { header: 'UP-TO-DATE', get: (o) => String(status(o).updatedReplicas ?? 0) },
    { header: 'AVAILABLE', get: (o) => String(status(o).availableReplicas ?? 0) },
    AGE,
    { header: 'CONTAINERS', wide: true, get: (o) => containers(o).map((c) => c.name).join(',') },
    { header: 'IMAGES', wide: true, get: (o) => containers(o).map((c) => c.image).join(',') },
    { header: 'SELECTOR', wide: true, get: (o) => formatLabelSelector(spec(o).selector) },
  ],
  'discovery.k8s.io/EndpointSlice': [
    { header: 'ADDRESSTYPE', get: (o) => String((o as Any).addressType ?? '') },
    { header: 'PORTS', get: discoveryPorts },
    { header: 'ENDPOINTS', get: discoveryEndpoints },
    AGE,
  ],
  Endpoints: [{ header: 'ENDPOINTS', get: endpointsText }, AGE],
  Node: [
    { header: 'STATUS', get: nodeStatus },
    { header: 'ROLES', get: nodeRoles },
    AGE,
    { header: 'VERSION', get: (o) => String(status(o).nodeInfo?.kubeletVersion ?? '') },
    { header: 'INTERNAL-IP', wide: true, get: (o) => nodeAddress(o, 'InternalIP') },
    { header: 'EXTERNAL-IP', wide: true, get: (o) => nodeAddress(o, 'ExternalIP') },
    { header: 'OS-IMAGE', wide: true, get: (o) => nodeInfo(o, 'osImage') },
    { header: 'KERNEL-VERSION', wide: true, get: (o) => nodeInfo(o, 'kernelVersion') },
    { header: 'CONTAINER-RUNTIME', wide: true, get: (o) => nodeInfo(o, 'containerRuntimeVersion') },
  ],
  Secret: [
    { header: 'TYPE', get: (o) => String((o as Any).type ?? 'Opaque') },
    { header: 'DATA', get: (o) => String(Object.keys({ ...((o as Any).data ?? {}), ...((o as Any).stringData ?? {}) }).length) },
    AGE,
  ],
  ConfigMap: [
    { header: 'DATA', get: (o) => String(Object.keys((o as Any).data ?? {}).length + Object.keys((o as Any).binaryData ?? {}).length) },
    AGE,
  ],
  ServiceAccount: [{ header: 'SECRETS', get: (o) => String(((o as Any).secrets ?? []).length) }, AGE],
  'networking.k8s.io/Ingress': [
    { header: 'CLASS', get: (o) => none(spec(o).ingressClassName) },
    { header: 'HOSTS', get: (o) => ingressHosts(spec(o)) },
    { header: 'ADDRESS', get: (o, _now, wide) => loadBalancerAddresses(status(o), wide) },
    { header: 'PORTS', get: (o) => ((spec(o).tls ?? []).length > 0 ? '80, 443' : '80') },
    AGE,
  ],
  'networking.k8s.io/IngressClass': [
    { header: 'CONTROLLER', get: (o) => String(spec(o).controller ?? '') },
    {
      header: 'PARAMETERS',
      get: (o) => {
        const p = spec(o).parameters;
        return p ? `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
      },
    },
    AGE,
  ],
  'networking.k8s.io/NetworkPolicy': [{ header: 'POD-SELECTOR', get: (o) => formatLabelSelector(spec(o).podSelector ?? {}) }, AGE],
  'gateway.networking.k8s.io/GatewayClass': [
    { header: 'CONTROLLER', get: (o) => String(spec(o).controllerName ?? '') },
    { header: 'ACCEPTED', get: (o) => condition(o, 'Accepted') },
    AGE,
    { header: 'DESCRIPTION', wide: true, get: (o) => String(spec(o).description ?? '') },
  ],
  'gateway.networking.k8s.io/Gateway': [
    { header: 'CLASS', get: (o) => String(spec(o).gatewayClassName ?? '') },
    { header: 'ADDRESS', get: (o) => ((status(o).addresses ?? []) as Any[]).map((a) => a.value).join(',') },
    { header: 'PROGRAMMED', get: (o) => condition(o, 'Programmed') },
    AGE,
  ],
  'gateway.networking.k8s.io/HTTPRoute': [{ header: 'HOSTNAMES', get: routeHostnames }, AGE],
  'gateway.networking.k8s.io/GRPCRoute': [{ header: 'HOSTNAMES', get: routeHostnames }, AGE],
  'gateway.networking.k8s.io/TLSRoute': [{ header: 'HOSTNAMES', get: routeHostnames }, AGE],
  'cilium.io/CiliumEnvoyConfig': [
    AGE,
    { header: 'ACCEPTED', wide: true, get: (o) => condition(o, 'Accepted') },
    { header: 'PROGRAMMED', wide: true, get: (o) => condition(o, 'Programmed') },
  ],
  'cilium.io/CiliumClusterwideEnvoyConfig': [
    AGE,
    { header: 'ACCEPTED', wide: true, get: (o) => condition(o, 'Accepted') },
    { header: 'PROGRAMMED', wide: true, get: (o) => condition(o, 'Programmed') },
  ],
  'cilium.io/CiliumNetworkPolicy': [AGE, { header: 'VALID', get: (o) => condition(o, 'Valid') }],
  'cilium.io/CiliumClusterwideNetworkPolicy': [AGE, { header: 'VALID', get: (o) => condition(o, 'Valid') }],
  'cilium.io/CiliumLoadBalancerIPPool': [
    { header: 'DISABLED', get: (o) => String(spec(o).disabled ?? false) },
    { header: 'CONFLICTING', get: (o) => condition(o, 'cilium.io/PoolConflict') },
    { header: 'IPS AVAILABLE', get: (o) => String(status(o).ipsAvailable ?? 'Unknown') },
    AGE,
  ],
  'networking.istio.io/VirtualService': [
    { header: 'GATEWAYS', get: (o) => JSON.stringify(spec(o).gateways ?? []) },
    { header: 'HOSTS', get: (o) => JSON.stringify(spec(o).hosts ?? []) },
    AGE,
  ],
  'networking.istio.io/DestinationRule': [{ header: 'HOST', get: (o) => String(spec(o).host ?? '') }, AGE],
};

export function columnsFor(group: string, kind: string): readonly Column[] {
  return COLUMNS[groupKind(group, kind)] ?? [AGE];
}
