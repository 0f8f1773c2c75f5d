/**
 * The router, the terminal HTTP filter: no route → 404 NR; a direct response or a redirect is
 * answered here; otherwise it picks the cluster (a fair weighted pick for weighted_clusters), the
 * host (the cluster's load balancer, with the route's hash policy), applies the route's request
 * header mutations and rewrites, and hands the request to a RouterRequest that streams it
 * upstream and the response back.
 */
import { RESPONSE_FLAGS } from '../../../observe/response-flags.ts';
import { assertNever } from '../../../lib/assert-never.ts';
import type { ClusterNotFoundResponseCode } from '../../../model/index.ts';
import { applyPathRewrite, buildRedirectLocation, pickCluster, type ForwardAction } from '../../routing/index.ts';
import { toUpstreamHeaderList, type HeaderList } from '../../http/header-list.ts';
import { applyRequestMutations, applyResponseMutations } from '../../http/header-mutations.ts';
import { FILTER_STOP, type FilterStatus, type HttpFilter } from '../../http/http-filter.ts';
import type { HttpStream } from '../../http/http-stream.ts';
import { EXTERNAL_DROPPED_ENVOY_HEADERS } from '../../http/request-headers.ts';
import type { RouteExtras, RouteMutations } from '../../http/route-snapshot.ts';
import type { UpstreamCluster } from '../../upstream/upstream-cluster.ts';
import type { RouterFilterConfig } from './config.ts';
import { RouterRequest } from './router-request.ts';
import { startShadows } from './shadow-request.ts';

function clusterNotFoundStatus(code: ClusterNotFoundResponseCode | undefined): number {
  switch (code) {
    case undefined:
    case 'SERVICE_UNAVAILABLE':
      return 503;
    case 'NOT_FOUND':
      return 404;
    case 'INTERNAL_SERVER_ERROR':
      return 500;
    default:
      return assertNever(code, 'cluster_not_found_response_code');
  }
}

export class RouterFilter implements HttpFilter {
  readonly name: string;
  readonly disabledByDefault = false;
  readonly config: RouterFilterConfig;

  constructor(name: string, config: RouterFilterConfig) {
    this.name = name;
    this.config = config;
  }

  decodeHeaders(s: HttpStream): FilterStatus {
    const route = s.route;
    const stats = this.config.stats;
    if (route === undefined) {
      stats.noRoute.inc();
      s.sendLocalReply(404, '', RESPONSE_FLAGS.NR, 'route_not_found');
      return FILTER_STOP;
    }
    const extras = s.routes.extras.get(route);
    const action = route.action;
    switch (action.kind) {
      case 'route':
        this.#forward(s, action, extras);
        return FILTER_STOP;
      case 'directResponse': {
        stats.rqDirectResponse.inc();
        s.sendLocalReply(action.status, extras?.directBody ?? '', 0, 'direct_response', this.#responseHeaders(s, extras?.mutations, []));
        return FILTER_STOP;
      }
      case 'redirect': {
        stats.rqRedirect.inc();
        const headers = this.#responseHeaders(s, extras?.mutations, ['location', buildRedirectLocation(action.redirect, s)]);
        s.sendLocalReply(action.redirect.status, '', 0, 'redirect', headers);
        return FILTER_STOP;
      }
      default:
        return assertNever(action, 'route action');
    }
  }

  #responseHeaders(s: HttpStream, m: RouteMutations | undefined, headers: HeaderList): HeaderList {
    if (m !== undefined) for (const layer of m.response) applyResponseMutations(layer, headers, s.info);
    return headers;
  }

  #forward(s: HttpStream, action: ForwardAction, extras: RouteExtras | undefined): void {
    const cfg = this.config;
    cfg.stats.rqTotal.inc();
    if (s.upgrade !== undefined && s.protocol === 'HTTP/2') {
      s.sendLocalReply(501, 'tunnels over HTTP/2 are not supported', 0, 'upgrade_failed');
      return;
    }
    const choice = pickCluster(action.target, cfg.random);
    const cluster = s.routes.upstream.cluster(choice.cluster) as UpstreamCluster | undefined;
    if (cluster === undefined) {
      cfg.stats.noCluster.inc();
      s.sendLocalReply(clusterNotFoundStatus(action.config.clusterNotFoundResponseCode), '', RESPONSE_FLAGS.NC, 'cluster_not_found');
      return;
    }
    const info = s.info;
    info.upstreamCluster = cluster.statName;
    info.upstreamClusterRaw = cluster.name;
    const hashKey = action.hasher?.(s, { sourceIp: s.clientIp });
    const host = cluster.pickHost(hashKey);
    if (host === undefined) {
      cluster.clusterStats.upstreamCxNoneHealthy.inc();
      s.sendLocalReply(503, 'no healthy upstream', RESPONSE_FLAGS.UH, 'no_healthy_upstream');
      return;
    }
    const h = s.requestHeaders;
    const weighted = choice.weighted !== undefined ? extras?.weighted?.get(choice.weighted) : undefined;
    const mutations = extras?.mutations;
    if (mutations !== undefined) for (const layer of mutations.request) applyRequestMutations(layer, h, info);
    if (weighted !== undefined) for (const layer of weighted.request) applyRequestMutations(layer, h, info);
    let path = applyPathRewrite(action.pathRewrite, s.path);
    const rewritten = path !== s.path;
    if (s.query !== '') path = `${path}?${s.query}`;
    else if (!rewritten) path = s.fullPath;
    let authority = s.authority;
    const hr = action.hostRewrite;
    switch (hr.kind) {
      case 'none':
        break;
      case 'literal':
        authority = hr.host;
        break;
      case 'auto':
        authority = host.hostname ?? host.addressString;
        break;
      case 'header': {
        const v = s.get(hr.header);
        if (v !== undefined && v !== '') authority = v;
        break;
      }
      default:
        assertNever(hr, 'host rewrite');
    }
    if (choice.weighted?.hostRewriteLiteral) authority = choice.weighted.hostRewriteLiteral;
    if (action.idleTimeoutMs !== undefined) s.idleTimeoutMs = action.idleTimeoutMs;
    const list = toUpstreamHeaderList(h, authority, s.internal ? undefined : EXTERNAL_DROPPED_ENVOY_HEADERS);
    if (!cfg.suppressEnvoyHeaders) {
      const perTry = action.retry?.perTryTimeoutMs ?? 0;
      const expected = perTry > 0 && (action.timeoutMs === 0 || perTry < action.timeoutMs) ? perTry : action.timeoutMs;
      if (expected > 0) list.push('x-envoy-expected-rq-timeout-ms', String(expected));
      if (rewritten) list.push('x-envoy-original-path', s.fullPath);
    }
    const method = s.method;
    const target = s.upgrade === 'connect' ? authority : path;
    const combined = weighted === undefined ? mutations : { request: [], response: [...(mutations?.response ?? []), ...weighted.response] };
    if (action.config.requestMirrorPolicies.length > 0 && s.upgrade === undefined) startShadows(s, action, method, target, list, cfg.random);
    // The request's circuit breakers, retries and timeouts live in the RouterRequest.
    new RouterRequest(s, cluster, cfg, action, combined).start(host, method, target, list, hashKey);
  }
}
