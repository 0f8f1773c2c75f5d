// The router filter: its factory (model Router → RouterFilter) and its pieces.
export { buildRouterFilterConfig } from './config.ts';
export type { RouterFilterConfig } from './config.ts';
export { RouterFilter } from './filter.ts';
export { routerFilterFactory } from './factory.ts';
export { RouterRequest } from './router-request.ts';
export { UpstreamAttempt } from './upstream-attempt.ts';
export type { AttemptFailure, AttemptOwner } from './upstream-attempt.ts';
