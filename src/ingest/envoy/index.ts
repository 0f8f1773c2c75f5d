// Decoding Envoy v3 resources (CiliumEnvoyConfig `spec.resources[]`, bootstrap files) with Envoy's
// own descriptors into weft's model.
export { decodeBootstrap, decodeBootstrapValue } from './decode-bootstrap.ts';
export type { BootstrapAdmin, BootstrapDecodeResult } from './decode-bootstrap.ts';
export { decodeEnvoyResource } from './decode-envoy-resource.ts';
export type { DecodeEnvoyOptions, EnvoyResourceDecodeResult } from './decode-envoy-resource.ts';
export type { FieldPath, PositionOf } from './decode-sink.ts';
export { envoyDescriptors } from './descriptors.ts';
export { toSnapshotResources } from './model-resource.ts';
export type { ModelResource, ModelResourceKind } from './model-resource.ts';
export { RESOURCE_TYPES, TYPE_URL_PREFIX } from './typed-configs.ts';
export { parseYamlWithPositions } from './yaml-positions.ts';
export type { YamlParseResult } from './yaml-positions.ts';
