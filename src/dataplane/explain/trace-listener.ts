/**
 * The listener step of a trace: which listener is bound to the address the connection reaches
 * (an exact address first, then a wildcard one on that port, as the kernel delivers it), where it
 * came from (a Service's L4 listener, or a CiliumEnvoyConfig's listener that intercepts the
 * Service port), and the filter chain the data plane's own FilterChainSelector picks for the
 * connection (server name and transport protocol only when the listener looks at the ClientHello).
 */
import type { FilterChain, Listener, NetworkFilter, Snapshot, SourceRef } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import { parseIp } from '../listener/cidr.ts';
import { FilterChainSelector } from '../listener/filter-chain-selector.ts';
import { describeDuration, describeFilterChainMatch, hostPort } from './describe.ts';
import type { FilterChainTrace, ListenerOrigin, ListenerTrace, Resolution, RuntimeView } from './request-trace.ts';

const WILDCARDS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);
const ENVOY_CONFIG_KINDS: ReadonlySet<string> = new Set(['CiliumEnvoyConfig', 'CiliumClusterwideEnvoyConfig']);

/** Every `ip:port` a listener serves: its configured addresses and, for port 0, where it got bound. */
function addressesOf(l: Listener, runtime: RuntimeView): { address: string; port: number }[] {
  const out: { address: string; port: number }[] = [];
  if (l.address?.kind === 'socketAddress') out.push({ address: l.address.address, port: l.address.portValue });
  for (const a of l.additionalAddresses) out.push({ address: a.address, port: a.portValue });
  const bound = runtime.listeners?.find((v) => v.name === l.name);
  if (bound?.address !== undefined && bound.port !== undefined) out.push({ address: bound.address, port: bound.port });
  for (const a of bound?.additionalAddresses ?? []) out.push(a);
  return out;
}

/** The listener a connection to `ip:port` reaches, or undefined (connection refused). */
export function findListener(snapshot: Snapshot, runtime: RuntimeView, ip: string, port: number): Listener | undefined {
  const want = ip.toLowerCase();
  let wildcard: Listener | undefined;
  for (const l of snapshot.listeners) {
    for (const a of addressesOf(l, runtime)) {
      if (a.port !== port) continue;
      if (a.address.toLowerCase() === want) return l;
      if (WILDCARDS.has(a.address)) wildcard ??= l;
    }
  }
  return wildcard;
}

function sourceText(s: SourceRef): string {
  return `${s.kind} ${s.namespace !== undefined ? `${s.namespace}/` : ''}${s.name}`;
}

function originOf(l: Listener, resolution: Resolution): ListenerOrigin {
  const config = l.sources.find((s) => ENVOY_CONFIG_KINDS.has(s.kind));
  if (config !== undefined) {
    const service = resolution.kind === 'service' || resolution.kind === 'clusterIP' ? `${resolution.namespace}/${resolution.service}:${resolution.port}` : undefined;
    return {
      kind: 'envoyConfig',
      configKind: config.kind,
      ...(config.namespace !== undefined ? { namespace: config.namespace } : {}),
      name: config.name,
      ...(service !== undefined ? { intercepts: service } : {}),
    };
  }
  const service = l.sources.find((s) => s.kind === 'Service');
  if (service !== undefined) return { kind: 'service', namespace: service.namespace ?? 'default', name: service.name };
  return { kind: 'other', source: l.sources.length > 0 ? l.sources.map(sourceText).join(', ') : 'no recorded source' };
}

export function traceListener(l: Listener, resolution: Resolution): ListenerTrace {
  const origin = originOf(l, resolution);
  let summary: string;
  switch (origin.kind) {
    case 'service':
      summary = `the L4 listener of Service ${origin.namespace}/${origin.name}`;
      break;
    case 'envoyConfig': {
      const who = `${origin.configKind} ${origin.namespace !== undefined ? `${origin.namespace}/` : ''}${origin.name}`;
      summary = origin.intercepts !== undefined ? `${who} intercepts Service ${origin.intercepts}` : `a listener of ${who}`;
      break;
    }
    case 'other':
      summary = `from ${origin.source}`;
      break;
    default:
      summary = assertNever(origin, 'listener origin');
  }
  return { name: l.name, address: hostPort(resolution.address, resolution.port), origin, summary };
}

/** What the listener can know about the connection when it picks a chain. */
export interface ConnectionHello {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  /** The client speaks TLS (an https:// URL): its ClientHello carries SNI and ALPN. */
  readonly tls: boolean;
  readonly serverName: string;
  readonly alpn: readonly string[];
}

export interface ChainChoice {
  readonly chain: FilterChain;
  readonly trace: FilterChainTrace;
}

function networkFilterText(f: NetworkFilter): string {
  switch (f.kind) {
    case 'localRateLimit': {
      const tb = f.typedConfig.tokenBucket;
      return `${f.name}: ${tb.maxTokens} connection(s), +${tb.tokensPerFill ?? 1} every ${describeDuration(tb.fillIntervalMs)}${f.typedConfig.runtimeEnabled === false ? ' (off)' : ''}`;
    }
    case 'connectionLimit':
      return `${f.name}: at most ${f.typedConfig.maxConnections} active connection(s)${f.typedConfig.runtimeEnabled === false ? ' (off)' : ''}`;
    case 'httpConnectionManager':
    case 'tcpProxy':
      return f.name;
    default:
      return assertNever(f, 'network filter');
  }
}

/** The chain the listener picks for this connection, or undefined (it closes the connection). */
export function selectFilterChain(l: Listener, hello: ConnectionHello): ChainChoice | undefined {
  const DEFAULT = -1;
  const selector = new FilterChainSelector(
    l.filterChains.map((c, i) => ({ match: c.filterChainMatch, value: i })),
    l.defaultFilterChain !== undefined ? DEFAULT : undefined,
  );
  // As the listener does: the ClientHello is read only when a tls_inspector runs or a chain needs it.
  const inspect = l.listenerFilters.some((f) => f.kind === 'tlsInspector') || selector.needsClientHello;
  const transportProtocol = inspect && hello.tls ? 'tls' : 'raw_buffer';
  const serverName = inspect && hello.tls ? hello.serverName.toLowerCase() : '';
  const alpn = inspect && hello.tls ? hello.alpn : [];
  const picked = selector.select({
    localPort: hello.localPort,
    localIp: parseIp(hello.localAddress),
    remoteIp: parseIp(hello.remoteAddress),
    remotePort: 0,
    serverName,
    transportProtocol,
    applicationProtocols: alpn,
  });
  if (picked === undefined) return undefined;
  const chain = picked === DEFAULT ? l.defaultFilterChain : l.filterChains[picked];
  if (chain === undefined) return undefined;
  const facts = inspect ? [`transport ${transportProtocol}`, ...(serverName !== '' ? [`server name ${serverName}`] : []), ...(alpn.length > 0 ? [`ALPN ${alpn.join(', ')}`] : [])] : [];
  const last = chain.filters[chain.filters.length - 1];
  return {
    chain,
    trace: {
      index: picked === DEFAULT ? 'default' : picked,
      ...(chain.name !== undefined && chain.name !== '' ? { name: chain.name } : {}),
      match: describeFilterChainMatch(chain.filterChainMatch),
      facts,
      tls: chain.transportSocket !== undefined,
      networkFilters: chain.filters.slice(0, -1).map(networkFilterText),
      terminal: last?.kind === 'tcpProxy' ? 'tcp_proxy' : 'http_connection_manager',
    },
  };
}
