/**
 * `/config_dump` in Envoy's admin.v3.ConfigDump shape: a `configs` list of typed dumps
 * (Bootstrap, Clusters, Endpoints with `?include_eds`, Listeners, ScopedRoutes, Routes, Secrets),
 * each resource with its `@type`, `version_info` and `last_updated`. Supports `?resource=`
 * (one repeated field, e.g. `dynamic_active_clusters`) and `?name_regex=` (RE2, on the name).
 *
 * Resource bodies arrive already in Envoy v3 JSON (the runtime encodes its snapshot), so this
 * renderer only arranges and filters them. Private keys in secrets are redacted as Envoy does.
 */
import { RE2JS } from 're2js';
import { type AdminResponse, jsonResponse, textResponse } from './admin-response.ts';

export interface ConfigDumpResource {
  readonly name: string;
  /** Envoy v3 JSON of the resource, without `@type`. */
  readonly config: { readonly [key: string]: unknown };
  readonly lastUpdatedMs: number;
  /** Version it arrived with (dynamic resources); defaults to the dump's version. */
  readonly versionInfo?: string;
  /** From the bootstrap's static_resources rather than applied configuration. */
  readonly static?: boolean;
}

export interface ConfigDumpView {
  /** The snapshot version (weft puts `<version> <hash>` here). */
  readonly versionInfo: string;
  readonly bootstrap?: { readonly config: { readonly [key: string]: unknown }; readonly lastUpdatedMs: number };
  readonly clusters: readonly ConfigDumpResource[];
  readonly endpoints: readonly ConfigDumpResource[];
  readonly listeners: readonly ConfigDumpResource[];
  readonly routeConfigs: readonly ConfigDumpResource[];
  readonly secrets: readonly ConfigDumpResource[];
}

const T = 'type.googleapis.com/';
const ADMIN = `${T}envoy.admin.v3.`;

function timestamp(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

function typed(type: string, config: { readonly [key: string]: unknown }): object {
  return { '@type': `${T}${type}`, ...config };
}

function redactSecret(config: { readonly [key: string]: unknown }): { readonly [key: string]: unknown } {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = k === 'private_key' || k === 'password' ? { inline_string: '[redacted]' } : walk(x);
    }
    return out;
  };
  return walk(config) as { readonly [key: string]: unknown };
}

/** One field of the dump: [field name, inner @type of its items, the items]. */
type Field = readonly [string, string, readonly object[]];

interface Section {
  readonly type: string;
  readonly head: { readonly [key: string]: unknown };
  readonly fields: readonly Field[];
}

