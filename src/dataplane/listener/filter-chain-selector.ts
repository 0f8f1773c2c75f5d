/**
 * Envoy's filter chain selection (listener `FilterChainMatch`): criteria are tried in a fixed order
 * (destination port, destination IP, server name, transport protocol, application protocols,
 * direct source IP, source type, source IP, source port). At each criterion only the chains with
 * the most specific match stay candidates (an exact server name beats `*.example.com`, which
 * beats `*.com`, which beats "no server_names"); once a criterion has chosen, a later criterion
 * that fails does not fall back to less specific chains. No candidate left → the default chain.
 * Compiled once per listener; selection runs once per connection.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { ConnectionSourceType, FilterChainMatch } from '../../model/index.ts';
import { compileCidr, longestMatch, isLoopback, type CompiledCidr } from './cidr.ts';

/** What is known about a connection when its chain is chosen. */
export interface ConnectionFacts {
  readonly localPort: number;
  readonly localIp: Uint8Array | undefined;
  readonly remoteIp: Uint8Array | undefined;
  readonly remotePort: number;
  /** SNI, lower-cased; '' when none (or no tls_inspector ran). */
  readonly serverName: string;
  /** `tls` or `raw_buffer` (Envoy's default when no listener filter set one). */
  readonly transportProtocol: string;
  readonly applicationProtocols: readonly string[];
}

interface CompiledMatch<T> {
  readonly value: T;
  readonly destinationPort: number | undefined;
  readonly prefixRanges: readonly CompiledCidr[];
  readonly serverNames: ReadonlySet<string>;
  /** Wildcard names as the suffix after `*` (`*.example.com` → `.example.com`). */
  readonly wildcardSuffixes: ReadonlySet<string>;
  readonly hasServerNames: boolean;
  readonly transportProtocol: string;
  readonly applicationProtocols: readonly string[];
  readonly directSourcePrefixRanges: readonly CompiledCidr[];
  readonly sourceType: ConnectionSourceType;
  readonly sourcePrefixRanges: readonly CompiledCidr[];
  readonly sourcePorts: ReadonlySet<number>;
}

type Scorer<T> = (m: CompiledMatch<T>, f: ConnectionFacts) => number;

function cidrScore(ranges: readonly CompiledCidr[], ip: Uint8Array | undefined): number {
  if (ranges.length === 0) return 0;
  const len = longestMatch(ranges, ip);
  return len < 0 ? -1 : len + 1;
}

function serverNameScore<T>(m: CompiledMatch<T>, f: ConnectionFacts): number {
  if (!m.hasServerNames) return 0;
  const name = f.serverName;
  if (name === '') return -1;
  if (m.serverNames.has(name)) return 1 << 20;
  // Longest wildcard first: `a.b.example.com` tries `.b.example.com`, `.example.com`, `.com`.
  for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
    const suffix = name.slice(dot);
    if (m.wildcardSuffixes.has(suffix)) return suffix.length + 1;
  }
  return -1;
}

function sourceTypeScore<T>(m: CompiledMatch<T>, f: ConnectionFacts): number {
  switch (m.sourceType) {
    case 'ANY':
      return 0;
    case 'SAME_IP_OR_LOOPBACK':
      return isLocal(f) ? 1 : -1;
    case 'EXTERNAL':
      return isLocal(f) ? -1 : 1;
    default:
      return assertNever(m.sourceType, 'source type');
  }
}

