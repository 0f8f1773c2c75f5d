/**
 * The routing step of a trace: the virtual host `:authority` selects, the routes tried in order
 * (with why each earlier one did not match) and what the chosen one does. The verdicts come from
 * the data plane's own compiled code: RouteTable picks the route; each condition of a route is
 * checked with the same compilers RouteEntry uses (path through a path-only RouteEntry, header
 * and query matchers through compileHeaderMatcher / compileQueryParameterMatcher), so the reasons
 * name exactly what the real match looked at.
 */
import type { DataSource, HeaderMatcher, QueryParameterMatcher, Route, RouteConfiguration, VirtualHost } from '../../model/index.ts';
import { newRoute, newRouteMatch } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import {
  applyPathRewrite,
  buildRedirectLocation,
  compileHeaderMatcher,
  compileQueryParameterMatcher,
  isGrpcContentType,
  parseQueryParams,
  RouteEntry,
  VirtualHostTable,
  type ForwardAction,
  type RouteRequest,
  type RouteTable,
} from '../routing/index.ts';
import { describeHeaderLayers, describeHeaderMatcher, describePath, describeQueryMatcher, describeRouteMatch, percentOf } from './describe.ts';
import type { ClusterShare, HttpTrace, RouteActionTrace, RouteCheck } from './request-trace.ts';

/** A random source that never lets a runtime_fraction below 100% through: the routes every request takes. */
const ALWAYS_LAST = { next: () => 1 - 2 ** -53 };

export interface RouteDecision {
  readonly virtualHost?: HttpTrace['virtualHost'];
  readonly routes: readonly RouteCheck[];
  /** The route chosen (the require_tls redirect included), or undefined (404). */
  readonly entry?: RouteEntry;
  readonly index?: number;
  readonly action?: RouteActionTrace;
  /** Where a forward sends the request. */
  readonly clusters: readonly ClusterShare[];
  readonly mirrors: readonly { readonly cluster: string; readonly percent: number }[];
}

function matchedDomain(config: RouteConfiguration, authority: string): string | undefined {
  // One entry per domain, so the table answers with the very domain that won.
  const entries = config.virtualHosts.flatMap((vh) => vh.domains.map((d) => ({ virtualHost: { ...vh, domains: [d] }, value: d })));
  return new VirtualHostTable(entries, config.ignorePortInHostMatching === true).find(authority);
}

function valueText(v: string | undefined): string {
  return v === undefined ? 'none' : v === '' ? '""' : v;
}

function headerReason(h: HeaderMatcher, req: RouteRequest): string | undefined {
  const compiled = compileHeaderMatcher(h);
  if (!compiled.ok) return `${describeHeaderMatcher(h)}: ${compiled.error}`;
  return compiled.value(req) ? undefined : `${describeHeaderMatcher(h)}, request has ${valueText(req.headers.get(h.name.toLowerCase()))}`;
}

function queryReason(q: QueryParameterMatcher, req: RouteRequest): string | undefined {
  const compiled = compileQueryParameterMatcher(q);
  if (!compiled.ok) return `${describeQueryMatcher(q)}: ${compiled.error}`;
  const params = parseQueryParams(req.query);
  return compiled.value(params) ? undefined : `${describeQueryMatcher(q)}, request has ${valueText(params.get(q.name))}`;
}

/** The path condition alone, through a RouteEntry that has nothing else to check. */
function pathMatches(route: Route, vh: VirtualHost, rc: RouteConfiguration, req: RouteRequest): boolean {
  const probe = newRoute({
    match: newRouteMatch({ pathSpecifier: route.match.pathSpecifier, ...(route.match.caseSensitive !== undefined ? { caseSensitive: route.match.caseSensitive } : {}) }),
    action: { kind: 'directResponse', directResponse: { status: 200 } },
  });
  const entry = RouteEntry.compile(probe, vh, rc);
  if (!entry.ok) return false;
  return entry.value.matches(req, { queryParams: () => parseQueryParams(req.query), randomValue: () => 0 });
}