function sections(v: ConfigDumpView, includeEds: boolean, keep: (name: string) => boolean): Section[] {
  const st = (rs: readonly ConfigDumpResource[]): ConfigDumpResource[] => rs.filter((r) => r.static && keep(r.name));
  const dyn = (rs: readonly ConfigDumpResource[]): ConfigDumpResource[] => rs.filter((r) => !r.static && keep(r.name));
  const ver = (r: ConfigDumpResource): string => r.versionInfo ?? v.versionInfo;
  const out: Section[] = [];
  if (v.bootstrap) {
    out.push({
      type: 'BootstrapConfigDump',
      head: { bootstrap: v.bootstrap.config, last_updated: timestamp(v.bootstrap.lastUpdatedMs) },
      fields: [],
    });
  }
  const cluster = (r: ConfigDumpResource): object => typed('envoy.config.cluster.v3.Cluster', r.config);
  out.push({
    type: 'ClustersConfigDump',
    head: { version_info: v.versionInfo },
    fields: [
      ['static_clusters', 'ClustersConfigDump.StaticCluster', st(v.clusters).map((r) => ({ cluster: cluster(r), last_updated: timestamp(r.lastUpdatedMs) }))],
      [
        'dynamic_active_clusters',
        'ClustersConfigDump.DynamicCluster',
        dyn(v.clusters).map((r) => ({ version_info: ver(r), cluster: cluster(r), last_updated: timestamp(r.lastUpdatedMs) })),
      ],
    ],
  });
  if (includeEds) {
    const cla = (r: ConfigDumpResource): object => typed('envoy.config.endpoint.v3.ClusterLoadAssignment', r.config);
    out.push({
      type: 'EndpointsConfigDump',
      head: {},
      fields: [
        ['static_endpoint_configs', 'EndpointsConfigDump.StaticEndpointConfig', st(v.endpoints).map((r) => ({ endpoint_config: cla(r), last_updated: timestamp(r.lastUpdatedMs) }))],
        [
          'dynamic_endpoint_configs',
          'EndpointsConfigDump.DynamicEndpointConfig',
          dyn(v.endpoints).map((r) => ({ version_info: ver(r), endpoint_config: cla(r), last_updated: timestamp(r.lastUpdatedMs) })),
        ],
      ],
    });
  }
  const listener = (r: ConfigDumpResource): object => typed('envoy.config.listener.v3.Listener', r.config);
  out.push({
    type: 'ListenersConfigDump',
    head: { version_info: v.versionInfo },
    fields: [
      ['static_listeners', 'ListenersConfigDump.StaticListener', st(v.listeners).map((r) => ({ listener: listener(r), last_updated: timestamp(r.lastUpdatedMs) }))],
      [
        'dynamic_listeners',
        'ListenersConfigDump.DynamicListener',
        dyn(v.listeners).map((r) => ({
          name: r.name,
          active_state: { version_info: ver(r), listener: listener(r), last_updated: timestamp(r.lastUpdatedMs) },
        })),
      ],
    ],
  });
  out.push({ type: 'ScopedRoutesConfigDump', head: {}, fields: [] });
  const route = (r: ConfigDumpResource): object => typed('envoy.config.route.v3.RouteConfiguration', r.config);
  out.push({
    type: 'RoutesConfigDump',
    head: {},
    fields: [
      ['static_route_configs', 'RoutesConfigDump.StaticRouteConfig', st(v.routeConfigs).map((r) => ({ route_config: route(r), last_updated: timestamp(r.lastUpdatedMs) }))],
      [
        'dynamic_route_configs',
        'RoutesConfigDump.DynamicRouteConfig',
        dyn(v.routeConfigs).map((r) => ({ version_info: ver(r), route_config: route(r), last_updated: timestamp(r.lastUpdatedMs) })),
      ],
    ],
  });
  const secret = (r: ConfigDumpResource): object => typed('envoy.extensions.transport_sockets.tls.v3.Secret', redactSecret(r.config));
  out.push({
    type: 'SecretsConfigDump',
    head: {},
    fields: [
      ['static_secrets', 'SecretsConfigDump.StaticSecret', st(v.secrets).map((r) => ({ name: r.name, last_updated: timestamp(r.lastUpdatedMs), secret: secret(r) }))],
      [
        'dynamic_active_secrets',
        'SecretsConfigDump.DynamicSecret',
        dyn(v.secrets).map((r) => ({ name: r.name, version_info: ver(r), last_updated: timestamp(r.lastUpdatedMs), secret: secret(r) })),
      ],
    ],
  });
  return out;
}

export function renderConfigDump(view: ConfigDumpView, query: URLSearchParams): AdminResponse {
  let keep = (_name: string): boolean => true;
  const nameRegex = query.get('name_regex');
  if (nameRegex !== null && nameRegex !== '') {
    let re: RE2JS;
    try {
      re = RE2JS.compile(nameRegex);
    } catch (e) {
      return textResponse(`Error while parsing name_regex: ${(e as Error).message}\n`, 400);
    }
    keep = (name) => re.matches(name);
  }
  const all = sections(view, query.has('include_eds'), keep);
  const resource = query.get('resource');
  if (resource !== null && resource !== '') {
    for (const s of all) {
      const f = s.fields.find(([name]) => name === resource);
      if (f) return jsonResponse({ configs: f[2].map((item) => ({ '@type': `${ADMIN}${f[1]}`, ...item })) });
    }
    return textResponse(`${resource} not found in config dump\n`, 404);
  }
  return jsonResponse({
    configs: all.map((s) => {
      const body: Record<string, unknown> = { '@type': `${ADMIN}${s.type}`, ...s.head };
      for (const [name, , items] of s.fields) if (items.length > 0) body[name] = items;
      return body;
    }),
  });
}
