/**
 * Decodes one Envoy v3 resource (a CiliumEnvoyConfig `spec.resources[]` entry, or a bootstrap
 * `static_resources` entry) with Envoy's own descriptors into weft's model.
 *
 * Three passes, each reporting with the user's field path and file position:
 * 1. the JSON checker (proto-json-check.ts): protojson's rules (snake_case or lowerCamelCase,
 *    types, enums, durations, `Any` with `@type`, unknown fields with the closest name) and the
 *    protoc-gen-validate rules in the descriptors;
 * 2. `fromJson` itself, as a backstop: anything it still rejects is reported at the resource;
 * 3. the converters (convert-*.ts) into the model, which report what is valid Envoy but not run by
 *    weft (WEFT_UNSUPPORTED) and the checks Envoy makes when it loads a resource (RE2 syntax,
 *    weights, retry conditions).
 * A resource with any error comes back without a model value.
 */
import { fromJson, type DescMessage } from '@bufbuild/protobuf';
import { DIAGNOSTIC_CODES, formatFieldPath, type Diagnostic, type ObjectRef } from '../../lib/diagnostic.ts';
import type { SourceRef } from '../../model/index.ts';
import { convertCluster } from './convert-cluster.ts';
import { convertClusterLoadAssignment } from './convert-endpoint.ts';
import { convertListener } from './convert-listener.ts';
import { convertRouteConfiguration } from './convert-route-configuration.ts';
import { convertSecret } from './convert-tls.ts';
import { DecodeSink, type FieldPath, type PositionOf } from './decode-sink.ts';
import { envoyDescriptors } from './descriptors.ts';
import { describeJson, isPlainObject } from './json-scalars.ts';
import type { ModelResource } from './model-resource.ts';
import { checkFields, resolveAnyType, type CheckContext } from './proto-json-check.ts';
import { createConvertContext, finishAll, ProtoObject, type ConvertContext } from './proto-object.ts';
import { formatTypeList, RESOURCE_TYPES, TYPE_URL_PREFIX, typeNameOfUrl } from './typed-configs.ts';

export interface DecodeEnvoyOptions {
  /** Where the resource sits in its manifest object (`['spec', 'resources', 2]`); prefixes every path. */
  readonly basePath?: FieldPath;
  /** The manifest object (for Diagnostics, and the model resources' `sources`). */
  readonly object?: ObjectRef;
}

export interface EnvoyResourceDecodeResult {
  /** Absent when any error was found. */
  readonly resource?: ModelResource;
  readonly diagnostics: readonly Diagnostic[];
}

const RESOURCE_TYPE_LIST: readonly string[] = Object.values(RESOURCE_TYPES);

/**
 * `typeUrl` is the type the caller expects (bootstrap lists know it), as a type URL or a bare
 * message name; without one, the value's own `@type` names it. `positionOf` answers for paths from the manifest object's root.
 */
export function decodeEnvoyResource(
  value: unknown,
  typeUrl: string | undefined,
  positionOf: PositionOf | undefined,
  options: DecodeEnvoyOptions = {},
): EnvoyResourceDecodeResult {
  const { registry, envoyTypeNames } = envoyDescriptors();
  const basePath = options.basePath ?? [];
  const sink = new DecodeSink(basePath, positionOf, options.object);
  const cx: CheckContext = { registry, sink, envoyTypeNames, skipped: [] };
  const done = (resource?: ModelResource): EnvoyResourceDecodeResult =>
    sink.errorCount === 0 && resource ? { resource, diagnostics: sink.diagnostics } : { diagnostics: sink.diagnostics };

  if (!isPlainObject(value)) {
    sink.error([], DIAGNOSTIC_CODES.WRONG_TYPE, `an Envoy resource must be an object with "@type", got ${describeJson(value)}`);
    return done();
  }
  const desc = resourceType(value, typeUrl, cx);
  if (!desc) return done();
  if (!checkFields(desc, value, [], cx, new Set(['@type']))) return done();
  if (!acceptedByFromJson(desc, value, cx)) return done();

  const position = options.object ? positionOf?.(basePath) : undefined;
  const sources: SourceRef[] = options.object
    ? [
        {
          kind: options.object.kind,
          ...(options.object.namespace ? { namespace: options.object.namespace } : {}),
          name: options.object.name,
          ...(basePath.length > 0 ? { field: formatFieldPath(basePath) } : {}),
          ...(position ? { position } : {}),
        },
      ]
    : [];
  const convert = createConvertContext(registry, sink, sources);
  const resource = convertResource(new ProtoObject(desc, value, [], convert, ['@type']), convert);
  finishAll(convert);
  return done(resource);
}