/** One route against the request: every condition, in Envoy's order. */
export function checkRoute(entry: RouteEntry, rc: RouteConfiguration, req: RouteRequest, index: number): RouteCheck {
  const route = entry.route;
  const m = route.match;
  const reasons: string[] = [];
  if (!pathMatches(route, entry.virtualHost, rc, req)) {
    reasons.push(req.path === '' ? `${describePath(m.pathSpecifier, m.caseSensitive)}: the request has no path` : `${describePath(m.pathSpecifier, m.caseSensitive)} does not match ${req.path}`);
  }
  const fraction = m.runtimeFraction ?? 1;
  if (fraction <= 0) reasons.push('runtime_fraction 0%: matches no request');
  if (m.grpc === true && !isGrpcContentType(req.headers.get('content-type'))) reasons.push(`gRPC only, content-type is ${valueText(req.headers.get('content-type'))}`);
  for (const h of m.headers) {
    const r = headerReason(h, req);
    if (r !== undefined) reasons.push(r);
  }
  for (const q of m.queryParameters) {
    const r = queryReason(q, req);
    if (r !== undefined) reasons.push(r);
  }
  const tls = m.tlsContext;
  if (tls?.presented !== undefined && tls.presented !== (req.tls?.presented ?? false)) reasons.push(`needs a client certificate ${tls.presented ? '' : 'not '}presented`);
  if (tls?.validated !== undefined && tls.validated !== (req.tls?.validated ?? false)) reasons.push(`needs a client certificate ${tls.validated ? '' : 'not '}validated`);
  const verdict = reasons.length > 0 ? 'no-match' : fraction < 1 ? 'sometimes' : 'matches';
  return { index, ...(route.name !== undefined && route.name !== '' ? { name: route.name } : {}), match: describeRouteMatch(m), verdict, ...(verdict === 'sometimes' ? { share: percentOf(fraction) } : {}), reasons };
}

function bodyText(body: DataSource | undefined): string | undefined {
  if (body === undefined) return undefined;
  switch (body.kind) {
    case 'inlineString':
      return body.inlineString;
    case 'inlineBytes':
      return Buffer.from(body.inlineBytes, 'base64').toString('utf8');
    case 'filename':
      return `(the contents of ${body.filename})`;
    case 'environmentVariable':
      return `(the value of $${body.environmentVariable})`;
    default:
      return assertNever(body, 'data source');
  }
}

function sharesOf(a: ForwardAction): ClusterShare[] {
  const t = a.target;
  return t.choices.map((c) =>
    c.weighted === undefined ? { name: c.cluster, percent: 100 } : { name: c.cluster, weight: c.weighted.weight, percent: t.total > 0 ? percentOf(c.weighted.weight / t.total) : 0 },
  );
}

