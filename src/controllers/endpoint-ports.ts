/**
 * Which port of a Pod serves each port of a Service (Kubernetes' FindPort): a numeric targetPort
 * is used as is; a named one is looked up among the Pod's container ports (and sidecar init
 * containers') with that name and the Service port's protocol, per Pod, so Pods may serve one
 * Service port on different numbers. A Pod that has no such port does not serve that Service port.
 * A Pod with `weft.dev/address: IP:PORT` serves every Service port on PORT.
 */
import type { KubeObject } from '../api/object.ts';
import { podSpecOf, serviceSpecOf } from './kube-types.ts';
import type { Container, ServicePort } from './kube-types.ts';
import { parsePodAddress } from './pod-runtime.ts';

/** A resolved port, in the shape EndpointSlice ports take. */
export interface ResolvedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  readonly appProtocol?: string;
}

function portContainers(pod: KubeObject): Container[] {
  const spec = podSpecOf(pod);
  const main = Array.isArray(spec.containers) ? spec.containers : [];
  const sidecars = (Array.isArray(spec.initContainers) ? spec.initContainers : []).filter((c) => c.restartPolicy === 'Always');
  return [...main, ...sidecars];
}

/** The Pod's port for one Service port, or undefined when the Pod has none. */
export function findPort(pod: KubeObject, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target === 0 ? svcPort.port : target;
  if (typeof target !== 'string') return undefined;
  const protocol = svcPort.protocol ?? 'TCP';
  for (const c of portContainers(pod)) {
    for (const p of Array.isArray(c.ports) ? c.ports : []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** The Service's ports as this Pod serves them (getEndpointPorts), in Service order. */
export function resolvePorts(svc: KubeObject, pod: KubeObject): ResolvedPort[] {
  const ports = serviceSpecOf(svc).ports;
  const addr = parsePodAddress(pod);
  const fixed = addr.ok ? addr.address?.port : undefined;
  const out: ResolvedPort[] = [];
  for (const sp of Array.isArray(ports) ? ports : []) {
    const port = fixed ?? findPort(pod, sp);
    if (port === undefined) continue;
    const resolved: ResolvedPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    out.push(sp.appProtocol === undefined ? resolved : { ...resolved, appProtocol: sp.appProtocol });
  }
  return out;
}

/** A key equal for equal port sets, whatever their order. */
export function portSetKey(ports: readonly ResolvedPort[]): string {
  return JSON.stringify(
    ports.map((p) => [p.name, p.port, p.protocol, p.appProtocol ?? '']).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
}
