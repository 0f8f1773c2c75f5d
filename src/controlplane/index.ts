export { Reconciler } from './reconciler.ts';
export type { Ingester, ReconcilerOptions, ReconcilerState } from './reconciler.ts';
export { gatherInputBundle, INPUT_KINDS } from './input-bundle.ts';
export type { InputBundle } from './input-bundle.ts';
export { mergeFragments } from './merge-fragments.ts';
export type { Fragment } from './merge-fragments.ts';
export { STANDALONE_INGESTERS } from './ingesters.ts';
