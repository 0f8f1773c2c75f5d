export type { LoadResult, ManifestFile, ObjectSource, SourcedObject } from './types.ts';
export { readManifestFiles, preloadManifestSchemas, MANIFEST_EXTENSIONS } from './read-files.ts';
export type { ReadOptions, ReadResult } from './read-files.ts';
export { parseManifestFile } from './parse-file.ts';
export { validateObject, objectRefOf, objectIdentity } from './validate-object.ts';
export { loadManifests, normaliseObject } from './load.ts';
export type { LoadOptions } from './load.ts';
export { preloadSchemas, preloadAllSchemas } from '../api/schemas.ts';
