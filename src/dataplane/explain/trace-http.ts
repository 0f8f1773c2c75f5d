/**
 * The HTTP connection manager step of a trace, in the order the data plane's HttpStream takes a
 * request: headers with underscores, the Host port (strip_*_host_port), path normalisation
 * (normalizeRequestPath), header sanitising and the internal/external decision
 * (mutateRequestHeaders), the route (RouteTable), then the HTTP filters, then the router's answer.
 * Every one of those is the data plane's own function or compiled object, built here from the
 * snapshot's HttpConnectionManager and RouteConfiguration with the same settings resolution.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { HttpConnectionManager, RouteConfiguration, Snapshot } from '../../model/index.ts';
import { resolveConnectionManagerSettings, type ConnectionManagerSettings } from '../http/connection-manager-settings.ts';
import type { RequestHeaders } from '../http/header-list.ts';
import { normalizeRequestPath } from '../http/path-normalizer.ts';
import { mutateRequestHeaders, type DownstreamConnection } from '../http/request-headers.ts';
import { parseIp } from '../listener/cidr.ts';
import { RouteTable, type HeaderAccessor, type RouteRequest } from '../routing/index.ts';
import { hostPort } from './describe.ts';
import type { ClusterShare, HttpTrace, TraceOutcome, TraceRequestInput } from './request-trace.ts';
import { traceHttpFilters, type TokensLeft } from './trace-filters.ts';
import { traceRoutes, type RouteDecision } from './trace-route.ts';

/** The connection the request arrives on. */
export interface HttpConnectionFacts {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly tls: boolean;
  readonly serverName: string;
  readonly filterChainName: string | undefined;
}

export interface HttpResult {
  readonly http: HttpTrace;
  /** Set when the request is answered before it is forwarded (local reply, redirect, direct response). */
  readonly outcome?: TraceOutcome;
  /** Where it is forwarded (with shares) and mirrored. */
  readonly clusters: readonly ClusterShare[];
  readonly mirrors: readonly { readonly cluster: string; readonly percent: number }[];
  readonly notes: readonly string[];
}

/** A stand-in for the generated x-request-id (the trace does not depend on its value). */
const NEW_REQUEST_ID = () => '(generated)';

/** Node's view of the request headers: lower-case names, repeated ones joined with `, `. */
function requestHeaders(req: TraceRequestInput): RequestHeaders {
  const h: RequestHeaders = {};
  for (const [name, value] of req.headers) {
    const k = name.toLowerCase();
    const have = h[k];
    h[k] = have === undefined ? value : `${typeof have === 'string' ? have : have.join(', ')}, ${value}`;
  }
  h.host ??= req.authority;
  return h;
}

/** As HttpStream#stripPort. */
function stripPort(authority: string, s: ConnectionManagerSettings, localPort: number): string {
  if (!s.stripAnyHostPort && !s.stripMatchingHostPort) return authority;
  const colon = authority.lastIndexOf(':');
  if (colon < 0 || authority.lastIndexOf(']') > colon) return authority;
  if (s.stripAnyHostPort || authority.slice(colon + 1) === String(localPort)) return authority.slice(0, colon);
  return authority;
}

/** HttpStream's HeaderAccessor: pseudo-headers from the request line, others joined with `,`. */
function accessor(h: RequestHeaders, pseudo: { authority: string; fullPath: string; method: string; scheme: string }): HeaderAccessor {
  return {
    get(name: string): string | undefined {
      switch (name) {
        case ':path':
          return pseudo.fullPath;
        case ':authority':
          return pseudo.authority;
        case ':method':
          return pseudo.method;
        case ':scheme':
          return pseudo.scheme;
        default: {
          if (name.startsWith(':')) return undefined;
          const v = h[name];
          return v === undefined ? undefined : typeof v === 'string' ? v : v.join(',');
        }
      }
    },
  };
}

