/**
 * Response flags: the closed vocabulary of "why this request ended the way it did", with Envoy's
 * letters and meanings (envoy/stream_info/stream_info.h `CoreResponseFlag`, access log docs
 * `%RESPONSE_FLAGS%`). A request's flags are one small integer (a bitset), so setting a flag on
 * the hot path is `entry.responseFlags |= RESPONSE_FLAGS.UH` and allocates nothing.
 *
 * Bit i is Envoy's enum value i, so iterating bits in order gives Envoy's output order.
 */

/** Short name → bit, in Envoy's enum order. */
export const RESPONSE_FLAGS = {
  /** FailedLocalHealthCheck: local service failed a health check request (503). */
  LH: 1 << 0,
  /** NoHealthyUpstream: no healthy upstream hosts in the cluster (503). */
  UH: 1 << 1,
  /** UpstreamRequestTimeout (504). */
  UT: 1 << 2,
  /** LocalReset: connection local reset (503). */
  LR: 1 << 3,
  /** UpstreamRemoteReset (503). */
  UR: 1 << 4,
  /** UpstreamConnectionFailure (503). */
  UF: 1 << 5,
  /** UpstreamConnectionTermination (503). */
  UC: 1 << 6,
  /** UpstreamOverflow: circuit breaking (503). */
  UO: 1 << 7,
  /** NoRouteFound (404), or no matching filter chain for a connection. */
  NR: 1 << 8,
  /** DelayInjected by fault injection. */
  DI: 1 << 9,
  /** FaultInjected: aborted by fault injection. */
  FI: 1 << 10,
  /** RateLimited locally (429). */
  RL: 1 << 11,
  /** UnauthorizedExternalService: denied by external authorization. */
  UAEX: 1 << 12,
  /** RateLimitServiceError. */
  RLSE: 1 << 13,
  /** DownstreamConnectionTermination. */
  DC: 1 << 14,
  /** UpstreamRetryLimitExceeded (HTTP retries or TCP connect attempts). */
  URX: 1 << 15,
  /** StreamIdleTimeout (408 or 504). */
  SI: 1 << 16,
  /** InvalidEnvoyRequestHeaders (400). */
  IH: 1 << 17,
  /** DownstreamProtocolError. */
  DPE: 1 << 18,
  /** UpstreamMaxStreamDurationReached. */
  UMSDR: 1 << 19,
  /** ResponseFromCacheFilter. */
  RFCF: 1 << 20,
  /** NoFilterConfigFound. */
  NFCF: 1 << 21,
  /** DurationTimeout: max connection / stream duration exceeded. */
  DT: 1 << 22,
  /** UpstreamProtocolError. */
  UPE: 1 << 23,
  /** NoClusterFound. */
  NC: 1 << 24,
  /** OverloadManagerTerminated. */
  OM: 1 << 25,
  /** DnsResolutionFailed. */
  DF: 1 << 26,
  /** DropOverload (503, drop_overloads). */
  DO: 1 << 27,
  /** DownstreamRemoteReset. */
  DR: 1 << 28,
  /** UnconditionalDropOverload (503, drop_overloads at 100%). */
  UDO: 1 << 29,
} as const;

export type ResponseFlagName = keyof typeof RESPONSE_FLAGS;

/** A bitset of RESPONSE_FLAGS values; 0 = no flag. */
export type ResponseFlags = number;

/** The short names in Envoy's order (bit 0 first). */
export const RESPONSE_FLAG_NAMES: readonly ResponseFlagName[] = Object.freeze(
  Object.keys(RESPONSE_FLAGS) as ResponseFlagName[],
);

/** Short name → the PascalCase long name Envoy prints for `%RESPONSE_FLAGS_LONG%`. */
export const RESPONSE_FLAG_LONG_NAMES: Readonly<Record<ResponseFlagName, string>> = Object.freeze({
  LH: 'FailedLocalHealthCheck',
  UH: 'NoHealthyUpstream',
  UT: 'UpstreamRequestTimeout',
  LR: 'LocalReset',
  UR: 'UpstreamRemoteReset',
  UF: 'UpstreamConnectionFailure',
  UC: 'UpstreamConnectionTermination',
  UO: 'UpstreamOverflow',
  NR: 'NoRouteFound',
  DI: 'DelayInjected',
  FI: 'FaultInjected',
  RL: 'RateLimited',
  UAEX: 'UnauthorizedExternalService',
  RLSE: 'RateLimitServiceError',
  DC: 'DownstreamConnectionTermination',
  URX: 'UpstreamRetryLimitExceeded',
  SI: 'StreamIdleTimeout',
  IH: 'InvalidEnvoyRequestHeaders',
  DPE: 'DownstreamProtocolError',
  UMSDR: 'UpstreamMaxStreamDurationReached',
  RFCF: 'ResponseFromCacheFilter',
  NFCF: 'NoFilterConfigFound',
  DT: 'DurationTimeout',
  UPE: 'UpstreamProtocolError',
  NC: 'NoClusterFound',
  OM: 'OverloadManagerTerminated',
  DF: 'DnsResolutionFailed',
  DO: 'DropOverload',
  DR: 'DownstreamRemoteReset',
  UDO: 'UnconditionalDropOverload',
});

const FLAG_COUNT = RESPONSE_FLAG_NAMES.length;
/** Every defined bit. */
export const ALL_RESPONSE_FLAGS: ResponseFlags = (1 << FLAG_COUNT) - 1;

const SHORT_BY_BIT: readonly string[] = RESPONSE_FLAG_NAMES;
const LONG_BY_BIT: readonly string[] = RESPONSE_FLAG_NAMES.map((n) => RESPONSE_FLAG_LONG_NAMES[n]);

function join(flags: ResponseFlags, names: readonly string[]): string {
  flags &= ALL_RESPONSE_FLAGS;
  if (flags === 0) return '-';
  // One flag is the common case: index by bit position, no string building.
  if ((flags & (flags - 1)) === 0) return names[31 - Math.clz32(flags)];
  let out = '';
  for (let i = 0; i < FLAG_COUNT; i++) {
    if ((flags & (1 << i)) !== 0) out = out === '' ? names[i] : `${out},${names[i]}`;
  }
  return out;
}

/** `%RESPONSE_FLAGS%`: `-` when none, else short names comma-joined in Envoy's order (`UF,URX`). */
export function formatResponseFlags(flags: ResponseFlags): string {
  return join(flags, SHORT_BY_BIT);
}

/** `%RESPONSE_FLAGS_LONG%`: `-` when none, else PascalCase names comma-joined in Envoy's order. */
export function formatResponseFlagsLong(flags: ResponseFlags): string {
  return join(flags, LONG_BY_BIT);
}

/** The bit for a short name (`UH`), or undefined for a name Envoy does not define. */
export function parseResponseFlag(name: string): ResponseFlags | undefined {
  return Object.hasOwn(RESPONSE_FLAGS, name) ? RESPONSE_FLAGS[name as ResponseFlagName] : undefined;
}

/** The short names set in `flags`, in Envoy's order. */
export function responseFlagNames(flags: ResponseFlags): ResponseFlagName[] {
  const out: ResponseFlagName[] = [];
  for (let i = 0; i < FLAG_COUNT; i++) if ((flags & (1 << i)) !== 0) out.push(RESPONSE_FLAG_NAMES[i]);
  return out;
}
