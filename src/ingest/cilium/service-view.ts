/** The parts of a Service a config's `services` redirect needs, read defensively. */
import { isIPv4 } from 'node:net';
import type { KubeObject } from '../../api/object.ts';

export interface ServicePortView {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  readonly nodePort?: number;
}

export interface ServiceView {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  /** An IPv4 ClusterIP, or undefined (headless, ExternalName, not allocated yet, IPv6). */
  readonly clusterIP?: string;
  /** The ClusterIP as written, for messages. */
  readonly writtenClusterIP: string;
  readonly ports: readonly ServicePortView[];
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function viewService(svc: KubeObject): ServiceView {
  const spec = record(svc.spec);
  const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  const ports = Array.isArray(spec.ports) ? spec.ports.map(record) : [];
  return {
    namespace: svc.metadata.namespace ?? 'default',
    name: svc.metadata.name,
    type: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
    ...(isIPv4(ip) && spec.type !== 'ExternalName' ? { clusterIP: ip } : {}),
    writtenClusterIP: ip,
    ports: ports.flatMap((p) => {
      const port = int(p.port);
      if (port === undefined) return [];
      const nodePort = int(p.nodePort);
      return [{ name: typeof p.name === 'string' ? p.name : '', port, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP', ...(nodePort !== undefined ? { nodePort } : {}) }];
    }),
  };
}

/** Services by `ns/name`. */
export function indexServices(services: readonly KubeObject[]): ReadonlyMap<string, ServiceView> {
  const out = new Map<string, ServiceView>();
  for (const s of services) {
    const v = viewService(s);
    out.set(`${v.namespace}/${v.name}`, v);
  }
  return out;
}

/** `ip:port`, with an IPv6 address in brackets. */
export function formatHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
