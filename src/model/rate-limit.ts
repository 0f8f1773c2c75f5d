/**
 * envoy.config.route.v3.RateLimit (a route's or virtual host's `rate_limits` entry) and the
 * local rate limit filter's descriptors (envoy.extensions.common.ratelimit.v3.LocalRateLimitDescriptor).
 * Each RateLimit builds one descriptor for a request from its actions, in order; when an action
 * produces no entry, the whole descriptor is skipped.
 */
import type { TokenBucket } from './http-filters.ts';
import type { HeaderMatcher } from './matchers.ts';

/** envoy.config.route.v3.RateLimit.Action (the kinds weft runs). */
export type RateLimitAction =
  /** Entry ("source_cluster", the downstream's --service-cluster). */
  | { readonly kind: 'sourceCluster' }
  /** Entry ("destination_cluster", the routed cluster). */
  | { readonly kind: 'destinationCluster' }
  /** Entry (descriptorKey, value of headerName); no header = no descriptor unless skipIfAbsent. */
  | { readonly kind: 'requestHeaders'; readonly headerName: string; readonly descriptorKey: string; readonly skipIfAbsent?: boolean }
  /** Entry ("remote_address", the trusted downstream address). */
  | { readonly kind: 'remoteAddress' }
  /** Entry (descriptorKey ?? "generic_key", descriptorValue). */
  | { readonly kind: 'genericKey'; readonly descriptorValue: string; readonly descriptorKey?: string }
  /**
   * Entry (descriptorKey ?? "header_match", descriptorValue) when all `headers` match and
   * expectMatch (default true) is true, or when they do not and expectMatch is false.
   */
  | {
      readonly kind: 'headerValueMatch';
      readonly descriptorValue: string;
      readonly descriptorKey?: string;
      readonly expectMatch?: boolean;
      readonly headers: readonly HeaderMatcher[];
    };

/** envoy.config.route.v3.RateLimit. */
export interface RateLimit {
  /** Default 0; the local rate limit filter uses the entries whose stage equals its own. */
  readonly stage?: number;
  readonly actions: readonly RateLimitAction[];
}

/** envoy.extensions.common.ratelimit.v3.RateLimitDescriptor.Entry. */
export interface RateLimitDescriptorEntry {
  readonly key: string;
  readonly value: string;
}

/** envoy.extensions.common.ratelimit.v3.LocalRateLimitDescriptor: its own token bucket. */
export interface LocalRateLimitDescriptor {
  readonly entries: readonly RateLimitDescriptorEntry[];
  readonly tokenBucket: TokenBucket;
}
