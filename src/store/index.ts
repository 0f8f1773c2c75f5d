export { Store } from './store.ts';
export type { ApplyAction, ApplyOutcome, ListOptions, StoreOptions, WatchOptions } from './store.ts';
export { StoreError } from './store-error.ts';
export type { StoreErrorReason } from './store-error.ts';
export { WATCH_HISTORY_SIZE } from './watch-hub.ts';
export type { WatchEvent, WatchEventType } from './watch-hub.ts';
export type { AdmissionHook, AdmissionOperation, AdmissionRequest, AdmissionView } from './admission.ts';
export { SERVER_SET_FIELDS, carryOverServerSetFields } from './server-set-fields.ts';
