/**
 * IPv4 addresses as 32-bit numbers and CIDR ranges, for the address allocators. Standalone mode
 * lives on loopback (127.0.0.0/8), which is IPv4 only.
 */
import { err, ok } from '../lib/result.ts';
import type { Result } from '../lib/result.ts';

export interface Ipv4Cidr {
  /** The network address. */
  readonly base: number;
  readonly prefix: number;
  /** How many addresses the range spans, network and broadcast included. */
  readonly size: number;
  /** Canonical text, `127.96.0.0/16`. */
  readonly text: string;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The address as a number, or undefined when `text` is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseIpv4Cidr(text: string): Result<Ipv4Cidr, string> {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) return err(`"${text}" is not a CIDR (address/prefix, e.g. 127.96.0.0/16)`);
  const ip = parseIpv4(m[1]);
  if (ip === undefined) return err(`"${text}": "${m[1]}" is not an IPv4 address (weft's address ranges are IPv4)`);
  const prefix = Number(m[2]);
  if (prefix > 32) return err(`"${text}": the prefix length must be at most 32`);
  const size = 2 ** (32 - prefix);
  const base = ip - (ip % size);
  return ok({ base, prefix, size, text: `${formatIpv4(base)}/${prefix}` });
}

export function cidrContains(cidr: Ipv4Cidr, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + cidr.size;
}

/** Whether the two ranges share an address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/**
 * The addresses an allocator may hand out: all but the network and broadcast addresses (a /31 or
 * /32 has no such addresses to spare).
 */
export function allocatableRange(cidr: Ipv4Cidr): { readonly first: number; readonly last: number } {
  if (cidr.size <= 2) return { first: cidr.base, last: cidr.base + cidr.size - 1 };
  return { first: cidr.base + 1, last: cidr.base + cidr.size - 2 };
}
