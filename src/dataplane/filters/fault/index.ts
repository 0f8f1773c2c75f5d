// envoy.filters.http.fault: factory, shared config, per-stream filter.
export { ALL_FAULT_STATS, createFaultStats, FaultFilterConfig } from './config.ts';
export { FAULT_ABORT_BODY, FaultFilter } from './filter.ts';
export { faultFilterFactory } from './factory.ts';