function routeConfigurationOf(hcm: HttpConnectionManager, snapshot: Snapshot): { rc: RouteConfiguration | undefined; name: string; from: 'rds' | 'inline' } {
  const rs = hcm.routeSpecifier;
  if (rs.kind === 'routeConfig') return { rc: rs.routeConfig, name: rs.routeConfig.name, from: 'inline' };
  return { rc: snapshot.routeConfigurations.find((r) => r.name === rs.rds.routeConfigName), name: rs.rds.routeConfigName, from: 'rds' };
}

function localReply(status: number, flag: string | undefined, summary: string): TraceOutcome {
  return { kind: 'localReply', status, ...(flag !== undefined ? { flag } : {}), summary, notes: [] };
}

/** The request as HttpStream reads it before routing: underscores, Host port, path normalisation. */
type ReadRequest =
  | { readonly kind: 'read'; readonly headers: RequestHeaders; readonly authority: string; readonly fullPath: string }
  | { readonly kind: 'answered'; readonly authority: string; readonly fullPath: string; readonly outcome: TraceOutcome };

function readRequest(req: TraceRequestInput, settings: ConnectionManagerSettings, localPort: number): ReadRequest {
  const headers = requestHeaders(req);
  if (settings.headersWithUnderscoresAction !== 'ALLOW') {
    for (const name of Object.keys(headers)) {
      if (!name.includes('_')) continue;
      if (settings.headersWithUnderscoresAction === 'REJECT_REQUEST') {
        return { kind: 'answered', authority: req.authority, fullPath: req.target, outcome: localReply(400, 'DPE', `400: header ${name} has an underscore (headers_with_underscores_action REJECT_REQUEST)`) };
      }
      headers[name] = undefined;
    }
  }
  const authority = stripPort(headers.host as string, settings, localPort);
  const target = req.target;
  if (target === '' || target === '*') return { kind: 'read', headers, authority, fullPath: target };
  const normalized = normalizeRequestPath(target, settings.path);
  if (typeof normalized === 'string') return { kind: 'read', headers, authority, fullPath: normalized };
  const outcome: TraceOutcome =
    normalized.kind === 'redirect'
      ? { kind: 'redirect', status: 307, location: normalized.location, summary: `307 to ${normalized.location} (path normalisation)`, notes: [] }
      : localReply(400, 'DPE', `400 (${normalized.details})`);
  return { kind: 'answered', authority, fullPath: target, outcome };
}

/** Header sanitising (mutateRequestHeaders, on the connection the request came on), then what the route table sees. */
function routeRequest(r: Extract<ReadRequest, { kind: 'read' }>, method: string, settings: ConnectionManagerSettings, conn: HttpConnectionFacts, rc: RouteConfiguration): { route: RouteRequest; internal: boolean } {
  const downstream: DownstreamConnection = {
    id: 0,
    remoteAddress: conn.remoteAddress,
    remotePort: 0,
    remoteIp: parseIp(conn.remoteAddress),
    localAddress: conn.localAddress,
    localPort: conn.localPort,
    tls: conn.tls,
    serverName: conn.serverName,
    peerCertificatePresented: false,
    peerCertificateValidated: false,
    filterChainName: conn.filterChainName,
    remoteAddressString: hostPort(conn.remoteAddress, 0),
    localAddressString: hostPort(conn.localAddress, conn.localPort),
  };
  const sanitised = mutateRequestHeaders(r.headers, settings, downstream, rc.internalOnlyHeaders, NEW_REQUEST_ID);
  const { authority, fullPath } = r;
  const q = fullPath.indexOf('?');
  const route: RouteRequest = {
    authority,
    path: q < 0 ? fullPath : fullPath.slice(0, q),
    query: q < 0 ? '' : fullPath.slice(q + 1),
    method,
    scheme: sanitised.scheme,
    headers: accessor(r.headers, { authority, fullPath, method, scheme: sanitised.scheme }),
    ...(conn.tls ? { tls: { presented: false, validated: false } } : {}),
  };
  return { route, internal: sanitised.internal };
}

