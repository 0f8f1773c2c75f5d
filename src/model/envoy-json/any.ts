/**
 * The `Any` payload types, extension names and the xDS config source the encoders write, and the
 * `metadata` that carries weft's provenance.
 */
import type { SourceRef } from '../source-ref.ts';
import { obj, type Json, type JsonObject } from './json.ts';

export const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** Full message names of every `Any` payload the encoders write. */
export const ENVOY_TYPES = {
  listener: 'envoy.config.listener.v3.Listener',
  routeConfiguration: 'envoy.config.route.v3.RouteConfiguration',
  cluster: 'envoy.config.cluster.v3.Cluster',
  clusterLoadAssignment: 'envoy.config.endpoint.v3.ClusterLoadAssignment',
  secret: 'envoy.extensions.transport_sockets.tls.v3.Secret',
  httpConnectionManager: 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  tcpProxy: 'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
  networkLocalRateLimit: 'envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit',
  connectionLimit: 'envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit',
  router: 'envoy.extensions.filters.http.router.v3.Router',
  httpLocalRateLimit: 'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
  fault: 'envoy.extensions.filters.http.fault.v3.HTTPFault',
  filterConfig: 'envoy.config.route.v3.FilterConfig',
  tlsInspector: 'envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector',
  downstreamTlsContext: 'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
  upstreamTlsContext: 'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
  fileAccessLog: 'envoy.extensions.access_loggers.file.v3.FileAccessLog',
  stdoutAccessLog: 'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
  stderrAccessLog: 'envoy.extensions.access_loggers.stream.v3.StderrAccessLog',
  upstreamHttpProtocolOptions: 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  previousHostsPredicate: 'envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate',
} as const;

/** An `Any`: the payload with its `@type` first. */
export function typed(typeName: string, payload: JsonObject): JsonObject {
  return { '@type': `${TYPE_URL_PREFIX}${typeName}`, ...payload };
}

/** Extension names for the payloads the model does not name itself. */
export const TLS_TRANSPORT_SOCKET_NAME = 'envoy.transport_sockets.tls';
export const PREVIOUS_HOSTS_PREDICATE_NAME = 'envoy.retry_host_predicates.previous_hosts';

/**
 * Where RDS, EDS and SDS references are fetched from. The model holds no config source: weft
 * serves every resource of a snapshot over one ADS stream (DESIGN.md), so each reference says so,
 * as Cilium fills in its own xDS source.
 */
export const ADS_CONFIG_SOURCE: JsonObject = { ads: {}, resource_api_version: 'V3' };

/** The `filter_metadata` key under which weft's provenance is written. */
export const WEFT_METADATA_KEY = 'weft.dev';

function sourceRef(s: SourceRef): JsonObject {
  return obj({
    kind: s.kind,
    namespace: s.namespace,
    name: s.name,
    field: s.field,
    position: s.position ? { file: s.position.file, line: s.position.line, column: s.position.column } : undefined,
  });
}

/**
 * envoy.config.core.v3.Metadata carrying `sources` (not an Envoy field) as
 * `filter_metadata["weft.dev"].sources`, so a config dump shows where a resource came from.
 * Absent when there are no sources.
 */
export function sourcesMetadata(sources: readonly SourceRef[]): JsonObject | undefined {
  if (sources.length === 0) return undefined;
  const list: Json = sources.map(sourceRef);
  return { filter_metadata: { [WEFT_METADATA_KEY]: { sources: list } } };
}
