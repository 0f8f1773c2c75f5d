/**
 * The text form of a RequestTrace: numbered steps, details indented under each, the outcome last
 * (`=> ...`), so a person reads where the request goes in a few seconds. `-o json|yaml` prints the
 * trace itself instead.
 */
import { assertNever } from '../../lib/assert-never.ts';
import { describeDuration } from './describe.ts';
import type { ClusterShare, ClusterTrace, HttpTrace, RequestTrace, Resolution, RouteActionTrace, RouteCheck, TcpTrace } from './request-trace.ts';

const INDENT = '     ';

function resolutionLine(r: Resolution): string {
  const at = r.address.includes(':') ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`;
  switch (r.kind) {
    case 'service':
      return `${r.host} → Service ${r.namespace}/${r.service} → ClusterIP ${at}`;
    case 'clusterIP':
      return `${at} is the ClusterIP of Service ${r.namespace}/${r.service}`;
    case 'pod':
      return `${at} is the IP of Pod ${r.namespace}/${r.pod}`;
    case 'address':
      return r.host === r.address ? at : `${r.host} → ${at}`;
    default:
      return assertNever(r, 'resolution');
  }
}

function shares(list: readonly ClusterShare[]): string {
  if (list.length === 1) return `cluster ${list[0].name}`;
  return `weighted clusters: ${list.map((c) => `${c.name} ${c.percent}%${c.weight !== undefined ? ` (weight ${c.weight})` : ''}`).join(', ')}`;
}

function routeLine(r: RouteCheck): string {
  const head = `route #${r.index}${r.name !== undefined ? ` (${r.name})` : ''}: ${r.match}`;
  switch (r.verdict) {
    case 'matches':
      return `${head} — matches`;
    case 'sometimes':
      return `${head} — matches only that share; the others go on to the next route`;
    case 'no-match':
      return `${head} — no match: ${r.reasons.join('; ')}`;
    default:
      return assertNever(r.verdict, 'route verdict');
  }
}

function actionLines(a: RouteActionTrace): string[] {
  switch (a.kind) {
    case 'route': {
      const out = [`→ ${shares(a.clusters)}`];
      const more: string[] = [];
      if (a.path.after !== a.path.before || a.path.rewrite !== undefined) more.push(`path ${a.path.before} → ${a.path.after}${a.path.rewrite !== undefined ? ` (${a.path.rewrite})` : ''}`);
      if (a.hostRewrite !== undefined) more.push(`host rewritten to ${a.hostRewrite}`);
      more.push(a.timeoutMs === 0 ? 'no timeout' : `timeout ${describeDuration(a.timeoutMs)}${a.idleTimeoutMs !== undefined ? `, idle timeout ${describeDuration(a.idleTimeoutMs)}` : ''}`);
      const rp = a.retry;
      if (rp !== undefined) {
        const codes = rp.retriableStatusCodes.length > 0 ? ` (status ${rp.retriableStatusCodes.join(', ')})` : '';
        more.push(`retry on ${rp.retryOn.join(', ')}${codes}: up to ${rp.numRetries} retr${rp.numRetries === 1 ? 'y' : 'ies'}${rp.perTryTimeoutMs !== undefined ? `, ${describeDuration(rp.perTryTimeoutMs)} per try` : ''}${rp.from === 'virtual host' ? ' (the virtual host\'s policy)' : ''}`);
      }
      for (const m of a.mirrors) more.push(`mirror to ${m.cluster}${m.percent < 100 ? ` (${m.percent}%)` : ''}`);
      for (const h of a.requestHeaders) more.push(`request header: ${h}`);
      for (const h of a.responseHeaders) more.push(`response header: ${h}`);
      return [...out, ...more.map((l) => `  ${l}`)];
    }
    case 'redirect':
      return [`→ redirect ${a.status} to ${a.location}`];
    case 'directResponse':
      return [`→ direct response ${a.status}${a.body !== undefined ? `: ${JSON.stringify(a.body)}` : ''}`];
    default:
      return assertNever(a, 'route action');
  }
}

function httpLines(h: HttpTrace): string[] {
  const out = [`http_connection_manager (stat_prefix ${h.statPrefix}): :authority ${h.authority}, :path ${h.path}, ${h.scheme}${h.internal ? ', internal' : ', external'}`];
  const d: string[] = [];
  if (h.filters.length > 0) {
    d.push('http filters:');
    h.filters.forEach((f, i) => d.push(`  ${i + 1}. ${f.name}: ${f.summary}`));
  }
  d.push(`route configuration ${h.routeConfiguration.name} (${h.routeConfiguration.from})`);
  if (h.virtualHost !== undefined) d.push(`virtual host ${h.virtualHost.name} (domain ${h.virtualHost.matchedDomain})`);
  else if (h.filters.length > 0) d.push(`no virtual host for ${h.authority}`);
  for (const r of h.routes) d.push(routeLine(r));
  if (h.virtualHost !== undefined && h.route === undefined && h.action === undefined && h.routes.length > 0) d.push('no route matched');
  if (h.action !== undefined) d.push(...actionLines(h.action));
  return [...out, ...d.map((l) => `${INDENT}${l}`)];
}

