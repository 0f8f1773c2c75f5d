// The compiled route table: virtual host selection, route match, weighted cluster pick, rewrites,
// redirects, hash policies. Pure: no I/O, no clock; randomness injected.
export { asciiLower } from './ascii.ts';
export { pickCluster, singleClusterTarget, weightedClusterTarget } from './cluster-pick.ts';
export type { ClusterChoice, ClusterTarget } from './cluster-pick.ts';
export { compileHashPolicy } from './hash-policy.ts';
export type { HashInput, RequestHasher } from './hash-policy.ts';
export { compileHeaderMatcher, compileQueryParameterMatcher, parseQueryParams } from './header-matcher.ts';
export type { QueryParams, RequestPredicate } from './header-matcher.ts';
export { applyPathRewrite, replaceAllRe2 } from './path-rewrite.ts';
export type { PathRewrite } from './path-rewrite.ts';
export { buildRedirectLocation, compileRedirect, SSL_REDIRECT } from './redirect.ts';
export type { CompiledRedirect } from './redirect.ts';
export type { HeaderAccessor, Random, RouteRequest } from './request.ts';
export { isGrpcContentType, RouteEntry } from './route-entry.ts';
export type { CompiledAction, ForwardAction, HeaderMutations, HostRewrite } from './route-entry.ts';
export { RouteTable } from './route-table.ts';
export type { VirtualHostRoutes } from './route-table.ts';
export { compileStringMatcher } from './string-matcher.ts';
export type { ValuePredicate } from './string-matcher.ts';
export { VirtualHostTable } from './virtual-host-table.ts';
export { compileRetryPolicy, parseRetryOn, retriesAllowedFor, RETRY_ON } from './retry-policy.ts';
export type { CompiledRetryPolicy } from './retry-policy.ts';
