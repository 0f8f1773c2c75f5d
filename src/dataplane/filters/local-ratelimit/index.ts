// envoy.filters.http.local_ratelimit: factory, shared config, per-stream filter, token bucket.
export { checkLocalRateLimit, fractionHit, LocalRateLimitFilterConfig, MIN_FILL_INTERVAL_MS } from './config.ts';
export { checkDescriptors, DescriptorTable } from './descriptors.ts';
export type { CompiledRateLimit, RateLimitRequest } from './descriptors.ts';
export { LOCAL_RATE_LIMITED_BODY, LocalRateLimitFilter } from './filter.ts';
export { localRateLimitFilterFactory } from './factory.ts';
export { TokenBucket } from './token-bucket.ts';
