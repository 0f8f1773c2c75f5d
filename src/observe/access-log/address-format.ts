/**
 * Address rendering for the `*_ADDRESS_WITHOUT_PORT(MASK)%` and `*_PORT%` operators. Addresses
 * arrive as Envoy prints them: `1.2.3.4:80`, `[::1]:80`, or a bare IP.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** `1.2.3.4:80` → `1.2.3.4`; `[::1]:80` → `::1`; a bare IP is returned as it is. */
export function addressWithoutPort(address: string): string {
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    return end > 0 ? address.slice(1, end) : address;
  }
  if (isIPv6(address)) return address;
  const colon = address.lastIndexOf(':');
  return colon >= 0 ? address.slice(0, colon) : address;
}

/** The port of `ip:port` / `[ip]:port`, or undefined. */
export function addressPort(address: string): number | undefined {
  if (isIPv6(address)) return undefined;
  const colon = address.lastIndexOf(':');
  if (colon < 0 || (address.startsWith('[') && address[colon - 1] !== ']')) return undefined;
  const port = Number(address.slice(colon + 1));
  return Number.isInteger(port) ? port : undefined;
}

function maskV4(ip: string, bits: number): string {
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const keep = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const m = (n & keep) >>> 0;
  return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}/${bits}`;
}

function expandV6(ip: string): number[] {
  let s = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const o = v4[1].split('.').map(Number);
    s = `${s.slice(0, v4.index)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head, tail] = s.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined ? [] : tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => Number.parseInt(g, 16));
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function compressV6(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function maskV6(ip: string, bits: number): string {
  const groups = expandV6(ip).map((g, i) => {
    const lo = i * 16;
    if (bits >= lo + 16) return g;
    if (bits <= lo) return 0;
    return g & (0xffff << (16 - (bits - lo))) & 0xffff;
  });
  return `${compressV6(groups)}/${bits}`;
}

/**
 * The address without its port, masked to `maskBits` in CIDR form when given
 * (`10.1.10.23`, 16 → `10.1.0.0/16`). Undefined when the mask does not fit the family.
 */
export function formatAddressWithoutPort(address: string, maskBits: number | undefined): string | undefined {
  const ip = addressWithoutPort(address);
  if (maskBits === undefined) return ip;
  if (isIPv4(ip)) return maskBits <= 32 ? maskV4(ip, maskBits) : undefined;
  if (isIPv6(ip)) return maskBits <= 128 ? maskV6(ip, maskBits) : undefined;
  return ip;
}