function hostRewriteText(a: ForwardAction, req: RouteRequest): string | undefined {
  const weighted = a.target.choices.filter((c) => c.weighted?.hostRewriteLiteral).map((c) => `${c.cluster}: ${c.weighted?.hostRewriteLiteral}`);
  const h = a.hostRewrite;
  let main: string | undefined;
  switch (h.kind) {
    case 'none':
      break;
    case 'literal':
      main = h.host;
      break;
    case 'auto':
      main = "the upstream host's hostname or address (auto_host_rewrite)";
      break;
    case 'header': {
      const v = req.headers.get(h.header);
      main = v === undefined ? `unchanged: header ${h.header} is absent` : `${v} (from header ${h.header})`;
      break;
    }
    default:
      return assertNever(h, 'host rewrite');
  }
  const parts = [...(main !== undefined ? [main] : []), ...(weighted.length > 0 ? [`per cluster: ${weighted.join(', ')}`] : [])];
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function traceForward(a: ForwardAction, entry: RouteEntry, req: RouteRequest): RouteActionTrace {
  const ra = a.config;
  const query = req.query === '' ? '' : `?${req.query}`;
  const rewrite = ra.regexRewrite
    ? `regex_rewrite ${ra.regexRewrite.pattern} → ${ra.regexRewrite.substitution}`
    : ra.prefixRewrite !== undefined
      ? `prefix_rewrite ${ra.prefixRewrite === '' ? '""' : ra.prefixRewrite}`
      : undefined;
  const host = hostRewriteText(a, req);
  const p = a.retryPolicy;
  const weightedLayers = (side: 'request' | 'response') =>
    a.target.choices.flatMap((c) => {
      const w = c.weighted;
      if (w === undefined) return [];
      const lines = describeHeaderLayers([side === 'request' ? { add: w.requestHeadersToAdd, remove: w.requestHeadersToRemove } : { add: w.responseHeadersToAdd, remove: w.responseHeadersToRemove }]);
      return lines.map((l) => `${l} (when sent to ${c.cluster})`);
    });
  return {
    kind: 'route',
    clusters: sharesOf(a),
    path: { before: `${req.path}${query}`, after: `${applyPathRewrite(a.pathRewrite, req.path)}${query}`, ...(rewrite !== undefined ? { rewrite } : {}) },
    ...(host !== undefined ? { hostRewrite: host } : {}),
    timeoutMs: a.timeoutMs,
    ...(a.idleTimeoutMs !== undefined ? { idleTimeoutMs: a.idleTimeoutMs } : {}),
    ...(p !== undefined
      ? {
          retry: {
            retryOn: [...p.retryOn],
            numRetries: p.numRetries ?? 1,
            ...(p.perTryTimeoutMs !== undefined ? { perTryTimeoutMs: p.perTryTimeoutMs } : {}),
            retriableStatusCodes: [...p.retriableStatusCodes],
            from: ra.retryPolicy !== undefined ? ('route' as const) : ('virtual host' as const),
          },
        }
      : {}),
    mirrors: ra.requestMirrorPolicies.map((m) => ({ cluster: m.cluster, percent: percentOf(m.runtimeFraction ?? 1) })),
    requestHeaders: [...describeHeaderLayers(entry.requestHeaders), ...weightedLayers('request')],
    responseHeaders: [...describeHeaderLayers(entry.responseHeaders), ...weightedLayers('response')],
  };
}

function traceAction(entry: RouteEntry, req: RouteRequest): RouteActionTrace {
  const a = entry.action;
  switch (a.kind) {
    case 'route':
      return traceForward(a, entry, req);
    case 'redirect':
      return { kind: 'redirect', status: a.redirect.status, location: buildRedirectLocation(a.redirect, req) };
    case 'directResponse': {
      const body = bodyText(a.body);
      return { kind: 'directResponse', status: a.status, ...(body !== undefined ? { body } : {}) };
    }
    default:
      return assertNever(a, 'route action');
  }
}

/** Virtual host, routes and action for this request, decided by `table`. */
export function traceRoutes(table: RouteTable, req: RouteRequest): RouteDecision {
  const vh = table.findVirtualHost(req.authority);
  if (vh === undefined) return { routes: [], clusters: [], mirrors: [] };
  const virtualHost = { name: vh.virtualHost.name, domains: [...vh.virtualHost.domains], matchedDomain: matchedDomain(table.config, req.authority) ?? '' };
  const chosen = table.match(req, ALWAYS_LAST);
  if (chosen !== undefined && chosen === vh.tlsRedirect) {
    return { virtualHost, routes: [], entry: chosen, action: traceAction(chosen, req), clusters: [], mirrors: [] };
  }
  const routes: RouteCheck[] = [];
  let index: number | undefined;
  for (let i = 0; i < vh.routes.length; i++) {
    routes.push(checkRoute(vh.routes[i], table.config, req, i + 1));
    if (vh.routes[i] === chosen) {
      index = i + 1;
      break;
    }
  }
  if (chosen === undefined || index === undefined) return { virtualHost, routes, clusters: [], mirrors: [] };
  const action = traceAction(chosen, req);
  return {
    virtualHost,
    routes,
    entry: chosen,
    index,
    action,
    clusters: action.kind === 'route' ? action.clusters : [],
    mirrors: action.kind === 'route' ? action.mirrors : [],
  };
}
