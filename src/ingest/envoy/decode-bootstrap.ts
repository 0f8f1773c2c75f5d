/**
 * Decodes an Envoy bootstrap file (`weft up --bootstrap FILE`, YAML or JSON): its
 * `static_resources` (listeners, clusters, secrets; each decoded as decodeEnvoyResource does) and
 * its `admin` address, checked against envoy.config.bootstrap.v3.Bootstrap.
 *
 * The rest of a bootstrap configures the Envoy process. Three groups:
 * - ignored (identity and process internals that change nothing weft serves): `node`,
 *   `node_context_params`, `watchdog(s)`, `enable_dispatcher_stats`, `perf_tracing_file_path`,
 *   `memory_allocator_manager`, `flags_path`, `application_log_config`, `stats_flush_interval`,
 *   `stats_flush_on_admin`, `deferred_stat_options`, `stats_server_version_override`, and
 *   `default_regex_engine` when it is RE2 (weft's only engine); Admin `profile_path`,
 *   `ignore_global_conn_limit`;
 * - warned about and skipped (process-wide features weft does not have; the listed resources
 *   still run as configured): see WARNED below;
 * - errors (they change what the listed resources do): `dynamic_resources`, `hds_config`,
 *   `tracing`, `header_prefix`, and anything else not read.
 */
import { DIAGNOSTIC_CODES, type Diagnostic, type ObjectRef } from '../../lib/diagnostic.ts';
import type { AccessLog, Address, SnapshotResources } from '../../model/index.ts';
import { convertAccessLogs } from './convert-access-log.ts';
import { convertAddress } from './convert-common.ts';
import { decodeEnvoyResource } from './decode-envoy-resource.ts';
import { DecodeSink, type PositionOf } from './decode-sink.ts';
import { envoyDescriptors } from './descriptors.ts';
import { describeJson, isPlainObject } from './json-scalars.ts';
import { toSnapshotResources, type ModelResource } from './model-resource.ts';
import { checkFields, type CheckContext } from './proto-json-check.ts';
import { createConvertContext, finishAll, ProtoObject } from './proto-object.ts';
import { RESOURCE_TYPES, TYPE_URL_PREFIX } from './typed-configs.ts';
import { parseYamlWithPositions } from './yaml-positions.ts';

export interface BootstrapAdmin {
  /** Where Envoy's admin interface listens; absent = no admin listener. */
  readonly address?: Address;
  readonly accessLog: readonly AccessLog[];
}

export interface BootstrapDecodeResult {
  /** The resources that decoded; with any error in `diagnostics`, do not run them. */
  readonly resources: Required<SnapshotResources>;
  readonly admin?: BootstrapAdmin;
  readonly diagnostics: readonly Diagnostic[];
}

const IGNORED = [
  'node',
  'node_context_params',
  'watchdog',
  'watchdogs',
  'enable_dispatcher_stats',
  'perf_tracing_file_path',
  'memory_allocator_manager',
  'flags_path',
  'application_log_config',
  'stats_flush_interval',
  'stats_flush_on_admin',
  'deferred_stat_options',
  'stats_server_version_override',
];

const WARNED = [
  'layered_runtime',
  'stats_config',
  'stats_sinks',
  'overload_manager',
  'cluster_manager',
  'fatal_actions',
  'bootstrap_extensions',
  'inline_headers',
  'typed_dns_resolver_config',
  'dns_resolution_config',
  'use_tcp_for_dns_lookups',
  'default_socket_interface',
  'listener_manager',
  'certificate_provider_instances',
  'config_sources',
  'default_config_source',
  'grpc_async_client_manager_config',
  'xds_delegate_extension',
  'xds_config_tracker_extension',
];

const STATIC_LISTS = [
  ['listeners', RESOURCE_TYPES.listener],
  ['clusters', RESOURCE_TYPES.cluster],
  ['secrets', RESOURCE_TYPES.secret],
] as const;

const RE2_ENGINE = 'envoy.extensions.regex_engines.v3.GoogleRE2';

/** Parses and decodes a bootstrap file's text. */
export function decodeBootstrap(text: string, file: string): BootstrapDecodeResult {
  const parsed = parseYamlWithPositions(text, file);
  if (parsed.errors.length > 0) {
    const code = file.endsWith('.json') ? DIAGNOSTIC_CODES.JSON_SYNTAX : DIAGNOSTIC_CODES.YAML_SYNTAX;
    return {
      resources: toSnapshotResources([]),
      diagnostics: parsed.errors.map((e) => ({ code, severity: 'error', message: e.message, position: e.position })),
    };
  }
  return decodeBootstrapValue(parsed.value, parsed.positionOf, { kind: 'Bootstrap', name: file });
}

