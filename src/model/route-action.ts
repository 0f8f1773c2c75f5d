/**
 * The actions a Route can take (envoy.config.route.v3.RouteAction, RedirectAction,
 * DirectResponseAction) and the policies a RouteAction carries.
 */
import type { DataSource, Fraction, HeaderValueOption, RoutingPriority } from './common.ts';
import type { PerFilterConfigs } from './http-filters.ts';
import type { ClusterName } from './ids.ts';
import type { HeaderMatcher, RegexMatchAndSubstitute } from './matchers.ts';
import type { RateLimit } from './rate-limit.ts';

/** envoy.config.route.v3.WeightedCluster.ClusterWeight. Weight 0 = never picked. */
export interface ClusterWeight {
  readonly name: ClusterName;
  readonly weight: number;
  readonly requestHeadersToAdd: readonly HeaderValueOption[];
  readonly requestHeadersToRemove: readonly string[];
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  readonly responseHeadersToRemove: readonly string[];
  readonly hostRewriteLiteral?: string;
  readonly typedPerFilterConfig: PerFilterConfigs;
}

/**
 * envoy.config.route.v3.WeightedCluster. Weights are relative (the deprecated `total_weight` is
 * dropped at decode time); the sum must be > 0.
 */
export interface WeightedCluster {
  readonly clusters: readonly ClusterWeight[];
}

/** RouteAction.cluster_specifier. (`cluster_header` is not supported: it is a per-request lookup.) */
export type ClusterSpecifier =
  | { readonly kind: 'cluster'; readonly cluster: ClusterName }
  | { readonly kind: 'weightedClusters'; readonly weightedClusters: WeightedCluster };

/** RouteAction.host_rewrite_specifier. */
export type HostRewriteSpecifier =
  | { readonly kind: 'hostRewriteLiteral'; readonly hostRewriteLiteral: string }
  /** Rewrite :authority to the picked upstream host's hostname (DNS clusters) or address. */
  | { readonly kind: 'autoHostRewrite'; readonly autoHostRewrite: boolean }
  /** Rewrite :authority to the value of this request header, when present. */
  | { readonly kind: 'hostRewriteHeader'; readonly hostRewriteHeader: string };

/**
 * RetryPolicy.retry_on conditions (x-envoy-retry-on and x-envoy-retry-grpc-on values).
 */
export type RetryOn =
  | '5xx'
  | 'gateway-error'
  | 'reset'
  | 'reset-before-request'
  | 'connect-failure'
  | 'envoy-ratelimited'
  | 'retriable-4xx'
  | 'refused-stream'
  | 'retriable-status-codes'
  | 'retriable-headers'
  | 'http3-post-connect-failure'
  | 'cancelled'
  | 'deadline-exceeded'
  | 'internal'
  | 'resource-exhausted'
  | 'unavailable';

export const RETRY_ON_VALUES: readonly RetryOn[] = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited',
  'retriable-4xx', 'refused-stream', 'retriable-status-codes', 'retriable-headers',
  'http3-post-connect-failure', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted',
  'unavailable',
];

/** RetryPolicy.RetryHostPredicate: only `previous_hosts` is supported. */
export type RetryHostPredicate = { readonly kind: 'previousHosts' };

/** envoy.config.route.v3.RetryPolicy. */
export interface RetryPolicy {
  readonly retryOn: readonly RetryOn[];
  /** Default 1. */
  readonly numRetries?: number;
  /** Per attempt; absent = the route timeout applies to all attempts together. */
  readonly perTryTimeoutMs?: number;
  readonly perTryIdleTimeoutMs?: number;
  /** Default base 25 ms, max 10 × base; jittered exponential back-off. */
  readonly retryBackOff?: { readonly baseIntervalMs: number; readonly maxIntervalMs?: number };
  readonly retriableStatusCodes: readonly number[];
  readonly retriableHeaders: readonly HeaderMatcher[];
  readonly retriableRequestHeaders: readonly HeaderMatcher[];
  readonly retryHostPredicate: readonly RetryHostPredicate[];
  /** Default 1. */
  readonly hostSelectionRetryMaxAttempts?: number;
}

/** RouteAction.HashPolicy.policy_specifier. */
export type HashPolicySpecifier =
  | { readonly kind: 'header'; readonly header: { readonly headerName: string; readonly regexRewrite?: RegexMatchAndSubstitute } }
  | { readonly kind: 'cookie'; readonly cookie: { readonly name: string; readonly ttlMs?: number; readonly path?: string } }
  | { readonly kind: 'connectionProperties'; readonly connectionProperties: { readonly sourceIp: boolean } }
  | { readonly kind: 'queryParameter'; readonly queryParameter: { readonly name: string } };

/**
 * envoy.config.route.v3.RouteAction.HashPolicy: produces the key RING_HASH and MAGLEV clusters
 * hash. Policies are evaluated in order and their hashes combined; `terminal` stops at the first
 * policy that produced a hash.
 */
