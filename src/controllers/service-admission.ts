/**
 * The API server's part of Services, as an admission hook for the store: defaults
 * (service-defaults.ts), the ClusterIP from the service CIDR, node ports from the node-port range
 * (NodePort, LoadBalancer) and the health-check node port (LoadBalancer with
 * externalTrafficPolicy Local). A requested address or port is honoured when it is in range and
 * free; otherwise the write is refused with 422 Invalid in Kubernetes' words, so `weft apply` and
 * the API refuse it as kubectl would be refused. Allocated values are immutable afterwards.
 *
 * Allocations are stored in the Service itself (no side table): the hook reads every other Service
 * from the store's view to see what is taken, picks a random free address as the API server does,
 * and a Service keeps it across restarts because the store does.
 */
import { splitApiVersion } from '../api/object.ts';
import type { KubeObject } from '../api/object.ts';
import type { AdmissionHook, AdmissionRequest } from '../store/index.ts';
import { StoreError } from '../store/index.ts';
import type { Addressing } from './addressing.ts';
import { allocatableRange, cidrContains, formatIpv4, parseIpv4 } from './ipv4.ts';
import { CRYPTO_RANDOM } from './random.ts';
import type { RandomSource } from './random.ts';
import { defaultServiceSpec, needsClusterIP, needsHealthCheckNodePort, needsNodePorts, serviceTypeOf } from './service-defaults.ts';

export interface ServiceAdmissionOptions {
  readonly addressing: Addressing;
  readonly random?: RandomSource;
}

type Spec = Record<string, unknown>;

interface Context {
  readonly addressing: Addressing;
  readonly random: RandomSource;
  readonly others: readonly KubeObject[];
  readonly errors: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && v !== 0;
}

function portsOf(spec: Spec): Record<string, unknown>[] {
  return Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
}

function specOf(obj: KubeObject): Spec {
  return isObject(obj.spec) ? obj.spec : {};
}

/** Every cluster IP a Service holds (not "None"). */
function clusterIPsOf(spec: Spec): string[] {
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(str) : [];
  return [...ips, str(spec.clusterIP)].filter((ip) => ip !== '' && ip !== 'None');
}

/** Every node port a Service holds, health-check node port included. */
function nodePortsOf(spec: Spec): number[] {
  const out = portsOf(spec).map((p) => p.nodePort).filter(isPort);
  if (isPort(spec.healthCheckNodePort)) out.push(spec.healthCheckNodePort);
  return out;
}

/** A random free value of [first, last], scanning on from a random start as the API server does. */
function pickFree(first: number, last: number, taken: (n: number) => boolean, random: RandomSource): number | undefined {
  const span = last - first + 1;
  const start = random.intBelow(span);
  for (let i = 0; i < span; i++) {
    const n = first + ((start + i) % span);
    if (!taken(n)) return n;
  }
  return undefined;
}

function checkIpFamilies(spec: Spec, ctx: Context): void {
  if (spec.ipFamilyPolicy === 'RequireDualStack') {
    ctx.errors.push('spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services');
  }
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies.map(str) : [];
  const kept: string[] = [];
  families.forEach((f, i) => {
    if (f === 'IPv4') kept.push(f);
    else if (i > 0 && spec.ipFamilyPolicy === 'PreferDualStack') return;
    else ctx.errors.push(`spec.ipFamilies[${i}]: Invalid value: ${JSON.stringify(f)}: not configured on this cluster`);
  });
  spec.ipFamilies = kept.length > 0 ? kept : ['IPv4'];
}

function requestClusterIP(ip: string, ctx: Context, taken: Set<string>): void {
  const n = parseIpv4(ip);
  const where = `spec.clusterIPs: Invalid value: ${JSON.stringify([ip])}: failed to allocate IP ${ip}`;
  const { serviceCidr } = ctx.addressing;
  if (n === undefined) {
    ctx.errors.push(`spec.clusterIPs[0]: Invalid value: ${JSON.stringify(ip)}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`);
  } else if (!cidrContains(serviceCidr, n) || n === serviceCidr.base || n === serviceCidr.base + serviceCidr.size - 1) {
    ctx.errors.push(`${where}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${serviceCidr.text}`);
  } else if (taken.has(formatIpv4(n))) {
    ctx.errors.push(`${where}: provided IP is already allocated`);
  }
}

/**
 * Kubernetes' NormalizeClusterIPs: when clusterIP changed but clusterIPs is still the stored one
 * (carried over, or sent back unchanged), clusterIPs follows clusterIP.
 */
