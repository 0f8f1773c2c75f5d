// `weft explain request`: a request traced through the served snapshot with the data plane's own
// compiled code (listener and filter chain, HTTP connection manager, filters, route, clusters).
export { explainRequest } from './explain-request.ts';
export type { ExplainRequestOptions } from './explain-request.ts';
export { formatRequestTrace } from './format-trace.ts';
export type * from './request-trace.ts';