function tcpLines(t: TcpTrace): string[] {
  return [`tcp_proxy (stat_prefix ${t.statPrefix}) → ${shares(t.clusters)}`, `${INDENT}idle timeout ${describeDuration(t.idleTimeoutMs)}`];
}

function clusterLines(c: ClusterTrace): string[] {
  const what = [
    c.builtin,
    c.type !== undefined ? (c.type === 'EDS' ? `EDS ${c.edsServiceName}` : c.type) : undefined,
    c.lbPolicy,
    c.connectTimeoutMs !== undefined ? `connect timeout ${describeDuration(c.connectTimeoutMs)}` : undefined,
    c.outlierDetection ? 'outlier detection' : undefined,
    c.healthChecks > 0 ? `${c.healthChecks} active health check(s)` : undefined,
  ].filter((x): x is string => x !== undefined);
  const out = [`cluster ${c.name}${c.mirror === true ? ' (mirror)' : ''}${what.length > 0 ? `: ${what.join(', ')}` : ''}`];
  const width = Math.max(0, ...c.endpoints.map((e) => e.address.length));
  const d = c.endpoints.map((e) => {
    const extra = [e.weight !== 1 ? `weight ${e.weight}` : '', e.priority !== 0 ? `priority ${e.priority}` : ''].filter((x) => x !== '');
    return `${e.address.padEnd(width)}  ${e.health}${e.reasons.length > 0 ? ` (${e.reasons.join(', ')})` : ''}${extra.length > 0 ? `  ${extra.join(', ')}` : ''}`;
  });
  d.push(c.summary);
  if (c.healthNote !== undefined) d.push(`health: ${c.healthNote}`);
  const cb = c.circuitBreakers;
  if (cb !== undefined) d.push(`circuit breakers: ${cb.maxConnections} connections, ${cb.maxPendingRequests} pending, ${cb.maxRequests} requests, ${cb.maxRetries} retries`);
  return [...out, ...d.map((l) => `${INDENT}${l}`)];
}

/** The trace as numbered steps; `outcome: false` leaves out the final `=>` line. */
export function formatRequestTrace(t: RequestTrace, options: { readonly outcome?: boolean } = {}): string {
  const extra = Object.entries(t.request.headers).map(([k, v]) => ` -H '${k}: ${v}'`).join('');
  const lines = [`${t.request.method} ${t.request.url}${extra}`];
  lines.push(`  from ${t.caller.kind === 'pod' ? `Pod ${t.caller.namespace}/${t.caller.name}` : `the host (namespace ${t.caller.namespace})`}, connecting from ${t.caller.sourceAddress}`);
  const steps: string[][] = [[`resolve: ${resolutionLine(t.resolution)}`]];
  if (t.listener !== undefined) {
    const l = [`listener ${t.listener.name} on ${t.listener.address}`, `${INDENT}${t.listener.summary}`];
    const fc = t.filterChain;
    if (fc !== undefined) {
      const match = fc.match.length === 0 ? 'matches every connection' : `matches ${fc.match.join(', ')}`;
      const facts = fc.facts.length > 0 ? ` (connection: ${fc.facts.join(', ')})` : '';
      l.push(`${INDENT}filter chain ${fc.index === 'default' ? 'default' : `#${fc.index}`}${fc.name !== undefined ? ` (${fc.name})` : ''}: ${match}${facts}${fc.tls ? ', TLS terminated' : ''} → ${fc.terminal}`);
      for (const f of fc.networkFilters) l.push(`${INDENT}network filter ${f}`);
    }
    steps.push(l);
  }
  if (t.http !== undefined) steps.push(httpLines(t.http));
  if (t.tcp !== undefined) steps.push(tcpLines(t.tcp));
  for (const c of t.clusters) steps.push(clusterLines(c));
  steps.forEach((s, i) => {
    lines.push(`${`${i + 1}.`.padEnd(3)}${s[0]}`);
    lines.push(...s.slice(1));
  });
  if (options.outcome !== false) {
    lines.push(`=> ${t.outcome.summary}`);
    for (const n of t.outcome.notes) lines.push(`   ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
