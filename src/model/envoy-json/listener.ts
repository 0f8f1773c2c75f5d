/** envoy.config.listener.v3.{Listener, FilterChain, FilterChainMatch, ListenerFilter}. */
import { assertNever } from '../../lib/assert-never.ts';
import type { FilterChain, FilterChainMatch, Listener, ListenerFilter } from '../listener.ts';
import { ENVOY_TYPES, sourcesMetadata, typed } from './any.ts';
import { encodeAddress, encodeCidrRange, encodeSocketAddress } from './common.ts';
import { durationOf, enumName, flag, list, noOtherFields, obj, str, strings, type JsonObject } from './json.ts';
import { encodeNetworkFilter } from './network-filters.ts';
import { downstreamTransportSocket } from './tls.ts';

function encodeFilterChainMatch(m: FilterChainMatch): JsonObject {
  const { destinationPort, prefixRanges, directSourcePrefixRanges, sourceType, sourcePrefixRanges, sourcePorts, serverNames, ...more } = m;
  const { transportProtocol, applicationProtocols, ...rest } = more;
  noOtherFields(rest);
  return obj({
    destination_port: destinationPort,
    prefix_ranges: list(prefixRanges, encodeCidrRange),
    direct_source_prefix_ranges: list(directSourcePrefixRanges, encodeCidrRange),
    source_type: enumName(sourceType, 'ANY'),
    source_prefix_ranges: list(sourcePrefixRanges, encodeCidrRange),
    source_ports: list(sourcePorts, (p) => p),
    server_names: strings(serverNames),
    transport_protocol: str(transportProtocol),
    application_protocols: strings(applicationProtocols),
  });
}

function encodeFilterChain(c: FilterChain): JsonObject {
  const { name, filterChainMatch, filters, transportSocket, transportSocketConnectTimeoutMs, ...rest } = c;
  noOtherFields(rest);
  return obj({
    filter_chain_match: filterChainMatch ? encodeFilterChainMatch(filterChainMatch) : undefined,
    filters: list(filters, encodeNetworkFilter),
    transport_socket: transportSocket ? downstreamTransportSocket(transportSocket) : undefined,
    transport_socket_connect_timeout: durationOf(transportSocketConnectTimeoutMs),
    name: str(name),
  });
}

function encodeListenerFilter(f: ListenerFilter): JsonObject {
  switch (f.kind) {
    case 'tlsInspector': {
      const { initialReadBufferSize, ...rest } = f.typedConfig;
      noOtherFields(rest);
      return obj({ name: str(f.name), typed_config: typed(ENVOY_TYPES.tlsInspector, obj({ initial_read_buffer_size: initialReadBufferSize })) });
    }
    default:
      return assertNever(f.kind, 'listener filter kind');
  }
}

/**
 * envoy.config.listener.v3.Listener. A listener without an address is an internal listener
 * (`internal_listener: {}`), as Envoy spells one.
 */
export function encodeListener(l: Listener): JsonObject {
  const { name, address, additionalAddresses, filterChains, defaultFilterChain, listenerFilters, listenerFiltersTimeoutMs, ...more } = l;
  const { continueOnListenerFiltersTimeout, perConnectionBufferLimitBytes, trafficDirection, sources, ...rest } = more;
  noOtherFields(rest);
  return obj({
    name: str(name),
    address: address ? encodeAddress(address) : undefined,
    additional_addresses: list(additionalAddresses, (a) => ({ address: { socket_address: encodeSocketAddress(a) } })),
    filter_chains: list(filterChains, encodeFilterChain),
    default_filter_chain: defaultFilterChain ? encodeFilterChain(defaultFilterChain) : undefined,
    per_connection_buffer_limit_bytes: perConnectionBufferLimitBytes,
    metadata: sourcesMetadata(sources),
    listener_filters: list(listenerFilters, encodeListenerFilter),
    listener_filters_timeout: durationOf(listenerFiltersTimeoutMs),
    continue_on_listener_filters_timeout: flag(continueOnListenerFiltersTimeout),
    traffic_direction: enumName(trafficDirection, 'UNSPECIFIED'),
    internal_listener: address ? undefined : {},
  });
}
