/**
 * An HttpConnectionManager's settings with every default resolved, once per snapshot. Envoy's
 * defaults apply, except where Envoy's own edge guide says they are not safe at the edge; there
 * weft's default is the guide's value (each is written below), and an explicit setting always
 * wins:
 *   - request headers must arrive within 10 s (Envoy: no limit);
 *   - paths are normalised and repeated slashes merged (Envoy: off), escaped slashes refused
 *     (Envoy: kept);
 *   - an HTTP/2 connection carries at most 100 concurrent streams (Envoy: 2^31-1), with 64 KiB
 *     stream and 1 MiB connection windows (Envoy: 256 MiB);
 *   - downstream keep-alive connections idle for 5 min are closed (Envoy: 1 h).
 */
import type { CodecType, ForwardClientCertDetails, HeadersWithUnderscoresAction, HttpConnectionManager, ServerHeaderTransformation } from '../../model/index.ts';
import { ENVOY_DEFAULTS } from '../../model/index.ts';
import type { PathNormalization } from './path-normalizer.ts';

export const WEFT_EDGE_DEFAULTS = {
  requestHeadersTimeoutMs: 10_000,
  http2MaxConcurrentStreams: 100,
  http2InitialStreamWindowSize: 65_536,
  http2InitialConnectionWindowSize: 1_048_576,
  idleTimeoutMs: 300_000,
} as const;

export interface ConnectionManagerSettings {
  readonly statPrefix: string;
  readonly codecType: CodecType;
  readonly useRemoteAddress: boolean;
  readonly xffNumTrustedHops: number;
  readonly skipXffAppend: boolean;
  readonly via: string | undefined;
  readonly serverName: string;
  readonly serverHeaderTransformation: ServerHeaderTransformation;
  readonly generateRequestId: boolean;
  readonly preserveExternalRequestId: boolean;
  readonly alwaysSetRequestIdInResponse: boolean;
  /** 0 = disabled. */
  readonly requestTimeoutMs: number;
  readonly streamIdleTimeoutMs: number;
  readonly requestHeadersTimeoutMs: number;
  readonly drainTimeoutMs: number;
  /** Downstream connection idle (keep-alive) timeout. */
  readonly idleTimeoutMs: number;
  readonly maxConnectionDurationMs: number;
  readonly maxRequestHeadersBytes: number;
  readonly maxHeadersCount: number;
  readonly headersWithUnderscoresAction: HeadersWithUnderscoresAction;
  readonly maxRequestsPerConnection: number;
  readonly acceptHttp10: boolean;
  readonly defaultHostForHttp10: string | undefined;
  readonly http2MaxConcurrentStreams: number;
  readonly http2InitialStreamWindowSize: number;
  readonly http2InitialConnectionWindowSize: number;
  readonly path: PathNormalization;
  /** HCM upgrade_configs: upgrade type (lower-case; `connect` for CONNECT) → enabled. */
  readonly upgrades: ReadonlyMap<string, boolean>;
  readonly stripAnyHostPort: boolean;
  readonly stripMatchingHostPort: boolean;
  readonly forwardClientCertDetails: ForwardClientCertDetails;
}

export function resolveConnectionManagerSettings(hcm: HttpConnectionManager): ConnectionManagerSettings {
  const common = hcm.commonHttpProtocolOptions;
  const h2 = hcm.http2ProtocolOptions;
  const escaped = hcm.pathWithEscapedSlashesAction;
  return {
    statPrefix: hcm.statPrefix,
    codecType: hcm.codecType ?? 'AUTO',
    useRemoteAddress: hcm.useRemoteAddress === true,
    xffNumTrustedHops: hcm.xffNumTrustedHops ?? 0,
    skipXffAppend: hcm.skipXffAppend === true,
    via: hcm.via || undefined,
    serverName: hcm.serverName ?? ENVOY_DEFAULTS.hcm.serverName,
    serverHeaderTransformation: hcm.serverHeaderTransformation ?? 'OVERWRITE',
    generateRequestId: hcm.generateRequestId ?? ENVOY_DEFAULTS.hcm.generateRequestId,
    preserveExternalRequestId: hcm.preserveExternalRequestId === true,
    alwaysSetRequestIdInResponse: hcm.alwaysSetRequestIdInResponse === true,
    requestTimeoutMs: hcm.requestTimeoutMs ?? ENVOY_DEFAULTS.hcm.requestTimeoutMs,
    streamIdleTimeoutMs: hcm.streamIdleTimeoutMs ?? ENVOY_DEFAULTS.hcm.streamIdleTimeoutMs,
    requestHeadersTimeoutMs: hcm.requestHeadersTimeoutMs ?? WEFT_EDGE_DEFAULTS.requestHeadersTimeoutMs,
    drainTimeoutMs: hcm.drainTimeoutMs ?? ENVOY_DEFAULTS.hcm.drainTimeoutMs,
    idleTimeoutMs: common?.idleTimeoutMs ?? WEFT_EDGE_DEFAULTS.idleTimeoutMs,
    maxConnectionDurationMs: common?.maxConnectionDurationMs ?? 0,
    maxRequestHeadersBytes: (hcm.maxRequestHeadersKb ?? ENVOY_DEFAULTS.hcm.maxRequestHeadersKb) * 1024,
    maxHeadersCount: common?.maxHeadersCount ?? ENVOY_DEFAULTS.hcm.maxHeadersCount,
    headersWithUnderscoresAction: common?.headersWithUnderscoresAction ?? 'ALLOW',
    maxRequestsPerConnection: common?.maxRequestsPerConnection ?? 0,
    acceptHttp10: hcm.httpProtocolOptions?.acceptHttp10 === true,
    defaultHostForHttp10: hcm.httpProtocolOptions?.defaultHostForHttp10 || undefined,
    http2MaxConcurrentStreams: h2?.maxConcurrentStreams ?? WEFT_EDGE_DEFAULTS.http2MaxConcurrentStreams,
    http2InitialStreamWindowSize: h2?.initialStreamWindowSize ?? WEFT_EDGE_DEFAULTS.http2InitialStreamWindowSize,
    http2InitialConnectionWindowSize: h2?.initialConnectionWindowSize ?? WEFT_EDGE_DEFAULTS.http2InitialConnectionWindowSize,
    path: {
      normalizePath: hcm.normalizePath ?? true,
      mergeSlashes: hcm.mergeSlashes ?? true,
      escapedSlashesAction: escaped === undefined || escaped === 'IMPLEMENTATION_SPECIFIC_DEFAULT' ? 'REJECT_REQUEST' : escaped,
    },
    upgrades: new Map(hcm.upgradeConfigs.map((u) => [u.upgradeType.toLowerCase(), u.enabled !== false])),
    stripAnyHostPort: hcm.stripAnyHostPort === true,
    stripMatchingHostPort: hcm.stripMatchingHostPort === true,
    forwardClientCertDetails: hcm.forwardClientCertDetails ?? 'SANITIZE',
  };
}
