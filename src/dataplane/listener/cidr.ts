/**
 * IP addresses and CIDR ranges as bytes, parsed once when a listener is compiled; matching a
 * connection's address is a byte comparison. IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, what a
 * dual-stack socket reports for an IPv4 peer) are read as IPv4, as Envoy does.
 */
import net from 'node:net';
import type { CidrRange } from '../../model/index.ts';

export interface CompiledCidr {
  readonly bytes: Uint8Array;
  readonly prefixLen: number;
}

/** The address as 4 (IPv4) or 16 (IPv6) bytes, or undefined when it is not an IP literal. */
export function parseIp(address: string): Uint8Array | undefined {
  if (net.isIPv4(address)) return parseV4(address);
  if (!net.isIPv6(address)) return undefined;
  const zone = address.indexOf('%');
  const text = zone >= 0 ? address.slice(0, zone) : address;
  const lower = text.toLowerCase();
  if (lower.startsWith('::ffff:') && net.isIPv4(lower.slice(7))) return parseV4(lower.slice(7));
  return parseV6(text);
}

function parseV4(a: string): Uint8Array {
  const out = new Uint8Array(4);
  const parts = a.split('.');
  for (let i = 0; i < 4; i++) out[i] = Number(parts[i]);
  return out;
}

function parseV6(a: string): Uint8Array {
  const out = new Uint8Array(16);
  let head = a;
  let tail = '';
  const dbl = a.indexOf('::');
  if (dbl >= 0) {
    head = a.slice(0, dbl);
    tail = a.slice(dbl + 2);
  }
  const groups = (s: string): number[] => {
    if (s === '') return [];
    const res: number[] = [];
    for (const g of s.split(':')) {
      if (g.includes('.')) {
        const v4 = parseV4(g);
        res.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        res.push(parseInt(g, 16));
      }
    }
    return res;
  };
  const h = groups(head);
  const t = groups(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  for (let i = 0; i < 8; i++) {
    out[2 * i] = all[i] >> 8;
    out[2 * i + 1] = all[i] & 255;
  }
  return out;
}

/** Compiles a CidrRange; undefined when the prefix is not an IP or the length is out of range. */
export function compileCidr(range: CidrRange): CompiledCidr | undefined {
  const bytes = parseIp(range.addressPrefix);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  const len = range.prefixLen;
  if (!Number.isInteger(len) || len < 0 || len > max) return undefined;
  return { bytes, prefixLen: len };
}

/** True when `ip` lies in `cidr` (an IPv4 address never lies in an IPv6 range, and vice versa). */
export function cidrContains(cidr: CompiledCidr, ip: Uint8Array): boolean {
  if (cidr.bytes.length !== ip.length) return false;
  let bits = cidr.prefixLen;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((cidr.bytes[i] & mask) !== (ip[i] & mask)) return false;
  }
  return true;
}

/** The longest prefix among `cidrs` that contains `ip`, or -1. */
export function longestMatch(cidrs: readonly CompiledCidr[], ip: Uint8Array | undefined): number {
  if (!ip) return -1;
  let best = -1;
  for (const c of cidrs) if (c.prefixLen > best && cidrContains(c, ip)) best = c.prefixLen;
  return best;
}

/** Envoy's loopback test: 127.0.0.0/8 or ::1. */
export function isLoopback(ip: Uint8Array | undefined): boolean {
  if (!ip) return false;
  if (ip.length === 4) return ip[0] === 127;
  for (let i = 0; i < 15; i++) if (ip[i] !== 0) return false;
  return ip[15] === 1;
}

/**
 * Envoy's `Network::Utility::isInternalAddress` (the default internal_address_config): RFC 1918
 * ranges, 127.0.0.1, fc00::/7 and ::1.
 */
export function isInternalAddress(ip: Uint8Array | undefined): boolean {
  if (!ip) return false;
  if (ip.length === 4) {
    return ip[0] === 10 || (ip[0] === 192 && ip[1] === 168) || (ip[0] === 172 && ip[1] >= 16 && ip[1] <= 31) || (ip[0] === 127 && ip[1] === 0 && ip[2] === 0 && ip[3] === 1);
  }
  return (ip[0] & 0xfe) === 0xfc || isLoopback(ip);
}