function resourceType(value: Readonly<Record<string, unknown>>, typeUrl: string | undefined, cx: CheckContext): DescMessage | undefined {
  const declared = value['@type'];
  const runs = `weft takes these resources: ${formatTypeList(RESOURCE_TYPE_LIST)}`;
  if (declared !== undefined && typeof declared !== 'string') {
    cx.sink.error(['@type'], DIAGNOSTIC_CODES.WRONG_TYPE, `expected a type URL string, got ${describeJson(declared)}`, runs);
    return undefined;
  }
  if (declared !== undefined && typeUrl !== undefined && typeNameOfUrl(declared) !== typeNameOfUrl(typeUrl)) {
    cx.sink.error(['@type'], DIAGNOSTIC_CODES.INVALID_VALUE, `"@type" is ${declared}, but a ${typeNameOfUrl(typeUrl)} belongs here`);
    return undefined;
  }
  const url = declared ?? (typeUrl !== undefined && !typeUrl.includes('/') ? TYPE_URL_PREFIX + typeUrl : typeUrl);
  if (url === undefined) {
    cx.sink.error([], DIAGNOSTIC_CODES.REQUIRED, 'missing "@type": an Envoy resource must name its type', runs);
    return undefined;
  }
  const desc = resolveAnyType(url, declared !== undefined ? ['@type'] : [], cx, RESOURCE_TYPE_LIST);
  if (!desc) return undefined;
  if (!RESOURCE_TYPE_LIST.includes(desc.typeName)) {
    cx.sink.error(declared !== undefined ? ['@type'] : [], DIAGNOSTIC_CODES.UNSUPPORTED, `${desc.typeName} is not a resource weft takes here`, runs);
    return undefined;
  }
  return desc;
}

/**
 * The backstop: bufbuild's protojson reader must accept what the checker accepted (less `@type`,
 * and less the optional payloads the checker skipped, which it has no descriptor for).
 */
function acceptedByFromJson(desc: DescMessage, value: Readonly<Record<string, unknown>>, cx: CheckContext): boolean {
  const rest = structuredClone(value) as Record<string, unknown>;
  delete rest['@type'];
  for (const path of cx.skipped ?? []) {
    let node: unknown = rest;
    for (const seg of path.slice(0, -1)) node = (node as Record<string | number, unknown> | undefined)?.[seg];
    if (isPlainObject(node)) delete node[String(path[path.length - 1])];
  }
  try {
    fromJson(desc, rest as Parameters<typeof fromJson>[1], { registry: cx.registry });
    return true;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    cx.sink.error([], DIAGNOSTIC_CODES.INVALID_VALUE, `Envoy's schema rejects this ${desc.name}: ${message}`);
    return false;
  }
}

function convertResource(o: ProtoObject, cx: ConvertContext): ModelResource | undefined {
  switch (o.typeName) {
    case RESOURCE_TYPES.listener: {
      const listener = convertListener(o, cx.sources);
      return listener && { kind: 'listener', listener };
    }
    case RESOURCE_TYPES.routeConfiguration: {
      const routeConfiguration = convertRouteConfiguration(o, cx.sources, true);
      return routeConfiguration && { kind: 'routeConfiguration', routeConfiguration };
    }
    case RESOURCE_TYPES.cluster: {
      const cluster = convertCluster(o, cx.sources);
      return cluster && { kind: 'cluster', cluster };
    }
    case RESOURCE_TYPES.clusterLoadAssignment: {
      const clusterLoadAssignment = convertClusterLoadAssignment(o, cx.sources);
      return clusterLoadAssignment && { kind: 'clusterLoadAssignment', clusterLoadAssignment };
    }
    case RESOURCE_TYPES.secret: {
      const secret = convertSecret(o, cx.sources);
      return secret && { kind: 'secret', secret };
    }
    default:
      return undefined;
  }
}
