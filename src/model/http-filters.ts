/**
 * HTTP filters the model knows, with typed configs. There is no `unknown` variant: a filter this
 * model cannot hold cannot be represented, so the decoder reports it as a Diagnostic.
 */
import type { Fraction, HeaderValueOption } from './common.ts';
import type { ClusterName } from './ids.ts';
import type { HeaderMatcher } from './matchers.ts';
import type { LocalRateLimitDescriptor } from './rate-limit.ts';

/** envoy.type.v3.TokenBucket. */
export interface TokenBucket {
  readonly maxTokens: number;
  /** Default 1. */
  readonly tokensPerFill?: number;
  readonly fillIntervalMs: number;
}

/** envoy.extensions.filters.http.router.v3.Router. */
export interface Router {
  /** Do not add `x-envoy-*` headers (e.g. `x-envoy-upstream-service-time`). Default false. */
  readonly suppressEnvoyHeaders?: boolean;
  /** Also count per-cluster request stats by virtual cluster / route. Default true. */
  readonly dynamicStats?: boolean;
}

/** envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit.enable_x_ratelimit_headers. */
export type XRateLimitHeadersRfcVersion = 'OFF' | 'DRAFT_VERSION_03';

/**
 * envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit (the filter and its per-route
 * form). A token bucket per filter instance (or per route, when configured there).
 */
export interface LocalRateLimit {
  readonly statPrefix: string;
  /** Status of a limited request. Default 429. */
  readonly status?: number;
  /** Absent = no limiting (Envoy allows all requests). */
  readonly tokenBucket?: TokenBucket;
  /** Share of requests the filter checks. Absent = 0 (Envoy: the filter is off). */
  readonly filterEnabled?: Fraction;
  /** Share of checked requests it enforces (else counts only). Absent = 0. */
  readonly filterEnforced?: Fraction;
  readonly requestHeadersToAddWhenNotEnforced: readonly HeaderValueOption[];
  /** Added to the response of a limited request. */
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  /** One bucket per downstream connection instead of one shared. Default false. */
  readonly localRateLimitPerDownstreamConnection?: boolean;
  /** Default OFF. */
  readonly enableXRatelimitHeaders?: XRateLimitHeadersRfcVersion;
  /**
   * Buckets for requests whose route (or virtual host) `rate_limits` of this `stage` produce a
   * descriptor with exactly these entries. Absent = none.
   */
  readonly descriptors?: readonly LocalRateLimitDescriptor[];
  /** The route `rate_limits` stage this filter uses. Default 0. */
  readonly stage?: number;
  /** Also take a token from the default bucket when a descriptor matched. Default true. */
  readonly alwaysConsumeDefaultTokenBucket?: boolean;
}

/** envoy.extensions.filters.common.fault.v3.FaultDelay. */
export type FaultDelaySpecifier =
  | { readonly kind: 'fixedDelay'; readonly fixedDelayMs: number }
  /** Delay taken from the `x-envoy-fault-delay-request` header. */
  | { readonly kind: 'headerDelay' };

export interface FaultDelay {
  /** Envoy spells this oneof `fault_delay_secifier`; the oneof name never appears in JSON. */
  readonly faultDelaySpecifier: FaultDelaySpecifier;
  /** Default 1 (when the delay is configured at all). */
  readonly percentage?: Fraction;
}

/** envoy.extensions.filters.http.fault.v3.FaultAbort.error_type. */
export type FaultAbortErrorType =
  | { readonly kind: 'httpStatus'; readonly httpStatus: number }
  | { readonly kind: 'grpcStatus'; readonly grpcStatus: number }
  /** Status taken from the `x-envoy-fault-abort-request` header. */
  | { readonly kind: 'headerAbort' };

export interface FaultAbort {
  readonly errorType: FaultAbortErrorType;
  readonly percentage?: Fraction;
}

/** envoy.extensions.filters.common.fault.v3.FaultRateLimit (response body throttle). */
export interface FaultRateLimit {
  readonly limitType: { readonly kind: 'fixedLimit'; readonly limitKbps: number } | { readonly kind: 'headerLimit' };
  readonly percentage?: Fraction;
}

/** envoy.extensions.filters.http.fault.v3.HTTPFault (the filter and its per-route form). */
export interface Fault {
  readonly delay?: FaultDelay;
  readonly abort?: FaultAbort;
  /** Only inject when the request goes to this cluster. */
  readonly upstreamCluster?: ClusterName;
  /** Only inject when all of these match. */
  readonly headers: readonly HeaderMatcher[];
  /** Only inject when `x-envoy-downstream-service-node` is one of these. */
  readonly downstreamNodes: readonly string[];
  /** Limit on concurrent faults; absent = unlimited. */
  readonly maxActiveFaults?: number;
  readonly responseRateLimit?: FaultRateLimit;
}

/**
 * envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter. `name` is the user's
 * filter name (e.g. `envoy.filters.http.router`); per-route configs refer to a filter by it.
 */
export type HttpFilter = (
  | { readonly kind: 'router'; readonly typedConfig: Router }
  | { readonly kind: 'localRateLimit'; readonly typedConfig: LocalRateLimit }
  | { readonly kind: 'fault'; readonly typedConfig: Fault }
) & {
  readonly name: string;
  /** Off unless a route's per-filter config enables it. Default false. */
  readonly disabled?: boolean;
};

export type HttpFilterKind = HttpFilter['kind'];

/**
 * A per-route (or virtual host, or route config) override for the filter of that name
 * (`typed_per_filter_config`). `filterConfig` is envoy.config.route.v3.FilterConfig without an
 * inner config: it only enables or disables the filter there.
 */
export type PerFilterConfig =
  | { readonly kind: 'localRateLimit'; readonly typedConfig: LocalRateLimit }
  | { readonly kind: 'fault'; readonly typedConfig: Fault }
  | { readonly kind: 'filterConfig'; readonly disabled: boolean };

/** typed_per_filter_config: filter name → override. */
export type PerFilterConfigs = Readonly<Record<string, PerFilterConfig>>;
