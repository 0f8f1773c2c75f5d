// weft's model in Envoy v3 JSON (protojson, snake_case), as Envoy's admin /config_dump prints it
// and as xDS serves it. The reverse direction is ingest/envoy.
export { ADS_CONFIG_SOURCE, ENVOY_TYPES, TYPE_URL_PREFIX, typed, WEFT_METADATA_KEY } from './any.ts';
export { encodeCluster } from './cluster.ts';
export { encodeClusterLoadAssignment } from './endpoint.ts';
export type { Json, JsonObject } from './json.ts';
export { encodeListener } from './listener.ts';
export { encodeRouteConfiguration } from './route-configuration.ts';
export { encodeSnapshot } from './snapshot.ts';
export type { EncodedResource, EncodedSnapshot } from './snapshot.ts';
export { encodeSecret } from './tls.ts';
