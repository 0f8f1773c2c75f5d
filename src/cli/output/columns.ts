/**
 * The table columns `weft get` prints per kind, copied from kubectl's printers (and the CRDs'
 * additionalPrinterColumns for Gateway API and Cilium kinds). `wide` columns appear with `-o wide`.
 */
import { groupKind } from '../../api/kinds.ts';
import type { Condition, KubeObject } from '../../api/object.ts';

export interface Column {
  readonly header: string;
  readonly wide?: boolean;
  get(o: KubeObject, now: Date): string;
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

/** kubectl's HumanDuration (k8s.io/apimachinery/pkg/util/duration). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

export const AGE: Column = {
  header: 'AGE',
  get: (o, now) => {
    const t = o.metadata.creationTimestamp;
    return t ? humanDuration(now.getTime() - Date.parse(t)) : '<unknown>';
  },
};

function selectorText(sel: Record<string, string> | undefined): string {
  if (!sel || Object.keys(sel).length === 0) return '<none>';
  return Object.entries(sel)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function labelSelectorText(sel: Any): string {
  if (!sel) return '<none>';
  const parts = Object.entries((sel.matchLabels ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
  for (const e of (sel.matchExpressions ?? []) as Any[]) {
    parts.push(`${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.length === 0 ? '<none>' : parts.join(',');
}

const servicePorts = (o: KubeObject) =>
  none(
    ((spec(o).ports ?? []) as Any[])
      .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
      .join(','),
  );

const lbIngress = (o: KubeObject) =>
  ((status(o).loadBalancer?.ingress ?? []) as Any[]).map((i) => i.ip ?? i.hostname).filter(Boolean).join(',');

const routeHostnames = (o: KubeObject) => {
  const h = (spec(o).hostnames ?? []) as string[];
  return h.length === 0 ? '' : JSON.stringify(h);
};

const containers = (o: KubeObject): Any[] => (spec(o).template?.spec?.containers ?? spec(o).containers ?? []) as Any[];

const COLUMNS: Record<string, readonly Column[]> = {
  Namespace: [{ header: 'STATUS', get: (o) => status(o).phase ?? 'Active' }, AGE],
  Service: [
    { header: 'TYPE', get: (o) => spec(o).type ?? 'ClusterIP' },
    { header: 'CLUSTER-IP', get: (o) => spec(o).clusterIP ?? '<pending>' },
    {
      header: 'EXTERNAL-IP',
      get: (o) => {
        const t = spec(o).type ?? 'ClusterIP';
        if (t !== 'LoadBalancer') return none((spec(o).externalIPs ?? []).join(','));
        return lbIngress(o) || '<pending>';
      },
    },
    { header: 'PORT(S)', get: servicePorts },
    AGE,
    { header: 'SELECTOR', wide: true, get: (o) => selectorText(spec(o).selector) },
  ],
  Pod: [
    {
      header: 'READY',
      get: (o) => {
        const cs = (status(o).containerStatuses ?? []) as Any[];
        const total = ((spec(o).containers ?? []) as Any[]).length;
        return `${cs.filter((c) => c.ready).length}/${total}`;
      },
    },
    { header: 'STATUS', get: (o) => status(o).reason ?? status(o).phase ?? 'Pending' },
    {
      header: 'RESTARTS',
      get: (o) => String(((status(o).containerStatuses ?? []) as Any[]).reduce((n, c) => n + (c.restartCount ?? 0), 0)),
    },
    AGE,
    { header: 'IP', wide: true, get: (o) => none(status(o).podIP) },
    { header: 'NODE', wide: true, get: (o) => none(spec(o).nodeName) },
    { header: 'NOTES', wide: true, get: (o) => none((o.metadata.annotations ?? {})['weft.dev/notes'] ?? status(o).message) },
  ],
  'apps/Deployment': [
    { header: 'READY', get: (o) => `${status(o).readyReplicas ?? 0}/${spec(o).replicas ?? 1}` },
    { header: 'UP-TO-DATE', get: (o) => String(status(o).updatedReplicas ?? 0) },
    { header: 'AVAILABLE', get: (o) => String(status(o).availableReplicas ?? 0) },
    AGE,
    { header: 'CONTAINERS', wide: true, get: (o) => containers(o).map((c) => c.name).join(',') },
    { header: 'IMAGES', wide: true, get: (o) => containers(o).map((c) => c.image).join(',') },
    { header: 'SELECTOR', wide: true, get: (o) => labelSelectorText(spec(o).selector) },
  ],
  'discovery.k8s.io/EndpointSlice': [
    { header: 'ADDRESSTYPE', get: (o) => String((o as Any).addressType ?? '') },
    { header: 'PORTS', get: (o) => none(((o as Any).ports ?? []).map((p: Any) => p.port).join(',')) },
    {
      header: 'ENDPOINTS',
      get: (o) => none(((o as Any).endpoints ?? []).flatMap((e: Any) => e.addresses ?? []).join(',')),
    },
    AGE,
  ],
  Endpoints: [
    {
      header: 'ENDPOINTS',
      get: (o) =>
        none(
          (((o as Any).subsets ?? []) as Any[])
            .flatMap((s) => (s.addresses ?? []).flatMap((a: Any) => (s.ports ?? [{}]).map((p: Any) => `${a.ip}${p.port ? `:${p.port}` : ''}`)))
            .join(','),
        ),
    },
    AGE,
  ],
  Secret: [
    { header: 'TYPE', get: (o) => String((o as Any).type ?? 'Opaque') },
    { header: 'DATA', get: (o) => String(Object.keys({ ...((o as Any).data ?? {}), ...((o as Any).stringData ?? {}) }).length) },
    AGE,
  ],
  ConfigMap: [{ header: 'DATA', get: (o) => String(Object.keys((o as Any).data ?? {}).length) }, AGE],
  ServiceAccount: [{ header: 'SECRETS', get: (o) => String(((o as Any).secrets ?? []).length) }, AGE],
  'networking.k8s.io/Ingress': [
    { header: 'CLASS', get: (o) => none(spec(o).ingressClassName) },
    { header: 'HOSTS', get: (o) => ((spec(o).rules ?? []) as Any[]).map((r) => r.host ?? '*').join(',') || '*' },
    { header: 'ADDRESS', get: (o) => lbIngress(o) },
    { header: 'PORTS', get: (o) => ((spec(o).tls ?? []).length > 0 ? '80, 443' : '80') },
    AGE,
  ],
  'networking.k8s.io/IngressClass': [
    { header: 'CONTROLLER', get: (o) => String(spec(o).controller ?? '') },
    { header: 'PARAMETERS', get: (o) => none(spec(o).parameters?.name) },
    AGE,
  ],
  'networking.k8s.io/NetworkPolicy': [{ header: 'POD-SELECTOR', get: (o) => labelSelectorText(spec(o).podSelector) }, AGE],
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
