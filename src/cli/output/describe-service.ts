/**
 * kubectl's Service describer (describeService and formatEndpointSlices in k8s.io/kubectl
 * pkg/describe/describe.go): each port's `Endpoints:` line lists the ready addresses of the
 * Service's EndpointSlices (label kubernetes.io/service-name) for that port name, first three.
 */
import type { KubeObject } from '../../api/object.ts';
import { describeNoEvents, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './describe-writer.ts';
import { formatLabels } from './kube-format.ts';

interface ServicePort {
  readonly name?: string;
  readonly protocol?: string;
  readonly port?: number;
  readonly targetPort?: number | string;
  readonly nodePort?: number;
}

interface ServiceSpec {
  readonly selector?: Readonly<Record<string, string>> | null;
  readonly type?: string;
  readonly ipFamilyPolicy?: string;
  readonly ipFamilies?: readonly string[];
  readonly clusterIP?: string;
  readonly clusterIPs?: readonly string[];
  readonly externalIPs?: readonly string[];
  readonly loadBalancerIP?: string;
  readonly externalName?: string;
  readonly ports?: readonly ServicePort[];
  readonly sessionAffinity?: string;
  readonly externalTrafficPolicy?: string;
  readonly internalTrafficPolicy?: string;
  readonly healthCheckNodePort?: number;
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly trafficDistribution?: string;
}

interface ServiceStatus {
  readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string; readonly ipMode?: string }[] };
}

interface SlicePort {
  readonly name?: string;
  readonly port?: number;
}

interface SliceEndpoint {
  readonly addresses?: readonly string[];
  readonly conditions?: { readonly ready?: boolean };
}

function objectOr<T>(v: unknown): T {
  return (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as T;
}

const MAX_ENDPOINTS = 3;

const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * formatEndpointSlices: `ip:port` of the ready endpoints (a missing `ready` counts as ready) of the
 * slices' ports named `portName`, or bare IPs for slices without ports; `<none>` without slices.
 */
export function formatEndpointSlices(slices: readonly KubeObject[], portName: string | undefined): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  const add = (e: SliceEndpoint, text: (addr: string) => string) => {
    if (list.length === MAX_ENDPOINTS) more = true;
    if (e.conditions?.ready === false) return;
    if (!more) list.push(text((e.addresses ?? [])[0] ?? ''));
    count++;
  };
  for (const slice of slices) {
    const ports = (Array.isArray(slice.ports) ? slice.ports : []) as SlicePort[];
    const endpoints = (Array.isArray(slice.endpoints) ? slice.endpoints : []) as SliceEndpoint[];
    if (ports.length === 0) {
      for (const e of endpoints) add(e, (a) => a);
      continue;
    }
    for (const p of ports) {
      if (portName !== undefined && (p.name ?? '') !== portName) continue;
      for (const e of endpoints) add(e, (a) => joinHostPort(a, p.port ?? 0));
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - MAX_ENDPOINTS} more...` : text;
}

function ingressString(status: ServiceStatus): string {
  return (status.loadBalancer?.ingress ?? []).map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : (i.hostname ?? ''))).join(', ');
}

function describePorts(spec: ServiceSpec, slices: readonly KubeObject[], w: PrefixWriter): void {
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    // The API server defaults protocol to TCP and targetPort to the port.
    const protocol = p.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${p.port ?? 0}/${protocol}\n`);
    w.write(0, `TargetPort:\t${String(p.targetPort ?? p.port ?? 0)}/${protocol}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`);
  }
}

/** The text `kubectl describe service` prints; `slices` are the Service's EndpointSlices. */
export function describeService(svc: KubeObject, slices: readonly KubeObject[]): string {
  const spec = objectOr<ServiceSpec>(svc.spec);
  const status = objectOr<ServiceStatus>(svc.status);
  const w = new PrefixWriter();
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', svc.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? 'ClusterIP'}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  const families = spec.ipFamilies ?? [];
  w.write(0, `IP Families:\t${families.length > 0 ? families.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  const ips = spec.clusterIPs ?? [];
  w.write(0, `IPs:\t${ips.length > 0 ? ips.join(',') : '<none>'}\n`);
  if (spec.externalIPs && spec.externalIPs.length > 0) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  if ((status.loadBalancer?.ingress ?? []).length > 0) w.write(0, `LoadBalancer Ingress:\t${ingressString(status)}\n`);
  describePorts(spec, slices, w);
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges && spec.loadBalancerSourceRanges.length > 0) {
    w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  }
  if (spec.trafficDistribution) w.write(0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  describeNoEvents(w);
  return w.render();
}
