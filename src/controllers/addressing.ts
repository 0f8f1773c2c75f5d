/**
 * Where standalone mode's addresses come from (DESIGN.md "Addresses"): the service CIDR for
 * ClusterIPs, the pod CIDR for Pod IPs, and the node-port range. Options are checked once, at
 * start; a bad one is a Diagnostic.
 */
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { err, ok } from '../lib/result.ts';
import type { Result } from '../lib/result.ts';
import { cidrContains, cidrsOverlap, parseIpv4, parseIpv4Cidr } from './ipv4.ts';
import type { Ipv4Cidr } from './ipv4.ts';

export const DEFAULT_SERVICE_CIDR = '127.96.0.0/16';
export const DEFAULT_POD_CIDR = '127.244.0.0/16';
/** Kubernetes' default --service-node-port-range. */
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';
/** Every Pod's hostIP, and where NodePorts listen. */
export const HOST_IP = '127.0.0.1';

export interface AddressingOptions {
  readonly serviceCidr?: string;
  readonly podCidr?: string;
  /** `MIN-MAX`, inclusive. */
  readonly nodePortRange?: string;
}

export interface Addressing {
  readonly serviceCidr: Ipv4Cidr;
  readonly podCidr: Ipv4Cidr;
  readonly nodePorts: { readonly min: number; readonly max: number };
}

function problem(field: string, message: string, hint?: string): Diagnostic {
  return { code: DIAGNOSTIC_CODES.INVALID_VALUE, severity: 'error', field, message, hint };
}

function parseRange(text: string): { min: number; max: number } | undefined {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = Number(m[2]);
  return min >= 1 && max <= 65535 && min <= max ? { min, max } : undefined;
}

function checkCidr(field: string, text: string, out: Diagnostic[]): Ipv4Cidr | undefined {
  const r = parseIpv4Cidr(text);
  if (!r.ok) {
    out.push(problem(field, r.error));
    return undefined;
  }
  if (r.value.prefix > 30) {
    out.push(problem(field, `${r.value.text} is too small: it needs room for at least two addresses`, 'use a prefix of 30 or less, e.g. /16'));
    return undefined;
  }
  // Standalone mode serves Services and Pods on this machine's loopback (DESIGN.md): all of
  // 127.0.0.0/8 is local on Linux; any other range would give addresses nothing can bind.
  const loopback = parseIpv4Cidr('127.0.0.0/8');
  if (loopback.ok && !(r.value.prefix >= 8 && cidrContains(loopback.value, r.value.base))) {
    out.push(problem(field, `${r.value.text} is not inside the loopback range 127.0.0.0/8`, 'standalone mode binds Service and Pod addresses on this machine, e.g. 127.96.0.0/16'));
    return undefined;
  }
  if (cidrContains(r.value, parseIpv4(HOST_IP) as number)) {
    out.push(problem(field, `${r.value.text} contains the host address ${HOST_IP}`, 'choose a range of 127.0.0.0/8 that leaves 127.0.0.1 out, e.g. 127.96.0.0/16'));
    return undefined;
  }
  return r.value;
}

export function resolveAddressing(opts: AddressingOptions = {}): Result<Addressing, Diagnostic[]> {
  const out: Diagnostic[] = [];
  const serviceCidr = checkCidr('service-cidr', opts.serviceCidr ?? DEFAULT_SERVICE_CIDR, out);
  const podCidr = checkCidr('pod-cidr', opts.podCidr ?? DEFAULT_POD_CIDR, out);
  const rangeText = opts.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
  const nodePorts = parseRange(rangeText);
  if (nodePorts === undefined) {
    out.push(problem('node-port-range', `"${rangeText}" is not a port range MIN-MAX within 1-65535`, `e.g. ${DEFAULT_NODE_PORT_RANGE}`));
  }
  if (serviceCidr && podCidr && cidrsOverlap(serviceCidr, podCidr)) {
    out.push(problem('pod-cidr', `${podCidr.text} overlaps the service CIDR ${serviceCidr.text}`, 'the two ranges must be disjoint'));
  }
  if (out.length > 0 || !serviceCidr || !podCidr || !nodePorts) return err(out);
  return ok({ serviceCidr, podCidr, nodePorts });
}