function isLocal(f: ConnectionFacts): boolean {
  if (isLoopback(f.remoteIp)) return true;
  const a = f.remoteIp;
  const b = f.localIp;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The criteria in Envoy's order. */
const CRITERIA: readonly Scorer<unknown>[] = [
  (m, f) => (m.destinationPort === undefined ? 0 : m.destinationPort === f.localPort ? 1 : -1),
  (m, f) => cidrScore(m.prefixRanges, f.localIp),
  serverNameScore,
  (m, f) => (m.transportProtocol === '' ? 0 : m.transportProtocol === f.transportProtocol ? 1 : -1),
  (m, f) => (m.applicationProtocols.length === 0 ? 0 : m.applicationProtocols.some((p) => f.applicationProtocols.includes(p)) ? 1 : -1),
  (m, f) => cidrScore(m.directSourcePrefixRanges, f.remoteIp),
  sourceTypeScore,
  (m, f) => cidrScore(m.sourcePrefixRanges, f.remoteIp),
  (m, f) => (m.sourcePorts.size === 0 ? 0 : m.sourcePorts.has(f.remotePort) ? 1 : -1),
];

export class FilterChainSelector<T> {
  readonly #matches: readonly CompiledMatch<T>[];
  readonly #default: T | undefined;
  /** One chain that matches everything and no default: selection is that chain. */
  readonly #only: T | undefined;
  /** Some chain looks at SNI, ALPN or the transport protocol (the ClientHello must be read). */
  readonly needsClientHello: boolean;

  /** `invalid` collects CIDR ranges that do not parse (reported by the caller as diagnostics). */
  constructor(chains: readonly { readonly match: FilterChainMatch | undefined; readonly value: T }[], defaultChain: T | undefined, invalid: string[] = []) {
    this.#matches = chains.map((c) => compileMatch(c.match, c.value, invalid));
    this.#default = defaultChain;
    const m = this.#matches;
    this.#only = m.length === 1 && defaultChain === undefined && isCatchAll(m[0]) ? m[0].value : undefined;
    this.needsClientHello = m.some((x) => x.hasServerNames || x.transportProtocol !== '' || x.applicationProtocols.length > 0);
  }

  /** The chain for this connection, or undefined (the listener closes the connection). */
  select(facts: ConnectionFacts): T | undefined {
    if (this.#only !== undefined) return this.#only;
    let candidates = this.#matches as readonly CompiledMatch<unknown>[];
    for (const score of CRITERIA) {
      let best = -1;
      let kept: CompiledMatch<unknown>[] = [];
      for (const c of candidates) {
        const s = score(c, facts);
        if (s > best) {
          best = s;
          kept = [c];
        } else if (s === best && s >= 0) {
          kept.push(c);
        }
      }
      if (best < 0) return this.#default;
      candidates = kept;
    }
    return (candidates[0] as CompiledMatch<T> | undefined)?.value ?? this.#default;
  }
}

function isCatchAll<T>(m: CompiledMatch<T>): boolean {
  return (
    m.destinationPort === undefined &&
    m.prefixRanges.length === 0 &&
    !m.hasServerNames &&
    m.transportProtocol === '' &&
    m.applicationProtocols.length === 0 &&
    m.directSourcePrefixRanges.length === 0 &&
    m.sourceType === 'ANY' &&
    m.sourcePrefixRanges.length === 0 &&
    m.sourcePorts.size === 0
  );
}

function compileMatch<T>(m: FilterChainMatch | undefined, value: T, invalid: string[]): CompiledMatch<T> {
  const cidrs = (ranges: FilterChainMatch['prefixRanges'] | undefined): CompiledCidr[] => {
    const out: CompiledCidr[] = [];
    for (const r of ranges ?? []) {
      const c = compileCidr(r);
      if (c) out.push(c);
      else invalid.push(`${r.addressPrefix}/${r.prefixLen}`);
    }
    return out;
  };
  const exact = new Set<string>();
  const wild = new Set<string>();
  for (const raw of m?.serverNames ?? []) {
    const name = raw.toLowerCase();
    if (name.startsWith('*.')) wild.add(name.slice(1));
    else exact.add(name);
  }
  return {
    value,
    destinationPort: m?.destinationPort,
    prefixRanges: cidrs(m?.prefixRanges),
    serverNames: exact,
    wildcardSuffixes: wild,
    hasServerNames: exact.size + wild.size > 0,
    transportProtocol: m?.transportProtocol ?? '',
    applicationProtocols: m?.applicationProtocols ?? [],
    directSourcePrefixRanges: cidrs(m?.directSourcePrefixRanges),
    sourceType: m?.sourceType ?? 'ANY',
    sourcePrefixRanges: cidrs(m?.sourcePrefixRanges),
    sourcePorts: new Set(m?.sourcePorts ?? []),
  };
}
