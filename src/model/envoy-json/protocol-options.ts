/**
 * envoy.config.core.v3.{HttpProtocolOptions, Http1ProtocolOptions, Http2ProtocolOptions} and the
 * cluster extension envoy.extensions.upstreams.http.v3.HttpProtocolOptions.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type {
  CommonHttpProtocolOptions,
  Http1ProtocolOptions,
  Http2ProtocolOptions,
  UpstreamHttpProtocolOptions,
  UpstreamProtocolOptions,
} from '../protocol-options.ts';
import { durationOf, enumName, flag, noOtherFields, obj, str, type JsonObject } from './json.ts';

export function encodeCommonHttpProtocolOptions(o: CommonHttpProtocolOptions): JsonObject {
  const { idleTimeoutMs, maxConnectionDurationMs, maxHeadersCount, maxStreamDurationMs, headersWithUnderscoresAction, maxRequestsPerConnection, ...rest } = o;
  noOtherFields(rest);
  return obj({
    idle_timeout: durationOf(idleTimeoutMs),
    max_connection_duration: durationOf(maxConnectionDurationMs),
    max_headers_count: maxHeadersCount,
    max_stream_duration: durationOf(maxStreamDurationMs),
    headers_with_underscores_action: enumName(headersWithUnderscoresAction, 'ALLOW'),
    max_requests_per_connection: maxRequestsPerConnection,
  });
}

export function encodeHttp1ProtocolOptions(o: Http1ProtocolOptions): JsonObject {
  const { acceptHttp10, defaultHostForHttp10, allowChunkedLength, ...rest } = o;
  noOtherFields(rest);
  return obj({ accept_http_10: flag(acceptHttp10), default_host_for_http_10: str(defaultHostForHttp10), allow_chunked_length: flag(allowChunkedLength) });
}

export function encodeHttp2ProtocolOptions(o: Http2ProtocolOptions): JsonObject {
  const { maxConcurrentStreams, initialStreamWindowSize, initialConnectionWindowSize, allowConnect, ...rest } = o;
  noOtherFields(rest);
  return obj({
    max_concurrent_streams: maxConcurrentStreams,
    initial_stream_window_size: initialStreamWindowSize,
    initial_connection_window_size: initialConnectionWindowSize,
    allow_connect: flag(allowConnect),
  });
}

function bothVersions(h1: Http1ProtocolOptions | undefined, h2: Http2ProtocolOptions | undefined): JsonObject {
  return obj({
    http_protocol_options: h1 ? encodeHttp1ProtocolOptions(h1) : undefined,
    http2_protocol_options: h2 ? encodeHttp2ProtocolOptions(h2) : undefined,
  });
}

/** HttpProtocolOptions.upstream_protocol_options (a oneof). */
function encodeUpstreamProtocolOptions(u: UpstreamProtocolOptions): JsonObject {
  switch (u.kind) {
    case 'explicitHttpConfig': {
      const e = u.explicitHttpConfig;
      switch (e.kind) {
        case 'httpProtocolOptions':
          return { explicit_http_config: { http_protocol_options: encodeHttp1ProtocolOptions(e.httpProtocolOptions) } };
        case 'http2ProtocolOptions':
          return { explicit_http_config: { http2_protocol_options: encodeHttp2ProtocolOptions(e.http2ProtocolOptions) } };
        default:
          return assertNever(e, 'explicit HTTP config kind');
      }
    }
    case 'useDownstreamProtocolConfig':
      return { use_downstream_protocol_config: bothVersions(u.httpProtocolOptions, u.http2ProtocolOptions) };
    case 'autoConfig':
      return { auto_config: bothVersions(u.httpProtocolOptions, u.http2ProtocolOptions) };
    default:
      return assertNever(u, 'upstream protocol options kind');
  }
}

/** Absent upstream protocol options mean HTTP/1.1; Envoy requires the oneof, so that is written out. */
const HTTP1_DEFAULT: UpstreamProtocolOptions = { kind: 'explicitHttpConfig', explicitHttpConfig: { kind: 'httpProtocolOptions', httpProtocolOptions: {} } };

/** The payload of a cluster's `typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]`. */
export function encodeUpstreamHttpProtocolOptions(o: UpstreamHttpProtocolOptions): JsonObject {
  const { commonHttpProtocolOptions, upstreamProtocolOptions, autoSni, autoSanValidation, ...rest } = o;
  noOtherFields(rest);
  const upstream = autoSni || autoSanValidation ? obj({ auto_sni: flag(autoSni), auto_san_validation: flag(autoSanValidation) }) : undefined;
  return obj({
    common_http_protocol_options: commonHttpProtocolOptions ? encodeCommonHttpProtocolOptions(commonHttpProtocolOptions) : undefined,
    upstream_http_protocol_options: upstream,
    ...encodeUpstreamProtocolOptions(upstreamProtocolOptions ?? HTTP1_DEFAULT),
  });
}
