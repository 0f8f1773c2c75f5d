/**
 * envoy.config.listener.v3.{Listener, FilterChain, FilterChainMatch, ListenerFilter}.
 *
 * Ignored, with the reason:
 * - `metadata` (data for filters weft does not run), `stat_prefix` (only renames listener stats).
 * - Socket and accept-loop tuning with no effect on what weft serves: `enable_reuse_port`,
 *   `reuse_port`, `tcp_fast_open_queue_length`, `tcp_backlog_size`, `connection_balance_config`,
 *   `max_connections_to_accept_per_socket_event`, `drain_type`, `ignore_global_conn_limit`,
 *   `bypass_overload_manager` (weft has no global connection limit or overload manager).
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import {
  listenerName,
  type ConnectionSourceType,
  type DownstreamTlsContext,
  type FilterChain,
  type FilterChainMatch,
  type Listener,
  type ListenerFilter,
  type NetworkFilter,
  type SocketAddress,
  type SourceRef,
  type TrafficDirection,
} from '../../model/index.ts';
import { compact, convertAddress, convertCidrRange, enumIn } from './convert-common.ts';
import { convertNetworkFilter } from './convert-network-filters.ts';
import { convertDownstreamTlsContext } from './convert-tls.ts';
import { reportUnsupportedPayload, type ProtoObject } from './proto-object.ts';
import { formatTypeList, LISTENER_FILTER_TYPES, TRANSPORT_SOCKET_TYPES } from './typed-configs.ts';

const TLS_INSPECTOR_NAMES = new Set(['envoy.filters.listener.tls_inspector', 'envoy.listener.tls_inspector']);

function convertFilterChainMatch(o: ProtoObject): FilterChainMatch {
  return compact({
    destinationPort: o.num('destination_port'),
    prefixRanges: o.msgs('prefix_ranges').map(convertCidrRange),
    directSourcePrefixRanges: o.msgs('direct_source_prefix_ranges').map(convertCidrRange),
    sourceType: enumIn<ConnectionSourceType>(o, 'source_type', ['ANY', 'SAME_IP_OR_LOOPBACK', 'EXTERNAL'], 'source_type'),
    sourcePrefixRanges: o.msgs('source_prefix_ranges').map(convertCidrRange),
    sourcePorts: o.nums('source_ports'),
    serverNames: o.strs('server_names'),
    transportProtocol: o.str('transport_protocol') || undefined,
    applicationProtocols: o.strs('application_protocols'),
  });
}

function downstreamTransportSocket(o: ProtoObject): { tls?: DownstreamTlsContext; ok: boolean } {
  const ts = o.msg('transport_socket');
  if (!ts) return { ok: true };
  const name = ts.str('name') ?? '';
  const p = ts.any('typed_config');
  if (!p) {
    if (name === 'envoy.transport_sockets.raw_buffer' || name === 'raw_buffer') return { ok: true };
    ts.error('typed_config', DIAGNOSTIC_CODES.REQUIRED, `transport socket "${name}" needs typed_config`);
    return { ok: false };
  }
  if (p.typeName === TRANSPORT_SOCKET_TYPES.downstreamTls && p.object) return { tls: convertDownstreamTlsContext(p.object), ok: true };
  if (p.typeName === TRANSPORT_SOCKET_TYPES.rawBuffer) return { ok: true };
  reportUnsupportedPayload(p, o.cx, 'a listener transport socket', [TRANSPORT_SOCKET_TYPES.downstreamTls, TRANSPORT_SOCKET_TYPES.rawBuffer]);
  return { ok: false };
}

function convertFilterChain(o: ProtoObject, sources: readonly SourceRef[]): FilterChain | undefined {
  o.ignore('metadata');
  const m = o.msg('filter_chain_match');
  const filters = o.msgs('filters').map((f) => convertNetworkFilter(f, sources));
  const socket = downstreamTransportSocket(o);
  const chain = compact({
    name: o.str('name') || undefined,
    filterChainMatch: m ? convertFilterChainMatch(m) : undefined,
    transportSocket: socket.tls,
    transportSocketConnectTimeoutMs: o.durationMs('transport_socket_connect_timeout'),
  });
  if (!socket.ok || filters.some((f) => f === undefined)) return undefined;
  return { ...chain, filters: filters as NetworkFilter[] };
}

function convertListenerFilter(o: ProtoObject): ListenerFilter | undefined {
  const name = o.str('name') ?? '';
  const p = o.any('typed_config');
  if (!p) {
    if (o.has('config_discovery')) return undefined; // reported as unsupported when unread
    if (TLS_INSPECTOR_NAMES.has(name)) return { kind: 'tlsInspector', typedConfig: {}, name };
    o.error('typed_config', DIAGNOSTIC_CODES.REQUIRED, `listener filter "${name}" needs typed_config`, `weft runs: ${formatTypeList(Object.values(LISTENER_FILTER_TYPES))}`);
    return undefined;
  }
  if (p.typeName === LISTENER_FILTER_TYPES.tlsInspector && p.object) {
    return { kind: 'tlsInspector', typedConfig: compact({ initialReadBufferSize: p.object.num('initial_read_buffer_size') }), name };
  }
  reportUnsupportedPayload(p, o.cx, 'a listener filter', Object.values(LISTENER_FILTER_TYPES));
  return undefined;
}

export function convertListener(o: ProtoObject, sources: readonly SourceRef[]): Listener | undefined {
  o.ignore(
    'metadata',
    'stat_prefix',
    'enable_reuse_port',
    'reuse_port',
    'tcp_fast_open_queue_length',
    'tcp_backlog_size',
    'connection_balance_config',
    'max_connections_to_accept_per_socket_event',
    'drain_type',
    'ignore_global_conn_limit',
    'bypass_overload_manager',
  );
  const name = o.str('name') ?? '';
  if (name === '') o.error('name', DIAGNOSTIC_CODES.REQUIRED, 'a Listener needs a name');
  const a = o.msg('address');
  const address = a ? convertAddress(a) : undefined;
  if (o.bool('bind_to_port') === false) o.error('bind_to_port', DIAGNOSTIC_CODES.UNSUPPORTED, 'bind_to_port: false is valid Envoy, but weft binds every listener that has an address', 'leave out address to make an internal listener');
  const internal = o.msg('internal_listener');
  if (internal && a) o.error('internal_listener', DIAGNOSTIC_CODES.INVALID_VALUE, 'an internal listener cannot have an address');
  const additional: SocketAddress[] = [];
  for (const extra of o.msgs('additional_addresses')) {
    const ea = extra.msg('address');
    const converted = ea ? convertAddress(ea) : undefined;
    if (converted?.kind === 'socketAddress') additional.push(converted);
    else if (converted) extra.error('address', DIAGNOSTIC_CODES.UNSUPPORTED, 'weft serves additional addresses only as socket addresses');
  }
  const chains = o.msgs('filter_chains').map((c) => convertFilterChain(c, sources));
  const d = o.msg('default_filter_chain');
  const defaultChain = d ? convertFilterChain(d, sources) : undefined;
  const filters = o.msgs('listener_filters').map(convertListenerFilter);
  const listener = compact({
    name: listenerName(name),
    address,
    additionalAddresses: additional,
    defaultFilterChain: defaultChain,
    listenerFiltersTimeoutMs: o.durationMs('listener_filters_timeout'),
    continueOnListenerFiltersTimeout: o.bool('continue_on_listener_filters_timeout') || undefined,
    perConnectionBufferLimitBytes: o.num('per_connection_buffer_limit_bytes'),
    trafficDirection: enumIn<TrafficDirection>(o, 'traffic_direction', ['UNSPECIFIED', 'INBOUND', 'OUTBOUND'], 'traffic_direction'),
    sources,
  });
  if (name === '' || (a && !address) || (d && !defaultChain) || chains.some((c) => c === undefined) || filters.some((f) => f === undefined)) return undefined;
  return { ...listener, filterChains: chains as FilterChain[], listenerFilters: filters as ListenerFilter[] };
}
