/**
 * `weft explain request`: what a request will do, step by step, from the snapshot the data plane
 * serves and what the running data plane knows of its hosts. Pure: the snapshot, a runtime view
 * and the request (already resolved to an address, as the outbound proxy resolves it) in; a
 * RequestTrace out. Every decision is made by the data plane's own compiled code (listener
 * lookup and FilterChainSelector, the HCM's settings, path normalisation and header sanitising,
 * RouteTable, the filters' configs, the load balancer), so the trace cannot disagree with traffic.
 */
import type { Snapshot, TcpProxy } from '../../model/index.ts';
import { ENVOY_DEFAULTS } from '../../model/index.ts';
import { hostPort, percentOf } from './describe.ts';
import type { ClusterShare, ClusterTrace, ExplainRequestInput, RequestTrace, TcpTrace, TracedRequest, TraceOutcome } from './request-trace.ts';
import type { TokensLeft } from './trace-filters.ts';
import { traceCluster } from './trace-cluster.ts';
import { traceHttpConnectionManager } from './trace-http.ts';
import { findListener, selectFilterChain, traceListener } from './trace-listener.ts';

/** What curl offers in its ClientHello. */
const CLIENT_ALPN = ['h2', 'http/1.1'];

export interface ExplainRequestOptions {
  /** Tokens left in local rate limit buckets, when the running data plane can tell (by listener and filter name). */
  readonly tokensLeft?: (listener: string, filterName: string) => number | undefined;
}

function tracedRequest(input: ExplainRequestInput): TracedRequest {
  const r = input.request;
  const headers: Record<string, string> = {};
  for (const [k, v] of r.headers) headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
  return { method: r.method, url: `${r.scheme}://${r.authority}${r.target}`, authority: r.authority, target: r.target, headers };
}

function tcpShares(t: TcpProxy): ClusterShare[] {
  const cs = t.clusterSpecifier;
  if (cs.kind === 'cluster') return [{ name: cs.cluster, percent: 100 }];
  const total = cs.weightedClusters.clusters.reduce((n, c) => n + c.weight, 0);
  return cs.weightedClusters.clusters.map((c) => ({ name: c.name, weight: c.weight, percent: total > 0 ? percentOf(c.weight / total) : 0 }));
}

/** `ip:port` of the hosts a cluster picks from, when few enough to list. */
function hostsText(c: ClusterTrace): string {
  const picked = c.panic ? c.endpoints : c.endpoints.filter((e) => e.health !== 'unhealthy');
  if (picked.length === 0) return '';
  if (picked.length <= 3) return ` (${picked.map((e) => e.address).join(', ')})`;
  return ` (one of ${picked.length} hosts, ${c.lbPolicy ?? 'ROUND_ROBIN'})`;
}

/** The outcome of sending to these clusters: forwarded, or 503 / closed when none can take it. */
function forwardOutcome(shares: readonly ClusterShare[], traces: ReadonlyMap<string, ClusterTrace>, tcp: boolean, notes: string[]): TraceOutcome {
  const live = shares.filter((s) => s.percent > 0);
  const usable = live.filter((s) => (traces.get(s.name)?.usable ?? 0) > 0);
  for (const s of live) {
    const c = traces.get(s.name);
    if (c === undefined) continue;
    if (c.usable === 0 && usable.length > 0) notes.push(`${s.percent}% of requests: ${c.found ? '503 no healthy upstream' : '503 cluster not found'} (${s.name})`);
    if (c.panic) notes.push(`${s.name}: too few healthy hosts (healthy_panic_threshold): balancing across all of them, unhealthy ones included`);
    if (!c.healthKnown && c.healthNote !== undefined) notes.push(`${s.name}: host health unknown (${c.healthNote})`);
  }
  if (usable.length === 0) {
    const missing = live.every((s) => traces.get(s.name)?.found === false);
    if (tcp) return { kind: 'closed', summary: `tcp_proxy: ${missing ? 'no such cluster' : 'no healthy upstream'}; the connection is closed`, notes };
    return missing
      ? { kind: 'localReply', status: 503, flag: 'NC', summary: '503 (cluster not found)', notes }
      : { kind: 'localReply', status: 503, flag: 'UH', summary: '503 (no healthy upstream)', notes };
  }
  const where =
    live.length === 1
      ? `${live[0].name}${hostsText(traces.get(live[0].name) as ClusterTrace)}`
      : live.map((s) => `${s.name} ${s.percent}%`).join(', ');
  return { kind: 'forwarded', summary: `${tcp ? 'TCP ' : ''}forwarded to ${where}`, notes };
}

