/**
 * One Route compiled: its match as typed predicates (path kind and value, lower-cased once when
 * case-insensitive; RE2 compiled; header and query matchers compiled), and its action with every
 * reference and default resolved (cluster target with cumulative weights, path and host rewrite,
 * timeout, retry policy with the virtual host's as fallback, hash policy, merged per-filter
 * config, header mutation layers in Envoy's evaluation order).
 */
import { compileRetryPolicy, type CompiledRetryPolicy } from './retry-policy.ts';
import type {
  DataSource,
  HeaderValueOption,
  PerFilterConfigs,
  RetryPolicy,
  Route,
  RouteAction,
  RouteConfiguration,
  VirtualHost,
} from '../../model/index.ts';
import { compileRe2, ENVOY_DEFAULTS, type Re2 } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { asciiLower, equalsFold, startsWithFold } from './ascii.ts';
import { singleClusterTarget, weightedClusterTarget, type ClusterTarget } from './cluster-pick.ts';
import { compileHashPolicy, type RequestHasher } from './hash-policy.ts';
import { compileHeaderMatcher, compileQueryParameterMatcher, type QueryParams, type QueryPredicate, type RequestPredicate } from './header-matcher.ts';
import { compilePrefixRewrite, compileRegexRewrite, NO_PATH_REWRITE, type PathRewrite } from './path-rewrite.ts';
import { compileRedirect, type CompiledRedirect } from './redirect.ts';
import { requiredLiteralPrefix } from './regex-prefix.ts';
import type { RouteRequest } from './request.ts';

/** How the upstream :authority is rewritten. */
export type HostRewrite =
  | { readonly kind: 'none' }
  | { readonly kind: 'literal'; readonly host: string }
  /** To the picked upstream host's hostname or address (the runtime knows it). */
  | { readonly kind: 'auto' }
  /** To this (lower-case) request header's value, when present. */
  | { readonly kind: 'header'; readonly header: string };

export interface ForwardAction {
  readonly kind: 'route';
  readonly config: RouteAction;
  readonly target: ClusterTarget;
  readonly pathRewrite: PathRewrite;
  readonly hostRewrite: HostRewrite;
  /** Envoy's default 15 s applied; 0 = none. */
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number | undefined;
  /** The route's policy, else the virtual host's. */
  readonly retryPolicy: RetryPolicy | undefined;
  /** `retryPolicy` compiled. */
  readonly retry: CompiledRetryPolicy | undefined;
  /** The virtual host's include_request_attempt_count (`x-envoy-attempt-count` upstream). */
  readonly includeAttemptCount: boolean;
  readonly hasher: RequestHasher | undefined;
}

export type CompiledAction =
  | ForwardAction
  | { readonly kind: 'redirect'; readonly redirect: CompiledRedirect }
  | { readonly kind: 'directResponse'; readonly status: number; readonly body: DataSource | undefined };

/** One layer of header mutations (route, virtual host or route configuration). */
export interface HeaderMutations {
  readonly add: readonly HeaderValueOption[];
  readonly remove: readonly string[];
}

/** What a route needs from the table while matching: per-request values computed at most once. */
export interface MatchScratch {
  queryParams(): QueryParams;
  randomValue(): number;
}

/** Path specifier kinds as small integers, so the per-request switch stays monomorphic. */
const PathKind = { Prefix: 0, Exact: 1, Regex: 2, SeparatedPrefix: 3, Connect: 4 } as const;
type PathKind = (typeof PathKind)[keyof typeof PathKind];