function normalizeClusterIPs(spec: Spec, prev: Spec | undefined): void {
  if (prev === undefined || str(spec.clusterIP) === str(prev.clusterIP)) return;
  if (JSON.stringify(spec.clusterIPs ?? null) !== JSON.stringify(prev.clusterIPs ?? null)) return;
  if (str(spec.clusterIP) === '') delete spec.clusterIPs;
  else spec.clusterIPs = [spec.clusterIP];
}

function admitClusterIP(spec: Spec, prev: Spec | undefined, ctx: Context): void {
  normalizeClusterIPs(spec, prev);
  let ip = str(spec.clusterIP);
  let ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(str).filter((s) => s !== '') : [];
  if (ip === '' && ips.length > 0) ip = ips[0];
  if (ip !== '' && ips.length === 0) ips = [ip];
  if (ips.length > 0 && ips[0] !== ip) {
    ctx.errors.push(`spec.clusterIPs[0]: Invalid value: ${JSON.stringify(ips[0])}: must match clusterIP when both are specified`);
    return;
  }
  if (ips.length > 1) {
    ctx.errors.push(`spec.clusterIPs: Invalid value: ${JSON.stringify(ips)}: this cluster is not configured for dual-stack services`);
    return;
  }
  const prevIp = prev !== undefined && needsClusterIP(prev) ? str(prev.clusterIP) : '';
  if (prevIp !== '' && ip !== prevIp) {
    ctx.errors.push(`spec.clusterIPs[0]: Invalid value: ${JSON.stringify(ip)}: may not change once set`);
    return;
  }
  if (ip === 'None') {
    const type = serviceTypeOf(spec);
    if (type !== 'ClusterIP') ctx.errors.push(`spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for ${type} services`);
  } else if (ip === '') {
    const taken = new Set(ctx.others.flatMap((o) => clusterIPsOf(specOf(o))));
    const { first, last } = allocatableRange(ctx.addressing.serviceCidr);
    const n = pickFree(first, last, (x) => taken.has(formatIpv4(x)), ctx.random);
    if (n === undefined) {
      ctx.errors.push(`spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full (${ctx.addressing.serviceCidr.text})`);
      return;
    }
    ip = formatIpv4(n);
  } else if (ip !== prevIp) {
    requestClusterIP(ip, ctx, new Set(ctx.others.flatMap((o) => clusterIPsOf(specOf(o)))));
  }
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
}

/** ExternalName (no cluster IP): drops what an earlier type had allocated, refuses the rest. */
function dropClusterIP(spec: Spec, prev: Spec | undefined, ctx: Context): void {
  for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
    const v = spec[f];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) {
      delete spec[f];
    } else if (prev !== undefined && JSON.stringify(v) === JSON.stringify(prev[f])) {
      delete spec[f];
    } else {
      ctx.errors.push(`spec.${f}: Forbidden: may not be set for ExternalName services`);
    }
  }
}

function admitNodePorts(spec: Spec, prev: Spec | undefined, ctx: Context): void {
  const type = serviceTypeOf(spec);
  const ports = portsOf(spec);
  const prevPorts = new Set(prev !== undefined && (serviceTypeOf(prev) === 'NodePort' || serviceTypeOf(prev) === 'LoadBalancer') ? nodePortsOf(prev) : []);
  if (type !== 'NodePort' && type !== 'LoadBalancer') {
    ports.forEach((p, i) => {
      if (!isPort(p.nodePort)) delete p.nodePort;
      else if (prevPorts.has(p.nodePort)) delete p.nodePort;
      else ctx.errors.push(`spec.ports[${i}].nodePort: Forbidden: may not be used when \`type\` is '${type}'`);
    });
    return;
  }
  const { min, max } = ctx.addressing.nodePorts;
  const byOthers = new Set(ctx.others.flatMap((o) => nodePortsOf(specOf(o))));
  const mine = new Set<number>(ports.map((p) => p.nodePort).filter(isPort));
  const perProtocol = new Set<string>();
  const byServicePort = new Map<unknown, number>();
  ports.forEach((p, i) => {
    if (!isPort(p.nodePort)) return;
    const np = p.nodePort;
    const where = `spec.ports[${i}].nodePort`;
    if (perProtocol.has(`${np}/${str(p.protocol)}`)) ctx.errors.push(`${where}: Duplicate value: "${np}/${str(p.protocol)}"`);
    perProtocol.add(`${np}/${str(p.protocol)}`);
    byServicePort.set(p.port, np);
    if (prevPorts.has(np)) return;
    if (np < min || np > max) {
      ctx.errors.push(`${where}: Invalid value: ${np}: provided port is not in the valid range. The range of valid ports is ${min}-${max}`);
    } else if (byOthers.has(np)) {
      ctx.errors.push(`${where}: Invalid value: ${np}: provided port is already allocated`);
    }
  });
  if (!needsNodePorts(spec)) return;
  ports.forEach((p, i) => {
    if (isPort(p.nodePort)) return;
    // Ports that differ only in protocol share one node port, as in Kubernetes.
    const same = byServicePort.get(p.port);
    if (same !== undefined && !perProtocol.has(`${same}/${str(p.protocol)}`)) {
      p.nodePort = same;
    } else {
      const n = pickFree(min, max, (x) => byOthers.has(x) || mine.has(x), ctx.random);
      if (n === undefined) {
        ctx.errors.push(`spec.ports[${i}].nodePort: Internal error: failed to allocate a nodePort: range is full (${min}-${max})`);
        return;
      }
      p.nodePort = n;
      mine.add(n);
      byServicePort.set(p.port, n);
    }
    perProtocol.add(`${p.nodePort as number}/${str(p.protocol)}`);
  });
}

