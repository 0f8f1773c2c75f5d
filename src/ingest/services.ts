/**
 * Service traffic at L4, as kube-proxy or Cilium's socket LB gives it (issue 4, "Service
 * traffic"). PURE: Services, EndpointSlices and v1 Endpoints in; listeners, clusters and EDS
 * ClusterLoadAssignments out, sorted, every one carrying its sources.
 *
 * Per Service with a ClusterIP (not headless, not ExternalName), per TCP port:
 * - a ClusterLoadAssignment `<ns>/<svc>:<port>` (port = the frontend port, as Cilium names it,
 *   cilium-semantics.md §1.1.4) holding the ready endpoints at their backend port; plus, as
 *   Cilium publishes for port-less references, `<ns>/<svc>:*` and the bare `<ns>/<svc>` with the
 *   endpoints of every port merged. A CiliumEnvoyConfig's EDS clusters resolve against these.
 *   A named port is published as `<ns>/<svc>:<name>` too.
 * - an EDS cluster `service/<ns>/<svc>:<port>` and a tcp_proxy listener of the same name on
 *   `clusterIP:port`; for NodePort and LoadBalancer Services, a second listener
 *   `service/<ns>/<svc>:<port>/node-port` on `127.0.0.1:nodePort`.
 * A Service port with no ready endpoint gets no listener: nothing listens on that address, so the
 * kernel answers the SYN with a reset and the client fails at once with "connection refused", which
 * is what kube-proxy's REJECT rule gives (an accepting listener with an empty cluster would instead
 * accept and then close, "empty reply from server", which reads like a server fault).
 *
 * Endpoints come from EndpointSlices labelled `kubernetes.io/service-name` (weft's own and
 * hand-written ones alike, IPv4 only), matched to the Service port by port name; for a Service
 * without a selector, also from a hand-written v1 Endpoints object of the same name (as
 * Kubernetes' EndpointSliceMirroring would mirror it). Ready means `conditions.ready` is not
 * false (absent = ready, as in discovery.k8s.io/v1). Duplicates (the same IP:port twice) count once.
 */
import type { KubeObject } from '../api/object.ts';
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { newCluster, newFilterChain, newListener } from '../model/builders.ts';
import { clusterName } from '../model/ids.ts';
import type { Cluster, ClusterLoadAssignment, LbEndpoint, Listener, SnapshotResources, SourceRef } from '../model/index.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Where NodePorts listen (the node's address in standalone mode). */
export const NODE_PORT_HOST = '127.0.0.1';
export const SERVICE_RESOURCE_PREFIX = 'service/';

export interface ServicesInput {
  readonly services: readonly KubeObject[];
  readonly endpointSlices: readonly KubeObject[];
  readonly endpoints: readonly KubeObject[];
  /** Where NodePorts listen (the node's address); default 127.0.0.1. */
  readonly nodeAddress?: string;
  /**
   * Service ports (`ns/svc:port`) a CiliumEnvoyConfig's `services` redirects into its own listener:
   * they get no L4 listener here (the config's listener binds their frontends), but their EDS
   * assignments are still published.
   */
  readonly redirected?: ReadonlySet<string>;
}

export interface IngestResult {
  readonly resources: SnapshotResources;
  readonly diagnostics: readonly Diagnostic[];
}

interface ServicePort {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  readonly nodePort?: number;
}

interface ServiceView {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly clusterIP: string | undefined;
  readonly hasSelector: boolean;
  readonly ports: readonly ServicePort[];
}