function compileForward(ra: RouteAction, route: Route, vh: VirtualHost): Result<ForwardAction, string> {
  const cs = ra.clusterSpecifier;
  const target = cs.kind === 'cluster' ? singleClusterTarget(cs.cluster) : weightedClusterTarget(cs.weightedClusters);
  let pathRewrite: PathRewrite = NO_PATH_REWRITE;
  if (ra.prefixRewrite !== undefined) pathRewrite = compilePrefixRewrite(ra.prefixRewrite, route.match.pathSpecifier);
  if (ra.regexRewrite) {
    const rw = compileRegexRewrite(ra.regexRewrite);
    if (!rw.ok) return err(rw.error);
    pathRewrite = rw.value;
  }
  let hostRewrite: HostRewrite = { kind: 'none' };
  const hr = ra.hostRewriteSpecifier;
  if (hr?.kind === 'hostRewriteLiteral' && hr.hostRewriteLiteral !== '') hostRewrite = { kind: 'literal', host: hr.hostRewriteLiteral };
  else if (hr?.kind === 'autoHostRewrite' && hr.autoHostRewrite) hostRewrite = { kind: 'auto' };
  else if (hr?.kind === 'hostRewriteHeader' && hr.hostRewriteHeader !== '') hostRewrite = { kind: 'header', header: asciiLower(hr.hostRewriteHeader) };
  const hasher = compileHashPolicy(ra.hashPolicy);
  if (!hasher.ok) return err(hasher.error);
  const retryPolicy = ra.retryPolicy ?? vh.retryPolicy;
  let retry: CompiledRetryPolicy | undefined;
  if (retryPolicy !== undefined) {
    const r = compileRetryPolicy(retryPolicy);
    if (!r.ok) return err(r.error);
    retry = r.value;
  }
  return ok({
    kind: 'route',
    config: ra,
    target,
    pathRewrite,
    hostRewrite,
    timeoutMs: ra.timeoutMs ?? ENVOY_DEFAULTS.route.timeoutMs,
    idleTimeoutMs: ra.idleTimeoutMs,
    retryPolicy,
    retry,
    includeAttemptCount: vh.includeRequestAttemptCount === true,
    hasher: hasher.value,
  });
}

function compileAction(route: Route, vh: VirtualHost): Result<CompiledAction, string> {
  const a = route.action;
  switch (a.kind) {
    case 'route':
      return compileForward(a.route, route, vh);
    case 'redirect': {
      const r = compileRedirect(a.redirect, route.match);
      return r.ok ? ok({ kind: 'redirect', redirect: r.value }) : err(r.error);
    }
    case 'directResponse':
      return ok({ kind: 'directResponse', status: a.directResponse.status, body: a.directResponse.body });
    default:
      return assertNever(a, 'route action');
  }
}

export class RouteEntry {
  readonly route: Route;
  readonly virtualHost: VirtualHost;
  readonly action: CompiledAction;
  /** Evaluation order: later layers win (Envoy: outermost last unless most_specific_header_mutations_wins). */
  readonly requestHeaders: readonly HeaderMutations[];
  readonly responseHeaders: readonly HeaderMutations[];
  /** typed_per_filter_config merged: route over virtual host over route configuration. */
  readonly perFilterConfig: PerFilterConfigs;
  readonly #pathKind: PathKind;
  readonly #pathValue: string;
  readonly #ignoreCase: boolean;
  readonly #regex: Re2 | undefined;
  readonly #regexPrefix: string;
  readonly #headers: readonly RequestPredicate[];
  readonly #query: readonly QueryPredicate[];
  readonly #grpc: boolean;
  readonly #runtimeFraction: number;
  readonly #tls: Route['match']['tlsContext'];

