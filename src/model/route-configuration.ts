/**
 * envoy.config.route.v3.RouteConfiguration → VirtualHost → Route → RouteMatch.
 */
import type { Fraction, HeaderValueOption } from './common.ts';
import type { PerFilterConfigs } from './http-filters.ts';
import type { RouteConfigName } from './ids.ts';
import type { HeaderMatcher, QueryParameterMatcher } from './matchers.ts';
import type { RateLimit } from './rate-limit.ts';
import type { DirectResponseAction, RedirectAction, RetryPolicy, RouteAction } from './route-action.ts';
import type { SourceRef } from './source-ref.ts';

/**
 * RouteMatch.path_specifier. All compare the path without its query string.
 * - `prefix`: the path starts with it.
 * - `path`: the path equals it.
 * - `safeRegex`: RE2 matches the whole path.
 * - `pathSeparatedPrefix`: the path equals it or continues with `/` (or `?`/`#`) after it; the
 *   prefix must not end in `/`.
 * - `connectMatcher`: matches CONNECT requests only.
 */
export type PathSpecifier =
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'safeRegex'; readonly regex: string }
  | { readonly kind: 'pathSeparatedPrefix'; readonly prefix: string }
  | { readonly kind: 'connectMatcher' };

/** envoy.config.route.v3.RouteMatch. Every part given must match. */
export interface RouteMatch {
  readonly pathSpecifier: PathSpecifier;
  /**
   * Applies to prefix, path and pathSeparatedPrefix. Default true. Envoy ignores it for
   * safe_regex (write `(?i)` in the pattern instead), and so does weft.
   */
  readonly caseSensitive?: boolean;
  readonly headers: readonly HeaderMatcher[];
  readonly queryParameters: readonly QueryParameterMatcher[];
  /** Only gRPC requests (content-type `application/grpc` or `application/grpc+…`). Default false. */
  readonly grpc?: boolean;
  /** Share of requests this route matches (runtime_fraction's default_value). Default 1. */
  readonly runtimeFraction?: Fraction;
  /** RouteMatch.tls_context: `presented` client certificate / `validated`. */
  readonly tlsContext?: { readonly presented?: boolean; readonly validated?: boolean };
}

/** Route.action. */
export type RouteActionSpecifier =
  | { readonly kind: 'route'; readonly route: RouteAction }
  | { readonly kind: 'redirect'; readonly redirect: RedirectAction }
  | { readonly kind: 'directResponse'; readonly directResponse: DirectResponseAction };

/** envoy.config.route.v3.Route. */
export interface Route {
  readonly name?: string;
  readonly match: RouteMatch;
  readonly action: RouteActionSpecifier;
  readonly requestHeadersToAdd: readonly HeaderValueOption[];
  readonly requestHeadersToRemove: readonly string[];
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  readonly responseHeadersToRemove: readonly string[];
  readonly typedPerFilterConfig: PerFilterConfigs;
}

/** envoy.config.route.v3.VirtualHost.TlsRequirementType. */
export type TlsRequirementType = 'NONE' | 'EXTERNAL_ONLY' | 'ALL';

/**
 * envoy.config.route.v3.VirtualHost. `domains`: exact (`foo.com`), suffix wildcard (`*.foo.com`,
 * `*-bar.foo.com`), prefix wildcard (`foo.*`, `foo-*`), or `*`; a domain may carry a port
 * (`foo.com:8080`). A domain must be unique across a RouteConfiguration's virtual hosts.
 */
export interface VirtualHost {
  readonly name: string;
  readonly domains: readonly string[];
  readonly routes: readonly Route[];
  /** Default NONE. */
  readonly requireTls?: TlsRequirementType;
  readonly requestHeadersToAdd: readonly HeaderValueOption[];
  readonly requestHeadersToRemove: readonly string[];
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  readonly responseHeadersToRemove: readonly string[];
  /** Used by routes that set none of their own. */
  readonly retryPolicy?: RetryPolicy;
  readonly typedPerFilterConfig: PerFilterConfigs;
  /** Add `x-envoy-attempt-count` to upstream requests. Default false. */
  readonly includeRequestAttemptCount?: boolean;
  /** Descriptors for rate limit filters, used by routes that set none. Absent = none. */
  readonly rateLimits?: readonly RateLimit[];
}

/**
 * envoy.config.route.v3.RouteConfiguration. Header mutations apply after the virtual host's and
 * route's (outermost last) unless `mostSpecificHeaderMutationsWins`.
 */
export interface RouteConfiguration {
  readonly name: RouteConfigName;
  readonly virtualHosts: readonly VirtualHost[];
  /** Headers stripped from requests from external clients. */
  readonly internalOnlyHeaders: readonly string[];
  readonly requestHeadersToAdd: readonly HeaderValueOption[];
  readonly requestHeadersToRemove: readonly string[];
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  readonly responseHeadersToRemove: readonly string[];
  readonly mostSpecificHeaderMutationsWins?: boolean;
  /** Always drop the `:port` of the host before choosing a virtual host. Default false. */
  readonly ignorePortInHostMatching?: boolean;
  readonly typedPerFilterConfig: PerFilterConfigs;
  readonly sources: readonly SourceRef[];
}
