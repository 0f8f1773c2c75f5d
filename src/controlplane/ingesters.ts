/** The ingest functions standalone mode runs over each input bundle, in merge order. */
import { ingestServices } from '../ingest/services.ts';
import type { Ingester } from './reconciler.ts';

export const STANDALONE_INGESTERS: readonly Ingester[] = [
  (bundle) => ingestServices({ services: bundle.services, endpointSlices: bundle.endpointSlices, endpoints: bundle.endpoints }),
];
