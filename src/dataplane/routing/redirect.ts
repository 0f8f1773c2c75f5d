/**
 * Redirect responses (RedirectAction, and VirtualHost.require_tls), compiled once and built per
 * request the way Envoy's Http::Utility::newUri does (source/common/http/utility.cc):
 * - scheme: scheme_redirect, else https when https_redirect, else the request's scheme;
 * - host: host_redirect, else the request's host, dropping its port when port_redirect is set or
 *   when the scheme changes away from the port's default (`:80` for http, `:443` for https);
 * - port: `:port_redirect` when set;
 * - path: path_redirect (keeping the request's query unless path_redirect has its own), else the
 *   request path after prefix_rewrite / regex_rewrite; a leading `/` is added if missing;
 * - strip_query drops the query, unless it came from path_redirect.
 */
import type { RedirectAction, RouteMatch } from '../../model/index.ts';
import { REDIRECT_STATUS } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { applyPathRewrite, compilePrefixRewrite, compileRegexRewrite, NO_PATH_REWRITE, type PathRewrite } from './path-rewrite.ts';
import type { RouteRequest } from './request.ts';

export interface CompiledRedirect {
  /** 301, 302, 303, 307 or 308. */
  readonly status: number;
  readonly scheme: string | undefined;
  readonly host: string | undefined;
  /** `:8443`, or '' when the port is not redirected. */
  readonly port: string;
  readonly pathRedirect: string | undefined;
  readonly pathRedirectHasQuery: boolean;
  readonly pathRewrite: PathRewrite;
  readonly stripQuery: boolean;
}

export function compileRedirect(r: RedirectAction, match: RouteMatch): Result<CompiledRedirect, string> {
  let scheme: string | undefined;
  const s = r.schemeRewriteSpecifier;
  if (s?.kind === 'schemeRedirect') scheme = s.schemeRedirect.toLowerCase();
  else if (s?.kind === 'httpsRedirect') scheme = s.httpsRedirect ? 'https' : undefined;
  let pathRedirect: string | undefined;
  let pathRewrite: PathRewrite = NO_PATH_REWRITE;
  const p = r.pathRewriteSpecifier;
  if (p) {
    switch (p.kind) {
      case 'pathRedirect':
        pathRedirect = p.pathRedirect;
        break;
      case 'prefixRewrite':
        pathRewrite = compilePrefixRewrite(p.prefixRewrite, match.pathSpecifier);
        break;
      case 'regexRewrite': {
        const rw = compileRegexRewrite(p.regexRewrite);
        if (!rw.ok) return err(rw.error);
        pathRewrite = rw.value;
        break;
      }
      default:
        assertNever(p, 'redirect path rewrite');
    }
  }
  return ok({
    status: REDIRECT_STATUS[r.responseCode ?? 'MOVED_PERMANENTLY'],
    scheme,
    host: r.hostRedirect || undefined,
    port: r.portRedirect ? `:${r.portRedirect}` : '',
    pathRedirect: pathRedirect || undefined,
    pathRedirectHasQuery: pathRedirect !== undefined && pathRedirect.includes('?'),
    pathRewrite,
    stripQuery: r.stripQuery === true,
  });
}

/** require_tls: a 301 to the same URL over https. */
export const SSL_REDIRECT: CompiledRedirect = {
  status: 301,
  scheme: 'https',
  host: undefined,
  port: '',
  pathRedirect: undefined,
  pathRedirectHasQuery: false,
  pathRewrite: NO_PATH_REWRITE,
  stripQuery: false,
};

/** Envoy's processRequestHost: the request host, without a port that would now be wrong. */
function requestHost(authority: string, newScheme: string, newPort: string, requestScheme: string): string {
  if (authority === '') return authority;
  let hostEnd: number;
  if (authority[0] === '[') {
    hostEnd = authority.lastIndexOf(']:');
    if (hostEnd >= 0) hostEnd += 1;
  } else {
    hostEnd = authority.lastIndexOf(':');
  }
  if (hostEnd < 0) return authority;
  const port = authority.slice(hostEnd);
  let remove = newPort !== '';
  if (newScheme !== requestScheme) {
    remove ||= (requestScheme === 'https' && port === ':443') || (requestScheme === 'http' && port === ':80');
  }
  return remove ? authority.slice(0, hostEnd) : authority;
}

/** The Location of a redirect for this request. */
export function buildRedirectLocation(r: CompiledRedirect, req: RouteRequest): string {
  const scheme = r.scheme ?? req.scheme;
  const host = r.host ?? requestHost(req.authority, scheme, r.port, req.scheme);
  let path: string;
  if (r.pathRedirect !== undefined) {
    path = r.pathRedirectHasQuery || req.query === '' ? r.pathRedirect : `${r.pathRedirect}?${req.query}`;
  } else {
    const p = applyPathRewrite(r.pathRewrite, req.path);
    path = req.query === '' ? p : `${p}?${req.query}`;
  }
  if (!path.startsWith('/')) path = `/${path}`;
  if (r.stripQuery && !r.pathRedirectHasQuery) {
    const q = path.indexOf('?');
    if (q >= 0) path = path.slice(0, q);
  }
  return `${scheme}://${host}${r.port}${path}`;
}