function admitHealthCheckNodePort(spec: Spec, prev: Spec | undefined, ctx: Context): void {
  const given = spec.healthCheckNodePort;
  const prevHc = prev !== undefined ? prev.healthCheckNodePort : undefined;
  if (!needsHealthCheckNodePort(spec)) {
    if (!isPort(given) || given === prevHc) delete spec.healthCheckNodePort;
    else ctx.errors.push(`spec.healthCheckNodePort: Invalid value: ${given}: may only be set when \`type\` is 'LoadBalancer' and \`externalTrafficPolicy\` is 'Local'`);
    return;
  }
  const { min, max } = ctx.addressing.nodePorts;
  const taken = new Set([...ctx.others.flatMap((o) => nodePortsOf(specOf(o))), ...portsOf(spec).map((p) => p.nodePort).filter(isPort)]);
  if (isPort(given)) {
    if (given === prevHc) return;
    if (given < min || given > max) {
      ctx.errors.push(`spec.healthCheckNodePort: Invalid value: ${given}: provided port is not in the valid range. The range of valid ports is ${min}-${max}`);
    } else if (taken.has(given)) {
      ctx.errors.push(`spec.healthCheckNodePort: Invalid value: ${given}: provided port is already allocated`);
    }
    return;
  }
  const n = pickFree(min, max, (x) => taken.has(x), ctx.random);
  if (n === undefined) ctx.errors.push(`spec.healthCheckNodePort: Internal error: failed to allocate a nodePort: range is full (${min}-${max})`);
  else spec.healthCheckNodePort = n;
}

function admitService(req: AdmissionRequest, opts: ServiceAdmissionOptions): KubeObject {
  const svc = req.object;
  if (!isObject(svc.spec)) svc.spec = {};
  const spec = svc.spec as Spec;
  const prev = req.stored !== undefined && isObject(req.stored.spec) ? req.stored.spec : undefined;
  const { name, namespace } = svc.metadata;
  const ctx: Context = {
    addressing: opts.addressing,
    random: opts.random ?? CRYPTO_RANDOM,
    others: req.view.list('', 'Service').filter((o) => o.metadata.name !== name || o.metadata.namespace !== namespace),
    errors: [],
  };
  defaultServiceSpec(spec);
  if (needsClusterIP(spec)) {
    checkIpFamilies(spec, ctx);
    admitClusterIP(spec, prev, ctx);
  } else {
    dropClusterIP(spec, prev, ctx);
  }
  admitNodePorts(spec, prev, ctx);
  admitHealthCheckNodePort(spec, prev, ctx);
  if (ctx.errors.length > 0) {
    const detail = ctx.errors.length === 1 ? ctx.errors[0] : `[${ctx.errors.join(', ')}]`;
    throw new StoreError('Invalid', `Service "${name}" is invalid: ${detail}`);
  }
  return svc;
}

/** The admission hook for Services; other objects pass through untouched. */
export function createServiceAdmission(opts: ServiceAdmissionOptions): AdmissionHook {
  return (req) => {
    if (req.object.kind !== 'Service' || splitApiVersion(req.object.apiVersion).group !== '') return req.object;
    return admitService(req, opts);
  };
}
