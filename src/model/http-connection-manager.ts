/**
 * envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.
 *
 * Absent optional fields mean Envoy's default, written on each field. Where Envoy's default is not
 * edge-safe (no request-headers timeout, path normalisation off), the runtime may apply the
 * stricter value Envoy's edge guide recommends; `ENVOY_DEFAULTS` in defaults.ts holds Envoy's.
 */
import type { AccessLog } from './access-log.ts';
import type { HttpFilter } from './http-filters.ts';
import type { RouteConfigName } from './ids.ts';
import type { CommonHttpProtocolOptions, Http1ProtocolOptions, Http2ProtocolOptions } from './protocol-options.ts';
import type { RouteConfiguration } from './route-configuration.ts';

export type CodecType = 'AUTO' | 'HTTP1' | 'HTTP2' | 'HTTP3';

export type ServerHeaderTransformation = 'OVERWRITE' | 'APPEND_IF_ABSENT' | 'PASS_THROUGH';

/** HttpConnectionManager.PathWithEscapedSlashesAction. */
export type PathWithEscapedSlashesAction =
  | 'IMPLEMENTATION_SPECIFIC_DEFAULT'
  | 'KEEP_UNCHANGED'
  | 'REJECT_REQUEST'
  | 'UNESCAPE_AND_REDIRECT'
  | 'UNESCAPE_AND_FORWARD';

/** HttpConnectionManager.route_specifier. (`scoped_routes` is not supported.) */
export type HcmRouteSpecifier =
  /** A RouteConfiguration resource of this name; `buildSnapshot` checks it exists. */
  | { readonly kind: 'rds'; readonly rds: { readonly routeConfigName: RouteConfigName } }
  | { readonly kind: 'routeConfig'; readonly routeConfig: RouteConfiguration };

/** HttpConnectionManager.UpgradeConfig. */
export interface HcmUpgradeConfig {
  /** e.g. `websocket`, `CONNECT`; compared case-insensitively. */
  readonly upgradeType: string;
  /** Default true. */
  readonly enabled?: boolean;
}

/** HttpConnectionManager.ForwardClientCertDetails. */
export type ForwardClientCertDetails =
  | 'SANITIZE'
  | 'FORWARD_ONLY'
  | 'APPEND_FORWARD'
  | 'SANITIZE_SET'
  | 'ALWAYS_FORWARD_ONLY';

export interface HttpConnectionManager {
  /** Default AUTO (HTTP/1.1 or HTTP/2 by preface / ALPN). */
  readonly codecType?: CodecType;
  /** Stats under `http.<statPrefix>.`. */
  readonly statPrefix: string;
  readonly routeSpecifier: HcmRouteSpecifier;
  /** Ordered; the last one is the router (`buildSnapshot` checks). */
  readonly httpFilters: readonly HttpFilter[];
  readonly accessLog: readonly AccessLog[];
  /** Use the peer address (not x-forwarded-for) as the client address. Default false. */
  readonly useRemoteAddress?: boolean;
  /** Default 0. */
  readonly xffNumTrustedHops?: number;
  /** Do not append the peer to x-forwarded-for. Default false. */
  readonly skipXffAppend?: boolean;
  /** Value for the `via` header; absent = none. */
  readonly via?: string;
  /** `server` response header value. Default `envoy`. */
  readonly serverName?: string;
  /** Default OVERWRITE. */
  readonly serverHeaderTransformation?: ServerHeaderTransformation;
  /** Generate `x-request-id` when missing (and for external requests). Default true. */
  readonly generateRequestId?: boolean;
  /** Keep an external client's `x-request-id`. Default false. */
  readonly preserveExternalRequestId?: boolean;
  /** Default false. */
  readonly alwaysSetRequestIdInResponse?: boolean;
  /** Whole downstream request. Default 0 = disabled. */
  readonly requestTimeoutMs?: number;
  /** Default 300000 (5 min); 0 = disabled. */
  readonly streamIdleTimeoutMs?: number;
  /** Time to receive all request headers. Default 0 = disabled. */
  readonly requestHeadersTimeoutMs?: number;
  /** Default 5000. */
  readonly drainTimeoutMs?: number;
  /** Default 1000. */
  readonly delayedCloseTimeoutMs?: number;
  readonly commonHttpProtocolOptions?: CommonHttpProtocolOptions;
  readonly httpProtocolOptions?: Http1ProtocolOptions;
  readonly http2ProtocolOptions?: Http2ProtocolOptions;
  /** Request header block limit in KiB. Default 60 (over → 431). */
  readonly maxRequestHeadersKb?: number;
  /** RFC 3986 dot-segment normalisation before routing. Default false. */
  readonly normalizePath?: boolean;
  /** Merge repeated slashes before routing. Default false. */
  readonly mergeSlashes?: boolean;
  /** Default IMPLEMENTATION_SPECIFIC_DEFAULT (= KEEP_UNCHANGED). */
  readonly pathWithEscapedSlashesAction?: PathWithEscapedSlashesAction;
  /** Strip `:port` from Host when it equals the listener's port. Default false. */
  readonly stripMatchingHostPort?: boolean;
  /** Strip any `:port` from Host. Default false. */
  readonly stripAnyHostPort?: boolean;
  readonly upgradeConfigs: readonly HcmUpgradeConfig[];
  /** Default SANITIZE. */
  readonly forwardClientCertDetails?: ForwardClientCertDetails;
  /** Answer a malformed HTTP request with a stream error, not by closing. Default false. */
  readonly streamErrorOnInvalidHttpMessage?: boolean;
}