/** One ready backend of a Service port: address and backend port. */
interface Backend {
  readonly ip: string;
  readonly port: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.map(record) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function viewService(svc: KubeObject): ServiceView {
  const spec = record((svc as { spec?: unknown }).spec);
  const selector = record(spec.selector);
  return {
    namespace: svc.metadata.namespace ?? 'default',
    name: svc.metadata.name,
    type: str(spec.type) ?? 'ClusterIP',
    clusterIP: str(spec.clusterIP),
    hasSelector: Object.keys(selector).length > 0,
    ports: list(spec.ports).map((p) => ({
      name: str(p.name) ?? '',
      port: num(p.port) ?? 0,
      protocol: str(p.protocol) ?? 'TCP',
      ...(num(p.nodePort) !== undefined ? { nodePort: num(p.nodePort) } : {}),
    })),
  };
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Ready backends per Service (`ns/name`) and port name, from EndpointSlices. */
function backendsFromSlices(slices: readonly KubeObject[]): Map<string, Map<string, Backend[]>> {
  const out = new Map<string, Map<string, Backend[]>>();
  for (const slice of slices) {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    const body = slice as unknown as Record<string, unknown>;
    if (service === undefined || (str(body.addressType) ?? 'IPv4') !== 'IPv4') continue;
    const byPort = out.get(keyOf(slice.metadata.namespace ?? 'default', service)) ?? new Map<string, Backend[]>();
    out.set(keyOf(slice.metadata.namespace ?? 'default', service), byPort);
    const ready = list(body.endpoints).filter((e) => record(e.conditions).ready !== false);
    for (const p of list(body.ports)) {
      const port = num(p.port);
      if (port === undefined || (str(p.protocol) ?? 'TCP') !== 'TCP') continue;
      const name = str(p.name) ?? '';
      const backends = byPort.get(name) ?? [];
      byPort.set(name, backends);
      for (const e of ready) {
        for (const ip of Array.isArray(e.addresses) ? e.addresses : []) if (typeof ip === 'string' && IPV4.test(ip)) backends.push({ ip, port });
      }
    }
  }
  return out;
}

/** Ready backends per port name of one hand-written v1 Endpoints object. */
function backendsFromEndpoints(ep: KubeObject): Map<string, Backend[]> {
  const byPort = new Map<string, Backend[]>();
  for (const subset of list((ep as unknown as Record<string, unknown>).subsets)) {
    const ips = list(subset.addresses)
      .map((a) => str(a.ip))
      .filter((ip): ip is string => ip !== undefined && IPV4.test(ip));
    for (const p of list(subset.ports)) {
      const port = num(p.port);
      if (port === undefined || (str(p.protocol) ?? 'TCP') !== 'TCP') continue;
      const name = str(p.name) ?? '';
      byPort.set(name, [...(byPort.get(name) ?? []), ...ips.map((ip) => ({ ip, port }))]);
    }
  }
  return byPort;
}

function uniqueSorted(backends: readonly Backend[]): Backend[] {
  const seen = new Map<string, Backend>();
  for (const b of backends) seen.set(`${b.ip}:${b.port}`, b);
  return [...seen.values()].sort((a, b) => compareIp(a.ip, b.ip) || a.port - b.port);
}

function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

function assignment(name: string, backends: readonly Backend[], sources: readonly SourceRef[]): ClusterLoadAssignment {
  const lbEndpoints: LbEndpoint[] = backends.map((b) => ({ endpoint: { address: { kind: 'socketAddress', address: b.ip, portValue: b.port } } }));
  return { clusterName: name, endpoints: lbEndpoints.length === 0 ? [] : [{ lbEndpoints }], sources };
}

function tcpListener(name: string, address: string, port: number, cluster: string, sources: readonly SourceRef[]): Listener {
  return newListener({
    name,
    address: { kind: 'socketAddress', address, portValue: port },
    filterChains: [
      newFilterChain({
        filters: [
          {
            kind: 'tcpProxy',
            name: 'envoy.filters.network.tcp_proxy',
            typedConfig: { statPrefix: cluster, clusterSpecifier: { kind: 'cluster', cluster: clusterName(cluster) }, accessLog: [] },
          },
        ],
      }),
    ],
    trafficDirection: 'OUTBOUND',
    sources,
  });
}

function sliceSources(slices: readonly KubeObject[], namespace: string, service: string): SourceRef[] {
  return slices
    .filter((s) => (s.metadata.namespace ?? 'default') === namespace && s.metadata.labels?.[SERVICE_NAME_LABEL] === service)
    .map((s) => ({ kind: 'EndpointSlice', namespace, name: s.metadata.name }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function ingestServices(input: ServicesInput): IngestResult {
  const diagnostics: Diagnostic[] = [];
  const listeners: Listener[] = [];
  const clusters: Cluster[] = [];
  const endpoints: ClusterLoadAssignment[] = [];
  const fromSlices = backendsFromSlices(input.endpointSlices);
  const manualEndpoints = new Map(input.endpoints.map((e) => [keyOf(e.metadata.namespace ?? 'default', e.metadata.name), e]));
  const services = [...input.services].sort((a, b) => {
    const ka = keyOf(a.metadata.namespace ?? 'default', a.metadata.name);
    const kb = keyOf(b.metadata.namespace ?? 'default', b.metadata.name);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const obj of services) {
    const svc = viewService(obj);
    if (svc.type === 'ExternalName' || svc.clusterIP === undefined || svc.clusterIP === '' || svc.clusterIP === 'None') continue;
    if (!IPV4.test(svc.clusterIP)) {
      diagnostics.push({
        code: DIAGNOSTIC_CODES.UNSUPPORTED,
        severity: 'warning',
        object: { kind: 'Service', namespace: svc.namespace, name: svc.name },
        field: 'spec.clusterIP',
        message: `clusterIP ${svc.clusterIP} is not an IPv4 address; weft serves IPv4 Services only, so this Service gets no listener`,
      });
      continue;
    }
    const key = keyOf(svc.namespace, svc.name);
    const serviceSource: SourceRef = { kind: 'Service', namespace: svc.namespace, name: svc.name };
    const sources: SourceRef[] = [serviceSource, ...sliceSources(input.endpointSlices, svc.namespace, svc.name)];
    const manual = svc.hasSelector ? undefined : manualEndpoints.get(key);
    if (manual !== undefined) sources.push({ kind: 'Endpoints', namespace: svc.namespace, name: svc.name });
    const manualByPort = manual === undefined ? new Map<string, Backend[]>() : backendsFromEndpoints(manual);
    const allBackends: Backend[] = [];
    for (const port of svc.ports) {
      if (port.protocol !== 'TCP' || port.port <= 0) continue;
      const backends = uniqueSorted([...(fromSlices.get(key)?.get(port.name) ?? []), ...(manualByPort.get(port.name) ?? [])]);
      allBackends.push(...backends);
      const edsName = `${key}:${port.port}`;
      const name = `${SERVICE_RESOURCE_PREFIX}${edsName}`;
      endpoints.push(assignment(edsName, backends, sources));
      // Cilium also answers for the port's name (`backendServices[].number: ["http"]`).
      if (port.name !== '' && port.name !== String(port.port)) endpoints.push(assignment(`${key}:${port.name}`, backends, sources));
      clusters.push(newCluster({ name, type: 'EDS', edsClusterConfig: { serviceName: edsName }, sources: [serviceSource] }));
      if (backends.length === 0 || input.redirected?.has(edsName)) continue;
      listeners.push(tcpListener(name, svc.clusterIP, port.port, name, [serviceSource]));
      if ((svc.type === 'NodePort' || svc.type === 'LoadBalancer') && port.nodePort !== undefined) {
        listeners.push(tcpListener(`${name}/node-port`, input.nodeAddress ?? NODE_PORT_HOST, port.nodePort, name, [serviceSource]));
      }
    }
    const merged = uniqueSorted(allBackends);
    endpoints.push(assignment(`${key}:*`, merged, sources), assignment(key, merged, sources));
  }
  const byName = <T>(items: T[], name: (t: T) => string): T[] => items.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return {
    resources: {
      listeners: byName(listeners, (l) => l.name),
      clusters: byName(clusters, (c) => c.name),
      endpoints: byName(endpoints, (e) => e.clusterName),
    },
    diagnostics,
  };
}
