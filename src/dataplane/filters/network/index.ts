// Network (L4) read filters that run before a chain's terminal: local_ratelimit, connection_limit.
export { ALL_CONNECTION_LIMIT_STATS, ConnectionLimitFilter } from './connection-limit.ts';
export { ALL_NETWORK_LOCAL_RATE_LIMIT_STATS, NetworkLocalRateLimitFilter } from './network-local-rate-limit.ts';
export { createNetworkFilters } from './create-network-filters.ts';