/** What the router answers itself (404, redirect, direct response); undefined = it forwards. */
function routerOutcome(decision: RouteDecision, authority: string): TraceOutcome | undefined {
  const a = decision.action;
  if (a === undefined) return localReply(404, 'NR', `404 (${decision.virtualHost === undefined ? `no virtual host for ${authority}` : 'no route matched'})`);
  switch (a.kind) {
    case 'route':
      return undefined;
    case 'redirect':
      return { kind: 'redirect', status: a.status, location: a.location, summary: `${a.status} redirect to ${a.location}`, notes: [] };
    case 'directResponse': {
      const body = a.body === undefined ? '' : ` "${a.body.length > 60 ? `${a.body.slice(0, 57)}...` : a.body}"`;
      return { kind: 'directResponse', status: a.status, summary: `${a.status} direct response${body}`, notes: [] };
    }
    default:
      return assertNever(a, 'route action');
  }
}

/** Routes tried before the chosen one that take a share of requests first (runtime_fraction). */
function fractionNotes(decision: RouteDecision): string[] {
  return decision.routes.filter((r) => r.verdict === 'sometimes').map((r) => `route #${r.index} takes ${r.share ?? 0}% of these requests first (runtime_fraction)`);
}

export function traceHttpConnectionManager(hcm: HttpConnectionManager, snapshot: Snapshot, conn: HttpConnectionFacts, req: TraceRequestInput, tokensLeft?: TokensLeft): HttpResult {
  const settings = resolveConnectionManagerSettings(hcm);
  const rcRef = routeConfigurationOf(hcm, snapshot);
  const base = { statPrefix: hcm.statPrefix, routeConfiguration: { name: rcRef.name, from: rcRef.from }, filters: [], routes: [], internal: false, scheme: conn.tls ? 'https' : 'http' };
  const answered = (http: HttpTrace, outcome: TraceOutcome): HttpResult => ({ http, outcome, clusters: [], mirrors: [], notes: [] });
  const read = readRequest(req, settings, conn.localPort);
  if (read.kind === 'answered') return answered({ ...base, authority: read.authority, path: read.fullPath }, read.outcome);
  if (rcRef.rc === undefined) return answered({ ...base, authority: read.authority, path: read.fullPath }, localReply(404, 'NR', `404: route configuration ${rcRef.name} does not exist`));
  const { route, internal } = routeRequest(read, req.method, settings, conn, rcRef.rc);
  const http = { ...base, authority: route.authority, path: read.fullPath, scheme: route.scheme, internal };
  const table = RouteTable.build(rcRef.rc);
  if (!table.ok) return answered(http, localReply(500, undefined, `route configuration ${rcRef.name} does not compile: ${table.error.map((d) => d.message).join('; ')}`));
  const decision = traceRoutes(table.value, route);
  const filters = traceHttpFilters(hcm.httpFilters, decision.entry, route, tokensLeft);
  const traced: HttpTrace = {
    ...http,
    filters: filters.filters,
    ...(decision.virtualHost !== undefined ? { virtualHost: decision.virtualHost } : {}),
    routes: decision.routes,
    ...(decision.index !== undefined ? { route: decision.index } : {}),
    ...(decision.action !== undefined ? { action: decision.action } : {}),
  };
  const routerRuns = filters.filters.some((f) => f.kind === 'router' && f.runs);
  const outcome = filters.stop ?? (routerRuns ? routerOutcome(decision, route.authority) : localReply(404, 'NR', '404: no router filter runs (Envoy needs envoy.filters.http.router last)'));
  return {
    http: traced,
    ...(outcome !== undefined ? { outcome } : {}),
    clusters: outcome === undefined ? decision.clusters : [],
    mirrors: outcome === undefined ? decision.mirrors : [],
    notes: [...fractionNotes(decision), ...filters.notes],
  };
}
