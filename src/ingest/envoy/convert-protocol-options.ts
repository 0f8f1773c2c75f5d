/**
 * HTTP protocol options: envoy.config.core.v3.{HttpProtocolOptions, Http1ProtocolOptions,
 * Http2ProtocolOptions} and the cluster extension envoy.extensions.upstreams.http.v3.HttpProtocolOptions.
 *
 * Ignored, with the reason:
 * - Http1ProtocolOptions `use_balsa_parser`: chooses Envoy's parser implementation.
 * - Http2ProtocolOptions `hpack_table_size`, `max_outbound_frames`, `max_outbound_control_frames`,
 *   `max_consecutive_inbound_frames_with_empty_payload`, `max_inbound_priority_frames_per_stream`,
 *   `max_inbound_window_update_frames_per_data_frame_sent`, `use_oghttp2_codec`: codec tuning and
 *   flood-protection thresholds of Envoy's HTTP/2 codec; Node's codec has its own.
 */
import type {
  CommonHttpProtocolOptions,
  HeadersWithUnderscoresAction,
  Http1ProtocolOptions,
  Http2ProtocolOptions,
  UpstreamHttpProtocolOptions,
  UpstreamProtocolOptions,
} from '../../model/index.ts';
import { compact, enumIn } from './convert-common.ts';
import type { ProtoObject } from './proto-object.ts';

export function convertCommonHttpProtocolOptions(o: ProtoObject): CommonHttpProtocolOptions {
  return compact({
    idleTimeoutMs: o.durationMs('idle_timeout'),
    maxConnectionDurationMs: o.durationMs('max_connection_duration'),
    maxHeadersCount: o.num('max_headers_count'),
    maxStreamDurationMs: o.durationMs('max_stream_duration'),
    headersWithUnderscoresAction: enumIn<HeadersWithUnderscoresAction>(
      o,
      'headers_with_underscores_action',
      ['ALLOW', 'REJECT_REQUEST', 'DROP_HEADER'],
      'headers_with_underscores_action',
    ),
    maxRequestsPerConnection: o.num('max_requests_per_connection'),
  });
}

export function convertHttp1ProtocolOptions(o: ProtoObject): Http1ProtocolOptions {
  o.ignore('use_balsa_parser');
  return compact({
    acceptHttp10: o.bool('accept_http_10') || undefined,
    defaultHostForHttp10: o.str('default_host_for_http_10') || undefined,
    allowChunkedLength: o.bool('allow_chunked_length') || undefined,
  });
}

export function convertHttp2ProtocolOptions(o: ProtoObject): Http2ProtocolOptions {
  o.ignore(
    'hpack_table_size',
    'max_outbound_frames',
    'max_outbound_control_frames',
    'max_consecutive_inbound_frames_with_empty_payload',
    'max_inbound_priority_frames_per_stream',
    'max_inbound_window_update_frames_per_data_frame_sent',
    'use_oghttp2_codec',
  );
  return compact({
    maxConcurrentStreams: o.num('max_concurrent_streams'),
    initialStreamWindowSize: o.num('initial_stream_window_size'),
    initialConnectionWindowSize: o.num('initial_connection_window_size'),
    allowConnect: o.bool('allow_connect') || undefined,
  });
}

function h1(o: ProtoObject): Http1ProtocolOptions | undefined {
  const m = o.msg('http_protocol_options');
  return m ? convertHttp1ProtocolOptions(m) : undefined;
}

function h2(o: ProtoObject): Http2ProtocolOptions | undefined {
  const m = o.msg('http2_protocol_options');
  return m ? convertHttp2ProtocolOptions(m) : undefined;
}

function upstreamProtocol(o: ProtoObject): UpstreamProtocolOptions | undefined {
  switch (o.oneof('upstream_protocol_options')) {
    case 'explicit_http_config': {
      const e = o.msg('explicit_http_config');
      if (!e) return undefined;
      // http3_protocol_options stays unread and is reported as unsupported.
      if (e.oneof('protocol_config') === 'http2_protocol_options') {
        return { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'http2ProtocolOptions', http2ProtocolOptions: h2(e) ?? {} } };
      }
      if (e.oneof('protocol_config') === 'http_protocol_options') {
        return { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'httpProtocolOptions', httpProtocolOptions: h1(e) ?? {} } };
      }
      return undefined;
    }
    case 'use_downstream_protocol_config': {
      const d = o.msg('use_downstream_protocol_config');
      return d ? compact({ kind: 'useDownstreamProtocolConfig' as const, httpProtocolOptions: h1(d), http2ProtocolOptions: h2(d) }) : undefined;
    }
    case 'auto_config': {
      const a = o.msg('auto_config');
      return a ? compact({ kind: 'autoConfig' as const, httpProtocolOptions: h1(a), http2ProtocolOptions: h2(a) }) : undefined;
    }
    default:
      return undefined;
  }
}

/** envoy.extensions.upstreams.http.v3.HttpProtocolOptions (a cluster's `typed_extension_protocol_options`). */
export function convertUpstreamHttpProtocolOptions(o: ProtoObject): UpstreamHttpProtocolOptions {
  const common = o.msg('common_http_protocol_options');
  const upstream = o.msg('upstream_http_protocol_options');
  return compact({
    commonHttpProtocolOptions: common ? convertCommonHttpProtocolOptions(common) : undefined,
    upstreamProtocolOptions: upstreamProtocol(o),
    autoSni: upstream?.bool('auto_sni') || undefined,
    autoSanValidation: upstream?.bool('auto_san_validation') || undefined,
  });
}