function unreachable(input: ExplainRequestInput, request: TracedRequest, snapshot: Snapshot | undefined): RequestTrace {
  const res = input.resolution;
  const at = hostPort(res.address, res.port);
  const outcome: TraceOutcome =
    res.kind === 'pod'
      ? { kind: 'direct', summary: `Pod ${res.namespace}/${res.pod} answers on ${at} itself: weft's data plane is not on this path`, notes: [] }
      : { kind: 'refused', summary: `connection refused (no listener on ${at}; a Service with no ready endpoint has none)`, notes: [] };
  return { ...(snapshot !== undefined ? { snapshot: { version: snapshot.version, hash: snapshot.hash } } : {}), request, caller: input.caller, resolution: res, clusters: [], outcome };
}

export function explainRequest(snapshot: Snapshot | undefined, input: ExplainRequestInput, options: ExplainRequestOptions = {}): RequestTrace {
  const request = tracedRequest(input);
  const res = input.resolution;
  const listener = snapshot === undefined ? undefined : findListener(snapshot, input.runtime, res.address, res.port);
  if (snapshot === undefined || listener === undefined) return unreachable(input, request, snapshot);
  const head = { snapshot: { version: snapshot.version, hash: snapshot.hash }, request, caller: input.caller, resolution: res, listener: traceListener(listener, res) };
  const tls = input.request.scheme === 'https';
  const serverName = input.request.authority.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const choice = selectFilterChain(listener, { localAddress: res.address, localPort: res.port, remoteAddress: input.caller.sourceAddress, tls, serverName, alpn: CLIENT_ALPN });
  if (choice === undefined) {
    return { ...head, clusters: [], outcome: { kind: 'closed', summary: 'no filter chain matches this connection: the listener closes it', notes: [] } };
  }
  const withChain = { ...head, filterChain: choice.trace };
  const terminal = choice.chain.filters[choice.chain.filters.length - 1];
  if (terminal?.kind === 'tcpProxy') {
    if (choice.trace.tls && !tls) return { ...withChain, clusters: [], outcome: { kind: 'closed', summary: 'the chain terminates TLS and the client speaks plain TCP/HTTP: the handshake fails', notes: [] } };
    const shares = tcpShares(terminal.typedConfig);
    const clusters = shares.map((s) => traceCluster(snapshot, input.runtime, s.name, { percent: s.percent }));
    const tcp: TcpTrace = { statPrefix: terminal.typedConfig.statPrefix, clusters: shares, idleTimeoutMs: terminal.typedConfig.idleTimeoutMs ?? ENVOY_DEFAULTS.tcpProxy.idleTimeoutMs };
    return { ...withChain, tcp, clusters, outcome: forwardOutcome(shares, new Map(clusters.map((c) => [c.name, c])), true, []) };
  }
  if (terminal?.kind !== 'httpConnectionManager') return { ...withChain, clusters: [], outcome: { kind: 'closed', summary: 'the chain has no terminal filter: the connection is closed', notes: [] } };
  if (choice.trace.tls !== tls) {
    const summary = tls ? 'the chain speaks plain HTTP and the client TLS (https://): the handshake fails' : 'the chain terminates TLS and the client speaks plain HTTP: the handshake fails';
    return { ...withChain, clusters: [], outcome: { kind: 'closed', summary, notes: [] } };
  }
  const tokensLeft: TokensLeft | undefined = options.tokensLeft === undefined ? undefined : (filter) => options.tokensLeft?.(listener.name, filter);
  const r = traceHttpConnectionManager(
    terminal.typedConfig,
    snapshot,
    { localAddress: res.address, localPort: res.port, remoteAddress: input.caller.sourceAddress, tls, serverName: tls ? serverName : '', filterChainName: choice.chain.name },
    input.request,
    tokensLeft,
  );
  const traces = new Map<string, ClusterTrace>();
  for (const s of r.clusters) if (!traces.has(s.name)) traces.set(s.name, traceCluster(snapshot, input.runtime, s.name, { percent: s.percent }));
  const mirrored = r.mirrors.filter((m) => !traces.has(m.cluster));
  const mirrors = mirrored.map((m) => traceCluster(snapshot, input.runtime, m.cluster, { percent: m.percent, mirror: true }));
  const notes = [...r.notes, ...r.mirrors.map((m) => `mirrored to ${m.cluster}${m.percent < 100 ? ` (${m.percent}% of requests)` : ''}, answer ignored`)];
  const outcome = r.outcome !== undefined ? { ...r.outcome, notes: [...r.outcome.notes, ...notes] } : forwardOutcome(r.clusters, traces, false, notes);
  return { ...withChain, http: r.http, clusters: [...traces.values(), ...mirrors], outcome };
}
