/**
 * HTTP protocol options shared by the HTTP connection manager (downstream) and clusters
 * (upstream): envoy.config.core.v3.{HttpProtocolOptions, Http1ProtocolOptions,
 * Http2ProtocolOptions} and envoy.extensions.upstreams.http.v3.HttpProtocolOptions.
 */

/** envoy.config.core.v3.HttpProtocolOptions.HeadersWithUnderscoresAction. */
export type HeadersWithUnderscoresAction = 'ALLOW' | 'REJECT_REQUEST' | 'DROP_HEADER';

/** envoy.config.core.v3.HttpProtocolOptions (Envoy's "common HTTP protocol options"). */
export interface CommonHttpProtocolOptions {
  /** Idle connection timeout. Default 1 h; 0 = disabled. */
  readonly idleTimeoutMs?: number;
  /** Absent = unbounded. */
  readonly maxConnectionDurationMs?: number;
  /** Default 100. */
  readonly maxHeadersCount?: number;
  /** Absent = unbounded. */
  readonly maxStreamDurationMs?: number;
  /** Default ALLOW. */
  readonly headersWithUnderscoresAction?: HeadersWithUnderscoresAction;
  /** Absent = unlimited. */
  readonly maxRequestsPerConnection?: number;
}

/** envoy.config.core.v3.Http1ProtocolOptions. */
export interface Http1ProtocolOptions {
  /** Accept HTTP/1.0 requests. Default false (Envoy answers 426). */
  readonly acceptHttp10?: boolean;
  readonly defaultHostForHttp10?: string;
  /** Allow a request with both Content-Length and chunked Transfer-Encoding (drops CL). Default false. */
  readonly allowChunkedLength?: boolean;
}

/** envoy.config.core.v3.Http2ProtocolOptions. */
export interface Http2ProtocolOptions {
  /** Default 2147483647 (Envoy); the runtime may lower it for edge safety. */
  readonly maxConcurrentStreams?: number;
  /** Default 268435456. */
  readonly initialStreamWindowSize?: number;
  /** Default 268435456. */
  readonly initialConnectionWindowSize?: number;
  /** Allow extended CONNECT (RFC 8441). Default false. */
  readonly allowConnect?: boolean;
}

/**
 * envoy.extensions.upstreams.http.v3.HttpProtocolOptions.upstream_protocol_options: which HTTP
 * version a cluster speaks upstream. Absent on a cluster = HTTP/1.1. The deprecated
 * `Cluster.http2_protocol_options` maps to `explicitHttpConfig` with HTTP/2 at decode time.
 */
export type UpstreamProtocolOptions =
  | {
      readonly kind: 'explicitHttpConfig';
      readonly explicitHttpConfig:
        | { readonly kind: 'httpProtocolOptions'; readonly httpProtocolOptions: Http1ProtocolOptions }
        | { readonly kind: 'http2ProtocolOptions'; readonly http2ProtocolOptions: Http2ProtocolOptions };
    }
  /** The same version the downstream request used. */
  | {
      readonly kind: 'useDownstreamProtocolConfig';
      readonly httpProtocolOptions?: Http1ProtocolOptions;
      readonly http2ProtocolOptions?: Http2ProtocolOptions;
    }
  /** ALPN over TLS (h2 preferred), HTTP/1.1 in cleartext. */
  | {
      readonly kind: 'autoConfig';
      readonly httpProtocolOptions?: Http1ProtocolOptions;
      readonly http2ProtocolOptions?: Http2ProtocolOptions;
    };

/** envoy.extensions.upstreams.http.v3.HttpProtocolOptions (a cluster's HTTP options). */
export interface UpstreamHttpProtocolOptions {
  readonly commonHttpProtocolOptions?: CommonHttpProtocolOptions;
  readonly upstreamProtocolOptions?: UpstreamProtocolOptions;
  /** Set upstream TLS SNI from the request's host (upstream_http_protocol_options.auto_sni). */
  readonly autoSni?: boolean;
  /** Verify the upstream certificate's SAN against that SNI (auto_san_validation). */
  readonly autoSanValidation?: boolean;
}
