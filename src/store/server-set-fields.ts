/**
 * Fields the server sets on a user's object, which a re-applied manifest does not carry. Kubernetes
 * keeps them through `kubectl apply`'s three-way merge and, for Services, through the API server's
 * `patchAllocatedValues` (pkg/registry/core/service/storage): "they might create a Service without
 * specifying the ClusterIP, in which case we allocate one. If they resubmit that same YAML, we want
 * it to succeed." The store does the same on apply and update: before comparing the incoming object
 * with the stored one, each field below that the incoming object omits is carried over from the
 * stored object, when the condition holds. So re-applying a manifest says `unchanged`, and a
 * Service keeps its ClusterIP and node ports.
 *
 * This table is the one place that lists them:
 *
 * | kind    | field                            | set by                                | carried over when                       |
 * |---------|----------------------------------|---------------------------------------|-----------------------------------------|
 * | Service | spec.clusterIP, spec.clusterIPs  | ClusterIP allocation (API server)     | old and new type both need a cluster IP |
 * | Service | spec.ipFamilies, ipFamilyPolicy  | defaulted from the cluster IP         | the same                                |
 * | Service | spec.ports[].nodePort            | node-port allocation (API server)     | old and new type both need node ports;  |
 * |         |                                  |                                       | matched by port name, not if the new    |
 * |         |                                  |                                       | object uses that number elsewhere       |
 * | Service | spec.healthCheckNodePort         | allocation (LoadBalancer, policy Local)| old and new both need one              |
 * | Pod     | spec.nodeName                    | the scheduler (binding)               | always                                  |
 *
 * "Needs a cluster IP": every type but ExternalName (an absent type is ClusterIP). "Needs node
 * ports": NodePort, and LoadBalancer unless allocateLoadBalancerNodePorts is false.
 *
 * Defaults that the server applies to every write (Service `type`, `sessionAffinity`, port
 * `protocol`...) are not here: carrying them over would keep a value the user removed on purpose.
 * They are re-applied to the incoming object by the admission hooks (admission.ts), so an
 * unchanged manifest still compares equal.
 */
import type { KubeObject } from '../api/object.ts';
import { splitApiVersion } from '../api/object.ts';

interface ServerSetFieldRule {
  readonly group: string;
  readonly kind: string;
  /** The fields, as documented above. */
  readonly fields: string;
  /** Copies the fields from `stored` into `incoming` (a private copy) where the rule says so. */
  readonly carry: (incoming: Record<string, unknown>, stored: Record<string, unknown>) => void;
}

type Spec = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function absent(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 0 || (Array.isArray(v) && v.length === 0);
}

function serviceType(spec: Spec): string {
  return typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'ClusterIP';
}

function needsClusterIP(spec: Spec): boolean {
  return serviceType(spec) !== 'ExternalName';
}

function needsNodePorts(spec: Spec): boolean {
  const t = serviceType(spec);
  return t === 'NodePort' || (t === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

function needsHealthCheckNodePort(spec: Spec): boolean {
  return serviceType(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

function ports(spec: Spec): Record<string, unknown>[] {
  return Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
}

function carryNodePorts(next: Spec, prev: Spec): void {
  const numbers = (s: Spec) => new Set(ports(s).map((p) => p.nodePort).filter((n) => !absent(n)));
  const usedInBoth = numbers(prev);
  const usedNow = numbers(next);
  for (const n of [...usedInBoth]) if (!usedNow.has(n)) usedInBoth.delete(n);
  const byName = new Map<unknown, unknown>();
  for (const p of ports(prev)) byName.set(p.name ?? '', p.nodePort);
  for (const p of ports(next)) {
    if (!absent(p.nodePort)) continue;
    const old = byName.get(p.name ?? '');
    if (!absent(old) && !usedInBoth.has(old)) p.nodePort = old;
  }
}

function carryService(next: Spec, prev: Spec): void {
  if (needsClusterIP(prev) && needsClusterIP(next)) {
    for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
      if (absent(next[f]) && !absent(prev[f])) next[f] = structuredClone(prev[f]);
    }
  }
  if (needsNodePorts(prev) && needsNodePorts(next)) carryNodePorts(next, prev);
  if (needsHealthCheckNodePort(prev) && needsHealthCheckNodePort(next)) {
    if (absent(next.healthCheckNodePort) && !absent(prev.healthCheckNodePort)) {
      next.healthCheckNodePort = prev.healthCheckNodePort;
    }
  }
}

export const SERVER_SET_FIELDS: readonly ServerSetFieldRule[] = [
  {
    group: '',
    kind: 'Service',
    fields: 'spec.clusterIP, spec.clusterIPs, spec.ipFamilies, spec.ipFamilyPolicy, spec.ports[].nodePort, spec.healthCheckNodePort',
    carry: (incoming, stored) => {
      if (isObject(stored.spec) && isObject(incoming.spec)) carryService(incoming.spec, stored.spec);
    },
  },
  {
    group: '',
    kind: 'Pod',
    fields: 'spec.nodeName',
    carry: (incoming, stored) => {
      if (!isObject(stored.spec) || !isObject(incoming.spec)) return;
      if (absent(incoming.spec.nodeName) && !absent(stored.spec.nodeName)) incoming.spec.nodeName = stored.spec.nodeName;
    },
  },
];

/**
 * `incoming` (a private, mutable plain-JSON copy the caller owns) with the server-set fields of
 * `stored` carried over where it omits them; returns `incoming`.
 */
export function carryOverServerSetFields(incoming: KubeObject, stored: KubeObject): KubeObject {
  const { group } = splitApiVersion(incoming.apiVersion);
  for (const rule of SERVER_SET_FIELDS) {
    if (rule.group === group && rule.kind === incoming.kind) rule.carry(incoming, stored);
  }
  return incoming;
}
