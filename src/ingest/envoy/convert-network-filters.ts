/**
 * Network filters: envoy.filters.network.{http_connection_manager, tcp_proxy, local_ratelimit,
 * connection_limit}.
 *
 * Ignored, with the reason: Rds `config_source` (weft serves route configurations from its own
 * snapshot; Cilium fills in its own xDS source the same way).
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import {
  clusterName,
  routeConfigName,
  type CodecType,
  type ConnectionLimit,
  type ForwardClientCertDetails,
  type HcmRouteSpecifier,
  type HcmUpgradeConfig,
  type HttpConnectionManager,
  type NetworkFilter,
  type NetworkLocalRateLimit,
  type PathWithEscapedSlashesAction,
  type ServerHeaderTransformation,
  type SourceRef,
  type TcpProxy,
  type TcpProxyClusterSpecifier,
} from '../../model/index.ts';
import { convertAccessLogs } from './convert-access-log.ts';
import { compact, convertTokenBucket, enumIn, runtimeDefault } from './convert-common.ts';
import { convertHttpFilters } from './convert-http-filters.ts';
import { convertCommonHttpProtocolOptions, convertHttp1ProtocolOptions, convertHttp2ProtocolOptions } from './convert-protocol-options.ts';
import { convertRouteConfiguration } from './convert-route-configuration.ts';
import { reportUnsupportedPayload, type ProtoObject } from './proto-object.ts';
import { formatTypeList, NETWORK_FILTER_TYPES } from './typed-configs.ts';

function routeSpecifier(o: ProtoObject, sources: readonly SourceRef[]): HcmRouteSpecifier | undefined {
  switch (o.oneof('route_specifier')) {
    case 'rds': {
      const rds = o.msg('rds');
      rds?.ignore('config_source');
      return { kind: 'rds', rds: { routeConfigName: routeConfigName(rds?.str('route_config_name') ?? '') } };
    }
    case 'route_config': {
      const rc = o.msg('route_config');
      const routeConfig = rc ? convertRouteConfiguration(rc, sources, false) : undefined;
      return routeConfig ? { kind: 'routeConfig', routeConfig } : undefined;
    }
    default:
      // scoped_routes stays unread and is reported as unsupported.
      return undefined;
  }
}

function convertUpgradeConfig(o: ProtoObject): HcmUpgradeConfig {
  return compact({ upgradeType: o.str('upgrade_type') ?? '', enabled: o.bool('enabled') });
}

export function convertHttpConnectionManager(o: ProtoObject, sources: readonly SourceRef[]): HttpConnectionManager | undefined {
  const route = routeSpecifier(o, sources);
  const common = o.msg('common_http_protocol_options');
  const h1 = o.msg('http_protocol_options');
  const h2 = o.msg('http2_protocol_options');
  const hcm = compact({
    codecType: enumIn<CodecType>(o, 'codec_type', ['AUTO', 'HTTP1', 'HTTP2'], 'codec_type'),
    statPrefix: o.str('stat_prefix') ?? '',
    httpFilters: convertHttpFilters(o.msgs('http_filters')),
    accessLog: convertAccessLogs(o.msgs('access_log')),
    useRemoteAddress: o.bool('use_remote_address'),
    xffNumTrustedHops: o.num('xff_num_trusted_hops') || undefined,
    skipXffAppend: o.bool('skip_xff_append') || undefined,
    via: o.str('via') || undefined,
    serverName: o.str('server_name') || undefined,
    serverHeaderTransformation: o.enum('server_header_transformation') as ServerHeaderTransformation | undefined,
    generateRequestId: o.bool('generate_request_id'),
    preserveExternalRequestId: o.bool('preserve_external_request_id') || undefined,
    alwaysSetRequestIdInResponse: o.bool('always_set_request_id_in_response') || undefined,
    requestTimeoutMs: o.durationMs('request_timeout'),
    streamIdleTimeoutMs: o.durationMs('stream_idle_timeout'),
    requestHeadersTimeoutMs: o.durationMs('request_headers_timeout'),
    drainTimeoutMs: o.durationMs('drain_timeout'),
    delayedCloseTimeoutMs: o.durationMs('delayed_close_timeout'),
    commonHttpProtocolOptions: common ? convertCommonHttpProtocolOptions(common) : undefined,
    httpProtocolOptions: h1 ? convertHttp1ProtocolOptions(h1) : undefined,
    http2ProtocolOptions: h2 ? convertHttp2ProtocolOptions(h2) : undefined,
    maxRequestHeadersKb: o.num('max_request_headers_kb'),
    normalizePath: o.bool('normalize_path'),
    mergeSlashes: o.bool('merge_slashes') || undefined,
    pathWithEscapedSlashesAction: o.enum('path_with_escaped_slashes_action') as PathWithEscapedSlashesAction | undefined,
    stripMatchingHostPort: o.bool('strip_matching_host_port') || undefined,
    stripAnyHostPort: o.bool('strip_any_host_port') || undefined,
    upgradeConfigs: o.msgs('upgrade_configs').map(convertUpgradeConfig),
    forwardClientCertDetails: o.enum('forward_client_cert_details') as ForwardClientCertDetails | undefined,
    streamErrorOnInvalidHttpMessage: o.bool('stream_error_on_invalid_http_message'),
  });
  return route ? { ...hcm, routeSpecifier: route } : undefined;
}

function tcpClusterSpecifier(o: ProtoObject): TcpProxyClusterSpecifier | undefined {
  if (o.oneof('cluster_specifier') === 'weighted_clusters') {
    const w = o.msg('weighted_clusters');
    const clusters = (w?.msgs('clusters') ?? []).map((c) => ({ name: clusterName(c.str('name') ?? ''), weight: c.num('weight') ?? 0 }));
    return { kind: 'weightedClusters', weightedClusters: { clusters } };
  }
  if (o.oneof('cluster_specifier') === 'cluster') return { kind: 'cluster', cluster: clusterName(o.str('cluster') ?? '') };
  return undefined;
}

export function convertTcpProxy(o: ProtoObject): TcpProxy | undefined {
  const specifier = tcpClusterSpecifier(o);
  const proxy = compact({
    statPrefix: o.str('stat_prefix') ?? '',
    idleTimeoutMs: o.durationMs('idle_timeout'),
    maxConnectAttempts: o.num('max_connect_attempts'),
    maxDownstreamConnectionDurationMs: o.durationMs('max_downstream_connection_duration'),
    accessLog: convertAccessLogs(o.msgs('access_log')),
  });
  return specifier ? { ...proxy, clusterSpecifier: specifier } : undefined;
}

export function convertNetworkLocalRateLimit(o: ProtoObject): NetworkLocalRateLimit {
  const bucket = o.msg('token_bucket');
  return compact({
    statPrefix: o.str('stat_prefix') ?? '',
    tokenBucket: bucket ? convertTokenBucket(bucket) : { maxTokens: 0, fillIntervalMs: 0 },
    runtimeEnabled: runtimeDefault(o.msg('runtime_enabled')) as boolean | undefined,
  });
}

export function convertConnectionLimit(o: ProtoObject): ConnectionLimit {
  return compact({
    statPrefix: o.str('stat_prefix') ?? '',
    maxConnections: o.num('max_connections') ?? 0,
    delayMs: o.durationMs('delay'),
    runtimeEnabled: runtimeDefault(o.msg('runtime_enabled')) as boolean | undefined,
  });
}

const NETWORK_FILTER_LIST = Object.values(NETWORK_FILTER_TYPES);

/** One network filter of a filter chain; undefined when it cannot be run (and was reported). */
export function convertNetworkFilter(o: ProtoObject, sources: readonly SourceRef[]): NetworkFilter | undefined {
  const name = o.str('name') ?? '';
  const payload = o.any('typed_config');
  if (!payload) {
    if (!o.has('config_discovery')) {
      o.error('typed_config', DIAGNOSTIC_CODES.REQUIRED, `network filter "${name}" needs typed_config`, `weft runs: ${formatTypeList(NETWORK_FILTER_LIST)}`);
    }
    return undefined;
  }
  const p = payload.object;
  if (!p) return undefined;
  switch (payload.typeName) {
    case NETWORK_FILTER_TYPES.httpConnectionManager: {
      const hcm = convertHttpConnectionManager(p, sources);
      return hcm ? { kind: 'httpConnectionManager', typedConfig: hcm, name } : undefined;
    }
    case NETWORK_FILTER_TYPES.tcpProxy: {
      const tcp = convertTcpProxy(p);
      return tcp ? { kind: 'tcpProxy', typedConfig: tcp, name } : undefined;
    }
    case NETWORK_FILTER_TYPES.localRateLimit:
      return { kind: 'localRateLimit', typedConfig: convertNetworkLocalRateLimit(p), name };
    case NETWORK_FILTER_TYPES.connectionLimit:
      return { kind: 'connectionLimit', typedConfig: convertConnectionLimit(p), name };
    default:
      reportUnsupportedPayload(payload, o.cx, 'a network filter', NETWORK_FILTER_LIST);
      return undefined;
  }
}
