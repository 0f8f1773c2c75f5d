/**
 * One access log entry: a plain object the runtime fills while a stream runs (Envoy's StreamInfo
 * plus the header maps). Formatters only read it. Absent optional fields print as `-` (text) or
 * `null` (JSON), as Envoy prints unset values.
 *
 * Times: `startTimeMs` is wall-clock (Clock.nowMs()); every `...DurationMs` is a difference of
 * Clock.monotonicMs() readings, in milliseconds (fractions allowed; formatters truncate to whole
 * milliseconds as Envoy does).
 */
import type { ResponseFlags } from '../response-flags.ts';

export type HeaderValue = string | readonly string[] | undefined;

/**
 * Lower-case header name → value: the shape of Node's `IncomingHttpHeaders` and of undici's
 * response headers, so the runtime passes what it already has. An array is several values; the
 * first one is logged (Envoy logs the first header entry).
 */
export type HeaderRecord = { readonly [lowerCaseName: string]: HeaderValue };

export type HttpProtocol = 'HTTP/1.0' | 'HTTP/1.1' | 'HTTP/2' | 'HTTP/3';

/** `%COMMON_DURATION(START:END:PRECISION)%` time points (monotonic ms). */
export type TimePoint =
  | 'DS_RX_BEG'
  | 'DS_RX_END'
  | 'US_CX_BEG'
  | 'US_CX_END'
  | 'US_HS_END'
  | 'US_TX_BEG'
  | 'US_TX_END'
  | 'US_RX_BEG'
  | 'US_RX_BODY_BEG'
  | 'US_RX_END'
  | 'DS_TX_BEG'
  | 'DS_TX_END';

export const TIME_POINTS: readonly TimePoint[] = [
  'DS_RX_BEG',
  'DS_RX_END',
  'US_CX_BEG',
  'US_CX_END',
  'US_HS_END',
  'US_TX_BEG',
  'US_TX_END',
  'US_RX_BEG',
  'US_RX_BODY_BEG',
  'US_RX_END',
  'DS_TX_BEG',
  'DS_TX_END',
];

/** What a TLS connection negotiated and presented (downstream or upstream side). */
export interface TlsInfo {
  /** `TLSv1.3`. */
  version?: string;
  /** OpenSSL cipher name. */
  cipher?: string;
  sessionId?: string;
  peerSubject?: string;
  peerIssuer?: string;
  localSubject?: string;
  peerSerial?: string;
  /** Hex SHA-256 / SHA-1 of the peer certificate. */
  peerFingerprint256?: string;
  peerFingerprint1?: string;
  peerUriSan?: readonly string[];
  peerDnsSan?: readonly string[];
  peerIpSan?: readonly string[];
  localUriSan?: readonly string[];
  localDnsSan?: readonly string[];
  localIpSan?: readonly string[];
  /** Peer certificate validity, wall-clock ms. */
  peerCertValidFromMs?: number;
  peerCertValidToMs?: number;
}

/** Metadata namespaces (`%METADATA(TYPE:NAMESPACE:KEY)%`); each is filter namespace → struct. */
export interface EntryMetadata {
  dynamic?: { readonly [namespace: string]: unknown };
  cluster?: { readonly [namespace: string]: unknown };
  route?: { readonly [namespace: string]: unknown };
  upstreamHost?: { readonly [namespace: string]: unknown };
  listener?: { readonly [namespace: string]: unknown };
  listenerFilterChain?: { readonly [namespace: string]: unknown };
  virtualHost?: { readonly [namespace: string]: unknown };
}

export interface AccessLogEntry {
  /** Request (or connection) start, wall-clock ms since the epoch. */
  startTimeMs: number;
  /** Start to the last byte sent downstream; unset while the stream is open. */
  durationMs?: number;
  /** Start to the last request byte received. */
  requestDurationMs?: number;
  /** Start to the last byte sent upstream. */
  requestTxDurationMs?: number;
  /** Start to the first byte read from the upstream. */
  responseDurationMs?: number;
  /** First upstream byte read to the last byte sent downstream. */
  responseTxDurationMs?: number;
  downstreamHandshakeDurationMs?: number;
  upstreamConnectionPoolReadyDurationMs?: number;
  timePoints?: { [K in TimePoint]?: number };

  protocol?: HttpProtocol;
  upstreamProtocol?: HttpProtocol;
  /** Pseudo-headers; when unset, `:method` etc. are looked up in `requestHeaders` (HTTP/2 keeps them there). */
  method?: string;
  /** `:path`, with the query string. */
  path?: string;
  /** `:authority` (the Host header on HTTP/1). */
  authority?: string;
  scheme?: string;
  requestHeaders?: HeaderRecord;
  responseHeaders?: HeaderRecord;
  responseTrailers?: HeaderRecord;

  /** The status sent downstream; 0 = none was sent (the client went away first). */
  responseCode: number;
  /** `via_upstream`, `route_not_found`, ... (Envoy's response code details). */
  responseCodeDetails?: string;
  connectionTerminationDetails?: string;
  /** RESPONSE_FLAGS bitset. */
  responseFlags: ResponseFlags;
  /** Body of a local reply weft sent itself. */
  localReplyBody?: string;

  /** Body bytes received from / sent to the downstream. */
  bytesReceived: number;
  bytesSent: number;
  requestHeadersBytes?: number;
  responseHeadersBytes?: number;
  responseTrailersBytes?: number;
  upstreamWireBytesSent?: number;
  upstreamWireBytesReceived?: number;
  upstreamHeaderBytesSent?: number;
  upstreamHeaderBytesReceived?: number;
  downstreamWireBytesSent?: number;
  downstreamWireBytesReceived?: number;
  downstreamHeaderBytesSent?: number;
  downstreamHeaderBytesReceived?: number;

  routeName?: string;
  virtualClusterName?: string;
  /** Cluster name as stats show it (alt_stat_name when set). */
  upstreamCluster?: string;
  /** Cluster name as configured. Defaults to `upstreamCluster`. */
  upstreamClusterRaw?: string;
  /** `ip:port` of the host the request went to (`[::1]:80` for IPv6). */
  upstreamHost?: string;
  /** DNS name of that host, when it has one. */
  upstreamHostName?: string;
  upstreamLocalAddress?: string;
  upstreamRemoteAddress?: string;
  upstreamTransportFailureReason?: string;
  upstreamRequestAttemptCount?: number;
  upstreamConnectionId?: number;

  /** `ip:port` of the client, after x-forwarded-for handling when use_remote_address says so. */
  downstreamRemoteAddress?: string;
  /** `ip:port` of the peer socket, always. Defaults to `downstreamRemoteAddress`. */
  downstreamDirectRemoteAddress?: string;
  downstreamLocalAddress?: string;
  downstreamDirectLocalAddress?: string;
  downstreamTransportFailureReason?: string;
  /** SNI. */
  requestedServerName?: string;
  connectionId?: number;
  /** Stream id (the x-request-id). */
  streamId?: string;
  filterChainName?: string;
  downstreamTls?: TlsInfo;
  upstreamTls?: TlsInfo;

  metadata?: EntryMetadata;
  customFlags?: string;
  traceId?: string;
  /** `%ACCESS_LOG_TYPE%`: `DownstreamEnd`, `TcpConnectionEnd`, ... */
  accessLogType?: string;
  /** The request was a health check (the notHealthCheckFilter drops these). */
  isHealthCheck?: boolean;
}
