/**
 * Envoy's v3 message descriptors, loaded once, on first use (never at import): the checked-in
 * FileDescriptorSet `envoy-descriptors.binpb` and the list of every message type Envoy's API
 * defines (`envoy-type-names.json`), both written by tools/protogen/generate.sh.
 *
 * The two files are package assets read like code: they sit beside this module in src/, and the
 * compiled copy in dist/ (which tsc does not copy them to) finds them in src/ by the second path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createFileRegistry, fromBinary, type DescExtension, type FileRegistry } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';

export interface EnvoyDescriptors {
  readonly registry: FileRegistry;
  /** Full names of every top-level v3 message in Envoy's API, including ones weft has no descriptor for. */
  readonly envoyTypeNames: ReadonlySet<string>;
  /** protoc-gen-validate's `(validate.rules)` field option and `(validate.required)` oneof option. */
  readonly validateRules: DescExtension;
  readonly validateRequired: DescExtension;
}

const ASSET_DIRS = [new URL('./', import.meta.url), new URL('../../../src/ingest/envoy/', import.meta.url)];

function readAsset(name: string): Buffer {
  for (const dir of ASSET_DIRS) {
    const url = new URL(name, dir);
    if (existsSync(url)) return readFileSync(url);
  }
  throw new Error(`weft: ${name} is missing next to ${import.meta.url} (regenerate with tools/protogen/generate.sh)`);
}

let loaded: EnvoyDescriptors | undefined;

/** The descriptors, loading them on the first call (about 50–100 ms). */
export function envoyDescriptors(): EnvoyDescriptors {
  if (loaded) return loaded;
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readAsset('envoy-descriptors.binpb')));
  const names = JSON.parse(readAsset('envoy-type-names.json').toString('utf8')) as string[];
  const validateRules = registry.getExtension('validate.rules');
  const validateRequired = registry.getExtension('validate.required');
  if (!validateRules || !validateRequired) throw new Error('weft: envoy-descriptors.binpb lacks validate/validate.proto');
  loaded = { registry, envoyTypeNames: new Set(names), validateRules, validateRequired };
  return loaded;
}

/** Whether the descriptors are loaded yet (for tests of the lazy load). */
export function envoyDescriptorsLoadedForTest(): boolean {
  return loaded !== undefined;
}
