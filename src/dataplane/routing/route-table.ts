/**
 * A RouteConfiguration compiled once per snapshot into a RouteTable: virtual hosts indexed by
 * domain (virtual-host-table.ts), each with its routes compiled (route-entry.ts). `match` finds
 * the virtual host for the request's authority, answers `require_tls` with a redirect, then returns
 * the first route, in configuration order, whose every condition holds (Envoy:
 * VirtualHostImpl::getRouteFromRoutes). No route → undefined, which the router turns into a 404
 * with response flag NR.
 *
 * Per request the table allocates nothing of its own: query parameters are parsed at most once and
 * only if a candidate route has query matchers; the random value for runtime_fraction is drawn at
 * most once (Envoy uses one random value per request for all routes).
 */
import type { Diagnostic } from '../../lib/diagnostic.ts';
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import type { RouteConfiguration, VirtualHost } from '../../model/index.ts';
import { parseQueryParams, type QueryParams } from './header-matcher.ts';
import type { Random, RouteRequest } from './request.ts';
import { RouteEntry, type MatchScratch } from './route-entry.ts';
import { VirtualHostTable } from './virtual-host-table.ts';

/** The routes of one virtual host, with its require_tls answer. */
export interface VirtualHostRoutes {
  readonly virtualHost: VirtualHost;
  readonly routes: readonly RouteEntry[];
  /** For require_tls ALL / EXTERNAL_ONLY: a 301 to https. */
  readonly tlsRedirect: RouteEntry | undefined;
}

function tlsRedirectEntry(vh: VirtualHost, rc: RouteConfiguration): RouteEntry | undefined {
  if (!vh.requireTls || vh.requireTls === 'NONE') return undefined;
  const r = RouteEntry.compile(
    {
      name: `${vh.name}/require_tls`,
      match: { pathSpecifier: { kind: 'prefix', prefix: '' }, headers: [], queryParameters: [] },
      action: { kind: 'redirect', redirect: { schemeRewriteSpecifier: { kind: 'httpsRedirect', httpsRedirect: true } } },
      requestHeadersToAdd: [],
      requestHeadersToRemove: [],
      responseHeadersToAdd: [],
      responseHeadersToRemove: [],
      typedPerFilterConfig: {},
    },
    vh,
    rc,
  );
  return r.ok ? r.value : undefined;
}

export class RouteTable implements MatchScratch {
  readonly config: RouteConfiguration;
  readonly virtualHosts: readonly VirtualHostRoutes[];
  readonly #byDomain: VirtualHostTable<VirtualHostRoutes>;
  // Per-request scratch (match() is synchronous, so one slot per table is enough).
  #query = '';
  #params: QueryParams | undefined;
  #random: Random | undefined;
  #randomValue = -1;

  private constructor(config: RouteConfiguration, virtualHosts: VirtualHostRoutes[]) {
    this.config = config;
    this.virtualHosts = virtualHosts;
    this.#byDomain = new VirtualHostTable(
      virtualHosts.map((v) => ({ virtualHost: v.virtualHost, value: v })),
      config.ignorePortInHostMatching === true,
    );
  }

  /** Compiles every route. Fails only on what `buildSnapshot` already rejects (a bad regex). */
  static build(config: RouteConfiguration): Result<RouteTable, Diagnostic[]> {
    const problems: Diagnostic[] = [];
    const vhosts: VirtualHostRoutes[] = [];
    config.virtualHosts.forEach((vh, v) => {
      const routes: RouteEntry[] = [];
      vh.routes.forEach((route, r) => {
        const entry = RouteEntry.compile(route, vh, config);
        if (entry.ok) routes.push(entry.value);
        else {
          problems.push({
            code: DIAGNOSTIC_CODES.INVALID_VALUE,
            severity: 'error',
            message: `RouteConfiguration ${JSON.stringify(config.name)}: ${entry.error}`,
            object: { kind: 'RouteConfiguration', name: config.name },
            field: `virtualHosts[${v}].routes[${r}]`,
          });
        }
      });
      vhosts.push({ virtualHost: vh, routes, tlsRedirect: tlsRedirectEntry(vh, config) });
    });
    return problems.length > 0 ? err(problems) : ok(new RouteTable(config, vhosts));
  }

  /** The virtual host the authority selects, or undefined. */
  findVirtualHost(authority: string): VirtualHostRoutes | undefined {
    return this.#byDomain.find(authority);
  }

  /** The route for this request, or undefined (→ 404, flag NR). */
  match(req: RouteRequest, random: Random): RouteEntry | undefined {
    const vh = this.#byDomain.find(req.authority);
    if (vh === undefined) return undefined;
    if (vh.tlsRedirect && req.scheme !== 'https') {
      const external = req.headers.get('x-envoy-internal') !== 'true';
      if (vh.virtualHost.requireTls === 'ALL' || external) return vh.tlsRedirect;
    }
    this.#query = req.query;
    this.#params = undefined;
    this.#random = random;
    this.#randomValue = -1;
    const routes = vh.routes;
    for (let i = 0; i < routes.length; i++) {
      if (routes[i].matches(req, this)) return routes[i];
    }
    return undefined;
  }

  queryParams(): QueryParams {
    this.#params ??= parseQueryParams(this.#query);
    return this.#params;
  }

  randomValue(): number {
    if (this.#randomValue < 0) this.#randomValue = (this.#random as Random).next();
    return this.#randomValue;
  }
}

