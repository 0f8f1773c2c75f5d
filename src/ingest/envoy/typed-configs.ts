/**
 * The `Any` payloads weft runs, by where they appear, as full message names. The checker uses the
 * lists for hints ("weft runs these here: ..."); the converters dispatch on them.
 */

export const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** Top-level resources: CiliumEnvoyConfig `spec.resources[]`, bootstrap `static_resources`. */
export const RESOURCE_TYPES = {
  listener: 'envoy.config.listener.v3.Listener',
  routeConfiguration: 'envoy.config.route.v3.RouteConfiguration',
  cluster: 'envoy.config.cluster.v3.Cluster',
  clusterLoadAssignment: 'envoy.config.endpoint.v3.ClusterLoadAssignment',
  secret: 'envoy.extensions.transport_sockets.tls.v3.Secret',
} as const;

export const NETWORK_FILTER_TYPES = {
  httpConnectionManager: 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  tcpProxy: 'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
  localRateLimit: 'envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit',
  connectionLimit: 'envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit',
} as const;

export const HTTP_FILTER_TYPES = {
  router: 'envoy.extensions.filters.http.router.v3.Router',
  localRateLimit: 'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
  fault: 'envoy.extensions.filters.http.fault.v3.HTTPFault',
} as const;

export const LISTENER_FILTER_TYPES = {
  tlsInspector: 'envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector',
} as const;

export const TRANSPORT_SOCKET_TYPES = {
  downstreamTls: 'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
  upstreamTls: 'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
  rawBuffer: 'envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer',
} as const;

export const ACCESS_LOG_TYPES = {
  file: 'envoy.extensions.access_loggers.file.v3.FileAccessLog',
  stdout: 'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
  stderr: 'envoy.extensions.access_loggers.stream.v3.StderrAccessLog',
} as const;

export const FILTER_CONFIG_TYPE = 'envoy.config.route.v3.FilterConfig';
export const UPSTREAM_HTTP_PROTOCOL_OPTIONS_TYPE = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
export const PREVIOUS_HOSTS_PREDICATE_TYPE = 'envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate';

const PER_FILTER = [HTTP_FILTER_TYPES.localRateLimit, HTTP_FILTER_TYPES.fault, FILTER_CONFIG_TYPE];

/** `<message>.<field>` of an Any (or map of Any) → the payload types weft runs there. */
const BY_FIELD: Readonly<Record<string, readonly string[]>> = {
  'envoy.config.listener.v3.Filter.typed_config': Object.values(NETWORK_FILTER_TYPES),
  'envoy.config.listener.v3.ListenerFilter.typed_config': Object.values(LISTENER_FILTER_TYPES),
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter.typed_config': Object.values(HTTP_FILTER_TYPES),
  'envoy.config.core.v3.TransportSocket.typed_config': Object.values(TRANSPORT_SOCKET_TYPES),
  'envoy.config.accesslog.v3.AccessLog.typed_config': Object.values(ACCESS_LOG_TYPES),
  'envoy.config.cluster.v3.Cluster.typed_extension_protocol_options': [UPSTREAM_HTTP_PROTOCOL_OPTIONS_TYPE],
  'envoy.config.route.v3.RetryPolicy.RetryHostPredicate.typed_config': [PREVIOUS_HOSTS_PREDICATE_TYPE],
  'envoy.config.route.v3.RouteConfiguration.typed_per_filter_config': PER_FILTER,
  'envoy.config.route.v3.VirtualHost.typed_per_filter_config': PER_FILTER,
  'envoy.config.route.v3.Route.typed_per_filter_config': PER_FILTER,
  'envoy.config.route.v3.WeightedCluster.ClusterWeight.typed_per_filter_config': PER_FILTER,
  'envoy.config.route.v3.FilterConfig.config': [HTTP_FILTER_TYPES.localRateLimit, HTTP_FILTER_TYPES.fault],
};

/** The payload types weft runs in the Any at `message.field`; empty when it runs none there. */
export function supportedAnyTypes(messageTypeName: string, fieldName: string): readonly string[] {
  return BY_FIELD[`${messageTypeName}.${fieldName}`] ?? [];
}

/** `type.googleapis.com/a.b.C` → `a.b.C` (protojson takes the part after the last `/`). */
export function typeNameOfUrl(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

export function formatTypeList(types: readonly string[]): string {
  return types.map((t) => TYPE_URL_PREFIX + t).join(', ');
}