/** Decodes an already parsed bootstrap (`positionOf` answers for paths from its root). */
export function decodeBootstrapValue(value: unknown, positionOf: PositionOf | undefined, object: ObjectRef): BootstrapDecodeResult {
  const { registry, envoyTypeNames } = envoyDescriptors();
  const sink = new DecodeSink([], positionOf, object);
  const resources: ModelResource[] = [];
  const result = (admin?: BootstrapAdmin): BootstrapDecodeResult => ({
    resources: toSnapshotResources(resources),
    ...(admin ? { admin } : {}),
    diagnostics: sink.diagnostics,
  });
  if (!isPlainObject(value)) {
    sink.error([], DIAGNOSTIC_CODES.NOT_AN_OBJECT, `a bootstrap must be an object, got ${describeJson(value)}`);
    return result();
  }
  const bootstrap = registry.getMessage('envoy.config.bootstrap.v3.Bootstrap');
  const statics = registry.getMessage('envoy.config.bootstrap.v3.Bootstrap.StaticResources');
  if (!bootstrap || !statics) throw new Error('weft: envoy-descriptors.binpb lacks the Bootstrap message');
  const cx: CheckContext = { registry, sink, envoyTypeNames };
  const topOk = checkFields(bootstrap, value, [], cx, new Set(['static_resources', 'staticResources']));

  const sr = value.static_resources ?? value.staticResources;
  const srKey = value.static_resources !== undefined ? 'static_resources' : 'staticResources';
  if (sr !== undefined && sr !== null) {
    if (!isPlainObject(sr)) {
      sink.error([srKey], DIAGNOSTIC_CODES.WRONG_TYPE, `expected an object with listeners, clusters and secrets, got ${describeJson(sr)}`);
    } else {
      checkFields(statics, sr, [srKey], cx, new Set(STATIC_LISTS.map(([k]) => k)));
      for (const [key, type] of STATIC_LISTS) decodeList(sr[key], [srKey, key], TYPE_URL_PREFIX + type, positionOf, object, sink, resources);
    }
  }
  if (!topOk) return result();

  const convert = createConvertContext(registry, sink, [{ kind: object.kind, name: object.name }]);
  const o = new ProtoObject(bootstrap, value, [], convert, ['static_resources', 'staticResources']);
  o.ignore(...IGNORED);
  for (const name of WARNED) {
    if (!o.has(name)) continue;
    o.ignore(name);
    sink.warning(o.pathOf(name), DIAGNOSTIC_CODES.UNSUPPORTED, `"${name}" is valid Envoy, but weft does not run it; it is ignored`);
  }
  const engine = o.msg('default_regex_engine');
  if (engine) {
    engine.ignore('name');
    const p = engine.any('typed_config');
    p?.object?.discard();
    if (p && p.typeName !== RE2_ENGINE) {
      sink.error([...p.path, '@type'], DIAGNOSTIC_CODES.UNSUPPORTED, `regex engine ${p.typeName} is not one weft runs`, `weft runs ${RE2_ENGINE}`);
    }
  }
  const a = o.msg('admin');
  let admin: BootstrapAdmin | undefined;
  if (a) {
    a.ignore('profile_path', 'ignore_global_conn_limit');
    const addr = a.msg('address');
    const address = addr ? convertAddress(addr) : undefined;
    admin = { ...(address ? { address } : {}), accessLog: convertAccessLogs(a.msgs('access_log')) };
    const path = a.str('access_log_path');
    if (path) admin = { ...admin, accessLog: [...admin.accessLog, { name: 'admin', typedConfig: { kind: 'file', path, logFormat: {} } }] };
  }
  finishAll(convert);
  return result(admin);
}

function decodeList(
  list: unknown,
  path: readonly (string | number)[],
  typeUrl: string,
  positionOf: PositionOf | undefined,
  object: ObjectRef,
  sink: DecodeSink,
  out: ModelResource[],
): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    sink.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected a list, got ${describeJson(list)}`);
    return;
  }
  list.forEach((item, i) => {
    const r = decodeEnvoyResource(item, typeUrl, positionOf, { basePath: [...path, i], object });
    sink.diagnostics.push(...r.diagnostics);
    if (r.resource) out.push(r.resource);
  });
}
