/**
 * Where a config's listeners listen (cilium-semantics.md §1.1.3, in standalone form):
 * - `spec.services` redirects Service ports to a listener (the named one, else the first): the
 *   listener binds each port's `clusterIP:port`, and `nodeAddress:nodePort` for NodePort and
 *   LoadBalancer Services. Several frontends use `address` + `additionalAddresses`.
 * - an explicit wildcard address (`0.0.0.0`, `::`) binds the node's address with that port; a
 *   specific address binds as given.
 * - a listener with neither stays internal (no address).
 * A Service that does not exist yet is no error: its redirect appears when it does.
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import type { Listener, SocketAddress, SourceRef } from '../../model/index.ts';
import type { FieldPath } from '../envoy/index.ts';
import type { ConfigDiagnostics } from './config-diagnostics.ts';
import type { ConfigSpec, RedirectSpec } from './config-spec.ts';
import { qualifyName, type QualifyScope } from './qualified-name.ts';
import { formatHostPort, type ServicePortView, type ServiceView } from './service-view.ts';
import type { ServicePortRedirect } from './types.ts';

/** A qualified listener of the config and the index of its `spec.resources[]` entry. */
export interface ConfigListener {
  readonly listener: Listener;
  readonly resourceIndex: number;
}

export interface BoundListeners {
  readonly listeners: readonly ConfigListener[];
  readonly redirects: readonly ServicePortRedirect[];
  /** `ns/svc` of redirected Services that do not exist (yet). */
  readonly pendingServices: readonly string[];
}

const WILDCARDS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

function socket(address: string, portValue: number): SocketAddress {
  return { kind: 'socketAddress', address, portValue };
}

/** An explicit address, with a wildcard turned into the node's address. */
function onNode(a: SocketAddress, nodeAddress: string): SocketAddress {
  return WILDCARDS.has(a.address) ? socket(nodeAddress, a.portValue) : a;
}

interface Frontend {
  readonly address: SocketAddress;
  readonly path: FieldPath;
}

/** The frontends a Service port has on this node: its ClusterIP port, and its NodePort. */
function serviceFrontends(svc: ServiceView & { readonly clusterIP: string }, port: ServicePortView, nodeAddress: string): SocketAddress[] {
  const out = [socket(svc.clusterIP, port.port)];
  if ((svc.type === 'NodePort' || svc.type === 'LoadBalancer') && port.nodePort !== undefined) out.push(socket(nodeAddress, port.nodePort));
  return out;
}

/** Every Service frontend on this node, by `ip:port`, to keep explicit listener addresses off them. */
function allServiceFrontends(services: ReadonlyMap<string, ServiceView>, nodeAddress: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const svc of services.values()) {
    const ip = svc.clusterIP;
    if (ip === undefined) continue;
    for (const p of svc.ports) {
      if (p.protocol !== 'TCP') continue;
      for (const a of serviceFrontends({ ...svc, clusterIP: ip }, p, nodeAddress)) out.set(addressKey(a), `${svc.namespace}/${svc.name}:${p.port}`);
    }
  }
  return out;
}

/** Works through `spec.services`: which listener takes which Service port, at which addresses. */
class RedirectPlan {
  readonly redirects: ServicePortRedirect[] = [];
  readonly pending: string[] = [];
  readonly frontends = new Map<string, Frontend[]>();
  readonly sources = new Map<string, SourceRef[]>();
  readonly #claimed = new Map<string, string>();
  readonly #names: string[];

  constructor(
    listeners: readonly ConfigListener[],
    readonly scope: QualifyScope,
    readonly nodeAddress: string,
    readonly out: ConfigDiagnostics,
  ) {
    this.#names = listeners.map((l) => l.listener.name as string);
  }