export interface HashPolicy {
  readonly policySpecifier: HashPolicySpecifier;
  readonly terminal?: boolean;
}

/** envoy.config.route.v3.RouteAction.RequestMirrorPolicy: fire-and-forget shadow copy. */
export interface RequestMirrorPolicy {
  readonly cluster: ClusterName;
  /** Share of requests mirrored. Default 1. */
  readonly runtimeFraction?: Fraction;
}

/** envoy.config.route.v3.RouteAction.UpgradeConfig (e.g. `websocket`, `CONNECT`). */
export interface UpgradeConfig {
  /** Compared case-insensitively. */
  readonly upgradeType: string;
  /** Default true. */
  readonly enabled?: boolean;
}

/** RouteAction.MaxStreamDuration. */
export interface MaxStreamDuration {
  /** 0 = unbounded. */
  readonly maxStreamDurationMs?: number;
  readonly grpcTimeoutHeaderMaxMs?: number;
  readonly grpcTimeoutHeaderOffsetMs?: number;
}

/** envoy.config.route.v3.RouteAction.ClusterNotFoundResponseCode. */
export type ClusterNotFoundResponseCode = 'SERVICE_UNAVAILABLE' | 'NOT_FOUND' | 'INTERNAL_SERVER_ERROR';

/** envoy.config.route.v3.RouteAction. */
export interface RouteAction {
  readonly clusterSpecifier: ClusterSpecifier;
  /**
   * Replaces the matched prefix: the route's `prefix` / `pathSeparatedPrefix`, the whole `path`,
   * or, for `safeRegex` and `connectMatcher`, the whole path. The query string is kept.
   * Excludes `regexRewrite`.
   */
  readonly prefixRewrite?: string;
  /** Applied to the path without the query string. Excludes `prefixRewrite`. */
  readonly regexRewrite?: RegexMatchAndSubstitute;
  readonly hostRewriteSpecifier?: HostRewriteSpecifier;
  /** Whole-request timeout. Absent = 15 s (Envoy's default); 0 = disabled. */
  readonly timeoutMs?: number;
  /** Per-stream idle timeout overriding the HCM's; 0 = disabled. */
  readonly idleTimeoutMs?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly requestMirrorPolicies: readonly RequestMirrorPolicy[];
  readonly hashPolicy: readonly HashPolicy[];
  readonly upgradeConfigs: readonly UpgradeConfig[];
  readonly maxStreamDuration?: MaxStreamDuration;
  /** Default DEFAULT. */
  readonly priority?: RoutingPriority;
  /** Default SERVICE_UNAVAILABLE. */
  readonly clusterNotFoundResponseCode?: ClusterNotFoundResponseCode;
  /** Descriptors for rate limit filters. Absent = none (the virtual host's apply). */
  readonly rateLimits?: readonly RateLimit[];
  /** Also use the virtual host's rate_limits when this route has its own. Default false. */
  readonly includeVhRateLimits?: boolean;
}

/** envoy.config.route.v3.RedirectAction.RedirectResponseCode. */
export type RedirectResponseCode =
  | 'MOVED_PERMANENTLY'
  | 'FOUND'
  | 'SEE_OTHER'
  | 'TEMPORARY_REDIRECT'
  | 'PERMANENT_REDIRECT';

export const REDIRECT_STATUS: Readonly<Record<RedirectResponseCode, number>> = {
  MOVED_PERMANENTLY: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
};

/** RedirectAction.scheme_rewrite_specifier. */
export type SchemeRewriteSpecifier =
  | { readonly kind: 'httpsRedirect'; readonly httpsRedirect: boolean }
  | { readonly kind: 'schemeRedirect'; readonly schemeRedirect: string };

/** RedirectAction.path_rewrite_specifier. */
export type RedirectPathRewriteSpecifier =
  /** Replaces the path; if it holds a `?`, the query too. */
  | { readonly kind: 'pathRedirect'; readonly pathRedirect: string }
  /** Replaces the matched prefix. */
  | { readonly kind: 'prefixRewrite'; readonly prefixRewrite: string }
  | { readonly kind: 'regexRewrite'; readonly regexRewrite: RegexMatchAndSubstitute };

/** envoy.config.route.v3.RedirectAction. Absent parts keep the request's own. */
export interface RedirectAction {
  readonly schemeRewriteSpecifier?: SchemeRewriteSpecifier;
  readonly hostRedirect?: string;
  readonly portRedirect?: number;
  readonly pathRewriteSpecifier?: RedirectPathRewriteSpecifier;
  /** Default MOVED_PERMANENTLY (301). */
  readonly responseCode?: RedirectResponseCode;
  /** Drop the query string. Default false. */
  readonly stripQuery?: boolean;
}

/** envoy.config.route.v3.DirectResponseAction. */
export interface DirectResponseAction {
  readonly status: number;
  readonly body?: DataSource;
}