  private constructor(route: Route, vh: VirtualHost, rc: RouteConfiguration, action: CompiledAction, regex: Re2 | undefined, headers: RequestPredicate[], query: QueryPredicate[]) {
    this.route = route;
    this.virtualHost = vh;
    this.action = action;
    const m = route.match;
    const ps = m.pathSpecifier;
    this.#ignoreCase = m.caseSensitive === false;
    this.#regex = regex;
    this.#regexPrefix = ps.kind === 'safeRegex' ? requiredLiteralPrefix(ps.regex) : '';
    this.#headers = headers;
    this.#query = query;
    this.#grpc = m.grpc === true;
    this.#runtimeFraction = m.runtimeFraction ?? 1;
    this.#tls = m.tlsContext;
    switch (ps.kind) {
      case 'prefix':
        [this.#pathKind, this.#pathValue] = [PathKind.Prefix, ps.prefix];
        break;
      case 'path':
        [this.#pathKind, this.#pathValue] = [PathKind.Exact, ps.path];
        break;
      case 'safeRegex':
        [this.#pathKind, this.#pathValue] = [PathKind.Regex, ps.regex];
        break;
      case 'pathSeparatedPrefix':
        [this.#pathKind, this.#pathValue] = [PathKind.SeparatedPrefix, ps.prefix];
        break;
      case 'connectMatcher':
        [this.#pathKind, this.#pathValue] = [PathKind.Connect, ''];
        break;
      default:
        assertNever(ps, 'path specifier');
    }
    if (this.#ignoreCase) this.#pathValue = asciiLower(this.#pathValue);
    const layers = [
      { add: route.requestHeadersToAdd, remove: route.requestHeadersToRemove, resp: { add: route.responseHeadersToAdd, remove: route.responseHeadersToRemove } },
      { add: vh.requestHeadersToAdd, remove: vh.requestHeadersToRemove, resp: { add: vh.responseHeadersToAdd, remove: vh.responseHeadersToRemove } },
      { add: rc.requestHeadersToAdd, remove: rc.requestHeadersToRemove, resp: { add: rc.responseHeadersToAdd, remove: rc.responseHeadersToRemove } },
    ].filter((l) => l.add.length + l.remove.length + l.resp.add.length + l.resp.remove.length > 0);
    if (rc.mostSpecificHeaderMutationsWins) layers.reverse();
    this.requestHeaders = layers.map((l) => ({ add: l.add, remove: l.remove })).filter((l) => l.add.length + l.remove.length > 0);
    this.responseHeaders = layers.map((l) => l.resp).filter((l) => l.add.length + l.remove.length > 0);
    this.perFilterConfig = { ...rc.typedPerFilterConfig, ...vh.typedPerFilterConfig, ...route.typedPerFilterConfig };
  }

  static compile(route: Route, vh: VirtualHost, rc: RouteConfiguration): Result<RouteEntry, string> {
    const action = compileAction(route, vh);
    if (!action.ok) return action;
    let regex: Re2 | undefined;
    if (route.match.pathSpecifier.kind === 'safeRegex') {
      const re = compileRe2(route.match.pathSpecifier.regex);
      if (!re.ok) return err(re.error);
      regex = re.value;
    }
    const headers: RequestPredicate[] = [];
    for (const h of route.match.headers) {
      const c = compileHeaderMatcher(h);
      if (!c.ok) return err(c.error);
      headers.push(c.value);
    }
    const query: QueryPredicate[] = [];
    for (const q of route.match.queryParameters) {
      const c = compileQueryParameterMatcher(q);
      if (!c.ok) return err(c.error);
      query.push(c.value);
    }
    return ok(new RouteEntry(route, vh, rc, action.value, regex, headers, query));
  }

  #matchesPath(req: RouteRequest): boolean {
    const path = req.path;
    const v = this.#pathValue;
    switch (this.#pathKind) {
      case PathKind.Prefix:
        return this.#ignoreCase ? startsWithFold(path, v) : path.startsWith(v);
      case PathKind.Exact:
        return this.#ignoreCase ? equalsFold(path, v) : path === v;
      case PathKind.Regex:
        // case_sensitive does not apply to safe_regex (Envoy API docs for RouteMatch.case_sensitive).
        return path.startsWith(this.#regexPrefix) && (this.#regex as Re2).testExact(path);
      case PathKind.SeparatedPrefix: {
        // Envoy's PathSeparatedPrefixRouteEntryImpl: the prefix, then the end of the path or `/`.
        if (path.length < v.length) return false;
        if (!(this.#ignoreCase ? startsWithFold(path, v) : path.startsWith(v))) return false;
        return path.length === v.length || path.charCodeAt(v.length) === 47;
      }
      case PathKind.Connect:
        return req.method === 'CONNECT';
      default:
        return assertNever(this.#pathKind, 'path kind');
    }
  }

  /** Envoy's RouteEntryImplBase::matchRoute plus the path: every configured part must match. */
  matches(req: RouteRequest, scratch: MatchScratch): boolean {
    // A request without :path (CONNECT) only reaches connect_matcher routes (supportsPathlessHeaders).
    if (req.path === '' && this.#pathKind !== PathKind.Connect) return false;
    if (!this.#matchesPath(req)) return false;
    if (this.#runtimeFraction < 1 && !(scratch.randomValue() < this.#runtimeFraction)) return false;
    if (this.#grpc && !isGrpcContentType(req.headers.get('content-type'))) return false;
    for (const h of this.#headers) if (!h(req)) return false;
    if (this.#query.length > 0) {
      const params = scratch.queryParams();
      for (const q of this.#query) if (!q(params)) return false;
    }
    const tls = this.#tls;
    if (tls) {
      if (tls.presented !== undefined && tls.presented !== (req.tls?.presented ?? false)) return false;
      if (tls.validated !== undefined && tls.validated !== (req.tls?.validated ?? false)) return false;
    }
    return true;
  }
}

/** Envoy's Grpc::Common::isGrpcRequestHeaders: `application/grpc` or `application/grpc+<subtype>`. */
export function isGrpcContentType(ct: string | undefined): boolean {
  return ct !== undefined && ct.startsWith('application/grpc') && (ct.length === 16 || ct.charCodeAt(16) === 43);
}
