/**
 * Network filters of a filter chain: http_connection_manager, tcp_proxy, local_ratelimit and
 * connection_limit, each as `{name, typed_config}`.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { HcmRouteSpecifier, HcmUpgradeConfig, HttpConnectionManager } from '../http-connection-manager.ts';
import type { ConnectionLimit, NetworkFilter, NetworkLocalRateLimit, TcpProxy, TcpProxyClusterSpecifier, TcpProxyClusterWeight } from '../network-filters.ts';
import { encodeAccessLogs } from './access-log.ts';
import { ADS_CONFIG_SOURCE, ENVOY_TYPES, typed } from './any.ts';
import { encodeTokenBucket } from './common.ts';
import { encodeHttpFilter } from './http-filters.ts';
import { durationOf, encodeClusterOrWeighted, enumName, flag, int64, list, noOtherFields, num, obj, runtimeValue, str, type JsonObject } from './json.ts';
import { encodeCommonHttpProtocolOptions, encodeHttp1ProtocolOptions, encodeHttp2ProtocolOptions } from './protocol-options.ts';
import { encodeRouteConfiguration } from './route-configuration.ts';

function encodeRouteSpecifier(r: HcmRouteSpecifier): JsonObject {
  switch (r.kind) {
    case 'rds':
      return { rds: { config_source: ADS_CONFIG_SOURCE, route_config_name: r.rds.routeConfigName } };
    case 'routeConfig':
      return { route_config: encodeRouteConfiguration(r.routeConfig) };
    default:
      return assertNever(r, 'HCM route specifier kind');
  }
}

function encodeHcmUpgradeConfig(u: HcmUpgradeConfig): JsonObject {
  const { upgradeType, enabled, ...rest } = u;
  noOtherFields(rest);
  return obj({ upgrade_type: str(upgradeType), enabled });
}

/** envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager. */
export function encodeHttpConnectionManager(h: HttpConnectionManager): JsonObject {
  const { codecType, statPrefix, routeSpecifier, httpFilters, accessLog, useRemoteAddress, xffNumTrustedHops, skipXffAppend, via, ...a } = h;
  const { serverName, serverHeaderTransformation, generateRequestId, preserveExternalRequestId, alwaysSetRequestIdInResponse, ...b } = a;
  const { requestTimeoutMs, streamIdleTimeoutMs, requestHeadersTimeoutMs, drainTimeoutMs, delayedCloseTimeoutMs, ...c } = b;
  const { commonHttpProtocolOptions, httpProtocolOptions, http2ProtocolOptions, maxRequestHeadersKb, normalizePath, mergeSlashes, ...d } = c;
  const { pathWithEscapedSlashesAction, stripMatchingHostPort, stripAnyHostPort, upgradeConfigs, forwardClientCertDetails, ...e } = d;
  const { streamErrorOnInvalidHttpMessage, ...rest } = e;
  noOtherFields(rest);
  return obj({
    codec_type: enumName(codecType, 'AUTO'),
    stat_prefix: str(statPrefix),
    ...encodeRouteSpecifier(routeSpecifier),
    http_filters: list(httpFilters, encodeHttpFilter),
    common_http_protocol_options: commonHttpProtocolOptions ? encodeCommonHttpProtocolOptions(commonHttpProtocolOptions) : undefined,
    http_protocol_options: httpProtocolOptions ? encodeHttp1ProtocolOptions(httpProtocolOptions) : undefined,
    http2_protocol_options: http2ProtocolOptions ? encodeHttp2ProtocolOptions(http2ProtocolOptions) : undefined,
    server_name: str(serverName),
    server_header_transformation: enumName(serverHeaderTransformation, 'OVERWRITE'),
    max_request_headers_kb: maxRequestHeadersKb,
    stream_idle_timeout: durationOf(streamIdleTimeoutMs),
    request_timeout: durationOf(requestTimeoutMs),
    request_headers_timeout: durationOf(requestHeadersTimeoutMs),
    drain_timeout: durationOf(drainTimeoutMs),
    delayed_close_timeout: durationOf(delayedCloseTimeoutMs),
    access_log: encodeAccessLogs(accessLog),
    use_remote_address: useRemoteAddress,
    xff_num_trusted_hops: num(xffNumTrustedHops),
    skip_xff_append: flag(skipXffAppend),
    via: str(via),
    generate_request_id: generateRequestId,
    preserve_external_request_id: flag(preserveExternalRequestId),
    always_set_request_id_in_response: flag(alwaysSetRequestIdInResponse),
    forward_client_cert_details: enumName(forwardClientCertDetails, 'SANITIZE'),
    upgrade_configs: list(upgradeConfigs, encodeHcmUpgradeConfig),
    normalize_path: normalizePath,
    merge_slashes: flag(mergeSlashes),
    path_with_escaped_slashes_action: enumName(pathWithEscapedSlashesAction, 'IMPLEMENTATION_SPECIFIC_DEFAULT'),
    strip_matching_host_port: flag(stripMatchingHostPort),
    // strip_any_host_port is a oneof member; false is the same as unset, so only true is written.
    strip_any_host_port: flag(stripAnyHostPort),
    stream_error_on_invalid_http_message: streamErrorOnInvalidHttpMessage,
  });
}