  /** The qualified listener a `services[]` entry goes to, or undefined (reported). */
  target(r: RedirectSpec): string | undefined {
    const path = ['spec', 'services', r.index];
    if (this.#names.length === 0) {
      this.out.error(path, DIAGNOSTIC_CODES.NOT_FOUND, `Service ${r.namespace}/${r.name} is redirected, but spec.resources defines no Listener to redirect it to`, 'add a Listener resource');
      return undefined;
    }
    const listener = r.listener === '' ? this.#names[0] : qualifyName(this.scope, r.listener, true);
    if (this.#names.includes(listener)) return listener;
    this.out.error([...path, 'listener'], DIAGNOSTIC_CODES.NOT_FOUND, `no Listener named "${r.listener}" in spec.resources`, `listeners of this config: ${this.#names.join(', ')}`);
    return undefined;
  }

  redirect(r: RedirectSpec, svc: ServiceView | undefined, listener: string): void {
    const path = ['spec', 'services', r.index];
    const key = `${r.namespace}/${r.name}`;
    if (!svc) {
      if (!this.pending.includes(key)) this.pending.push(key);
      return;
    }
    const ip = svc.clusterIP;
    if (ip === undefined) {
      const why = svc.type === 'ExternalName' ? 'is an ExternalName Service' : svc.writtenClusterIP === '' || svc.writtenClusterIP === 'None' ? 'has no ClusterIP' : `has ClusterIP ${svc.writtenClusterIP}, and weft serves IPv4 Services only`;
      this.out.warning(path, DIAGNOSTIC_CODES.UNSUPPORTED, `Service ${key} ${why}: there is no frontend to redirect`);
      return;
    }
    const tcp = svc.ports.filter((p) => p.protocol === 'TCP');
    r.ports.forEach((port, j) => {
      if (tcp.some((p) => p.port === port)) return;
      this.out.warning([...path, 'ports', j], DIAGNOSTIC_CODES.NOT_FOUND, `Service ${key} has no TCP port ${port}`, `its TCP ports: ${tcp.map((p) => p.port).join(', ') || 'none'}`);
    });
    for (const p of tcp.filter((x) => r.ports.length === 0 || r.ports.includes(x.port))) {
      const portKey = `${key}:${p.port}`;
      const other = this.#claimed.get(portKey);
      if (other === listener) continue;
      if (other !== undefined) {
        this.out.error(path, DIAGNOSTIC_CODES.CONFLICT, `Service port ${portKey} is already redirected to listener "${other}"`);
        continue;
      }
      this.#claimed.set(portKey, listener);
      const bound = serviceFrontends({ ...svc, clusterIP: ip }, p, this.nodeAddress);
      this.redirects.push({ namespace: r.namespace, service: r.name, port: p.port, listener, addresses: bound.map((a) => formatHostPort(a.address, a.portValue)) });
      this.frontends.set(listener, [...(this.frontends.get(listener) ?? []), ...bound.map((address) => ({ address, path }))]);
      const known = this.sources.get(listener) ?? [];
      if (!known.some((s) => s.namespace === svc.namespace && s.name === svc.name)) this.sources.set(listener, [...known, { kind: 'Service', namespace: svc.namespace, name: svc.name }]);
    }
  }
}

function addressKey(a: SocketAddress): string {
  return formatHostPort(a.address.toLowerCase(), a.portValue);
}

export function bindListeners(
  spec: ConfigSpec,
  listeners: readonly ConfigListener[],
  services: ReadonlyMap<string, ServiceView>,
  scope: QualifyScope,
  nodeAddress: string,
  out: ConfigDiagnostics,
): BoundListeners {
  const plan = new RedirectPlan(listeners, scope, nodeAddress, out);
  for (const r of spec.services) {
    const listener = plan.target(r);
    if (listener !== undefined) plan.redirect(r, services.get(`${r.namespace}/${r.name}`), listener);
  }
  const taken = allServiceFrontends(services, nodeAddress);
  const redirected = new Set(plan.redirects.flatMap((r) => r.addresses));
  const used = new Map<string, string>();
  const bound = listeners.map(({ listener: l, resourceIndex }) => {
    const base: FieldPath = ['spec', 'resources', resourceIndex];
    const wanted: Frontend[] = [];
    if (l.address?.kind === 'socketAddress') wanted.push({ address: onNode(l.address, nodeAddress), path: [...base, 'address'] });
    l.additionalAddresses.forEach((a, i) => wanted.push({ address: onNode(a, nodeAddress), path: [...base, 'additional_addresses', i] }));
    for (const f of wanted) {
      const service = taken.get(addressKey(f.address));
      if (service === undefined || redirected.has(addressKey(f.address))) continue;
      out.error(f.path, DIAGNOSTIC_CODES.CONFLICT, `address ${addressKey(f.address)} is the frontend of Service port ${service}`, 'to take over a Service\'s traffic, list it in spec.services and leave the listener without an address');
    }
    wanted.push(...(plan.frontends.get(l.name) ?? []));
    const unique: SocketAddress[] = [];
    for (const f of wanted) {
      const key = addressKey(f.address);
      const owner = used.get(key);
      if (owner === l.name) continue;
      if (owner !== undefined) {
        out.error(f.path, DIAGNOSTIC_CODES.CONFLICT, `address ${key} is already bound by listener "${owner}" of this config`);
        continue;
      }
      used.set(key, l.name);
      unique.push(f.address);
    }
    const pipe = l.address?.kind === 'pipe' ? l.address : undefined;
    const [first, ...rest] = unique;
    const address = pipe ?? first;
    const { address: _written, ...unbound } = l;
    const listener: Listener = {
      ...unbound,
      ...(address ? { address } : {}),
      additionalAddresses: pipe ? unique : rest,
      sources: [...l.sources, ...(plan.sources.get(l.name) ?? [])],
    };
    return { listener, resourceIndex };
  });
  return { listeners: bound, redirects: plan.redirects, pendingServices: plan.pending };
}