function encodeTcpClusterWeight(w: TcpProxyClusterWeight): JsonObject {
  const { name, weight, ...rest } = w;
  noOtherFields(rest);
  return obj({ name: str(name), weight: num(weight) });
}

function encodeTcpClusterSpecifier(c: TcpProxyClusterSpecifier): JsonObject {
  return encodeClusterOrWeighted(c, encodeTcpClusterWeight);
}

/** envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy. */
export function encodeTcpProxy(t: TcpProxy): JsonObject {
  const { statPrefix, clusterSpecifier, idleTimeoutMs, maxConnectAttempts, maxDownstreamConnectionDurationMs, accessLog, ...rest } = t;
  noOtherFields(rest);
  return obj({
    stat_prefix: str(statPrefix),
    ...encodeTcpClusterSpecifier(clusterSpecifier),
    idle_timeout: durationOf(idleTimeoutMs),
    access_log: encodeAccessLogs(accessLog),
    max_connect_attempts: maxConnectAttempts,
    max_downstream_connection_duration: durationOf(maxDownstreamConnectionDurationMs),
  });
}

/** A RuntimeFeatureFlag for `runtime_enabled`; its key names the filter by stat prefix. */
function runtimeEnabled(enabled: boolean | undefined, statPrefix: string): JsonObject | undefined {
  return enabled === undefined ? undefined : runtimeValue(enabled, `${statPrefix || 'filter'}.runtime_enabled`);
}

export function encodeNetworkLocalRateLimit(l: NetworkLocalRateLimit): JsonObject {
  const { statPrefix, tokenBucket, runtimeEnabled: enabled, ...rest } = l;
  noOtherFields(rest);
  return obj({ stat_prefix: str(statPrefix), token_bucket: encodeTokenBucket(tokenBucket), runtime_enabled: runtimeEnabled(enabled, statPrefix) });
}

export function encodeConnectionLimit(l: ConnectionLimit): JsonObject {
  const { statPrefix, maxConnections, delayMs, runtimeEnabled: enabled, ...rest } = l;
  noOtherFields(rest);
  // max_connections is a UInt64Value.
  return obj({ stat_prefix: str(statPrefix), max_connections: int64(maxConnections), delay: durationOf(delayMs), runtime_enabled: runtimeEnabled(enabled, statPrefix) });
}

function filterTypedConfig(f: NetworkFilter): JsonObject {
  switch (f.kind) {
    case 'httpConnectionManager':
      return typed(ENVOY_TYPES.httpConnectionManager, encodeHttpConnectionManager(f.typedConfig));
    case 'tcpProxy':
      return typed(ENVOY_TYPES.tcpProxy, encodeTcpProxy(f.typedConfig));
    case 'localRateLimit':
      return typed(ENVOY_TYPES.networkLocalRateLimit, encodeNetworkLocalRateLimit(f.typedConfig));
    case 'connectionLimit':
      return typed(ENVOY_TYPES.connectionLimit, encodeConnectionLimit(f.typedConfig));
    default:
      return assertNever(f, 'network filter kind');
  }
}

/** envoy.config.listener.v3.Filter. */
export function encodeNetworkFilter(f: NetworkFilter): JsonObject {
  const { kind: _kind, typedConfig: _typedConfig, name, ...rest } = f;
  noOtherFields(rest);
  return obj({ name: str(name), typed_config: filterTypedConfig(f) });
}
