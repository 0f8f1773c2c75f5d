/**
 * Envoy's command operators (substitution formatter docs), each compiled once into a value
 * provider: a small function from the entry to a string, a number (typed in JSON logs), a
 * struct (metadata), or undefined (printed `-`). Arguments are parsed here, at compile time;
 * nothing is parsed per request.
 *
 * This file is long because it is one table: every command with its argument rules.
 */
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../lib/result.ts';
import type { Clock } from '../clock.ts';
import { formatResponseFlags, formatResponseFlagsLong } from '../response-flags.ts';
import { addressPort, formatAddressWithoutPort } from './address-format.ts';
import { type AccessLogEntry, type HeaderRecord, TIME_POINTS, type TimePoint, type TlsInfo } from './entry.ts';
import { compileTimeFormat } from './time-format.ts';

/** A rendered value: undefined = unset (`-`); objects are metadata structs. */
export type LogValue = string | number | boolean | object | undefined;
export type ValueProvider = (entry: AccessLogEntry) => LogValue;

export interface CompileContext {
  readonly clock: Clock;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly hostname: string;
}

interface CommandDef {
  readonly params: 'none' | 'optional' | 'required';
  /** Whether `:N` truncation is allowed. */
  readonly length: boolean;
  build(arg: string | undefined, ctx: CompileContext): Result<ValueProvider, string>;
}

const plain = (get: ValueProvider): CommandDef => ({ params: 'none', length: false, build: () => ok(get) });
const ms = (get: (e: AccessLogEntry) => number | undefined): CommandDef =>
  plain((e) => {
    const v = get(e);
    return v === undefined ? undefined : Math.trunc(v);
  });

export function headerValue(rec: HeaderRecord | undefined, name: string): string | undefined {
  const v = rec?.[name];
  return typeof v === 'string' || v === undefined ? v : v[0];
}

/** A request header reader; pseudo-headers read the entry's own fields first. */
function requestHeaderReader(name: string): (e: AccessLogEntry) => string | undefined {
  switch (name) {
    case ':method':
      return (e) => e.method ?? headerValue(e.requestHeaders, ':method');
    case ':path':
      return (e) => e.path ?? headerValue(e.requestHeaders, ':path');
    case ':authority':
    case 'host':
      return (e) => e.authority ?? headerValue(e.requestHeaders, ':authority') ?? headerValue(e.requestHeaders, 'host');
    case ':scheme':
      return (e) => e.scheme ?? headerValue(e.requestHeaders, ':scheme');
    default:
      return (e) => headerValue(e.requestHeaders, name);
  }
}

function headerPair(arg: string): Result<[string, string | undefined], string> {
  const parts = arg.split('?');
  if (parts.length > 2) return err(`Invalid header configuration. Format string contains multiple alternative headers: ${arg}`);
  const main = parts[0].toLowerCase();
  if (main === '') return err('Invalid header configuration. Header name is empty');
  return ok([main, parts[1] === undefined || parts[1] === '' ? undefined : parts[1].toLowerCase()]);
}

type HeaderSide = 'request' | 'response' | 'trailer';

function headerCommand(side: HeaderSide): CommandDef {
  return {
    params: 'required',
    length: true,
    build(arg) {
      const pair = headerPair(arg ?? '');
      if (!pair.ok) return pair;
      const [main, alt] = pair.value;
      if (side === 'request') {
        const a = requestHeaderReader(main);
        if (alt === undefined) return ok(a);
        const b = requestHeaderReader(alt);
        return ok((e) => a(e) ?? b(e));
      }
      const rec = side === 'response' ? (e: AccessLogEntry) => e.responseHeaders : (e: AccessLogEntry) => e.responseTrailers;
      if (alt === undefined) return ok((e) => headerValue(rec(e), main));
      return ok((e) => headerValue(rec(e), main) ?? headerValue(rec(e), alt));
    },
  };
}

function parseMask(arg: string | undefined): Result<number | undefined, string> {
  if (arg === undefined || arg === '') return ok(undefined);
  if (!/^\d+$/.test(arg) || Number(arg) > 128) return err(`MASK_PREFIX_LEN must be an integer between 0 and 128, got: ${arg}`);
  return ok(Number(arg));
}

/** `X_ADDRESS`, `X_ADDRESS_WITHOUT_PORT(MASK)`, `X_PORT` for one address field. */
function addressCommands(prefix: string, portName: string, get: (e: AccessLogEntry) => string | undefined): Record<string, CommandDef> {
  return {
    [prefix]: plain(get),
    [`${prefix}_WITHOUT_PORT`]: {
      params: 'optional',
      length: false,
      build(arg) {
        const mask = parseMask(arg);
        if (!mask.ok) return mask;
        return ok((e) => {
          const a = get(e);
          return a === undefined ? undefined : formatAddressWithoutPort(a, mask.value);
        });
      },
    },
    [portName]: plain((e) => {
      const a = get(e);
      return a === undefined ? undefined : addressPort(a);
    }),
  };
}

function timeCommand(local: boolean, at: (e: AccessLogEntry, ctx: CompileContext) => number | undefined): CommandDef {
  return {
    params: 'optional',
    length: false,
    build(arg, ctx) {
      const fmt = compileTimeFormat(arg, local);
      return ok((e) => {
        const t = at(e, ctx);
        return t === undefined ? undefined : fmt(t);
      });
    },
  };
}

const joinList = (v: readonly string[] | undefined): string | undefined => (v === undefined || v.length === 0 ? undefined : v.join(','));

function tlsCommands(prefix: 'DOWNSTREAM' | 'UPSTREAM', get: (e: AccessLogEntry) => TlsInfo | undefined): Record<string, CommandDef> {
  const f = (read: (t: TlsInfo) => string | undefined): CommandDef =>
    plain((e) => {
      const t = get(e);
      return t === undefined ? undefined : read(t);
    });
  return {
    [`${prefix}_TLS_VERSION`]: f((t) => t.version),
    [`${prefix}_TLS_CIPHER`]: f((t) => t.cipher),
    [`${prefix}_TLS_SESSION_ID`]: f((t) => t.sessionId),
    [`${prefix}_PEER_SUBJECT`]: f((t) => t.peerSubject),
    [`${prefix}_PEER_ISSUER`]: f((t) => t.peerIssuer),
    [`${prefix}_LOCAL_SUBJECT`]: f((t) => t.localSubject),
    [`${prefix}_PEER_SERIAL`]: f((t) => t.peerSerial),
    [`${prefix}_PEER_FINGERPRINT_256`]: f((t) => t.peerFingerprint256),
    [`${prefix}_PEER_FINGERPRINT_1`]: f((t) => t.peerFingerprint1),
    [`${prefix}_PEER_URI_SAN`]: f((t) => joinList(t.peerUriSan)),
    [`${prefix}_PEER_DNS_SAN`]: f((t) => joinList(t.peerDnsSan)),
    [`${prefix}_PEER_IP_SAN`]: f((t) => joinList(t.peerIpSan)),
    [`${prefix}_LOCAL_URI_SAN`]: f((t) => joinList(t.localUriSan)),
    [`${prefix}_LOCAL_DNS_SAN`]: f((t) => joinList(t.localDnsSan)),
    [`${prefix}_LOCAL_IP_SAN`]: f((t) => joinList(t.localIpSan)),
    [`${prefix}_PEER_CERT_V_START`]: timeCommand(false, (e) => get(e)?.peerCertValidFromMs),
    [`${prefix}_PEER_CERT_V_END`]: timeCommand(false, (e) => get(e)?.peerCertValidToMs),
  };
}

const GRPC_CAMEL = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable',
  'DataLoss', 'Unauthenticated',
];
const GRPC_SNAKE = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE',
  'DATA_LOSS', 'UNAUTHENTICATED',
];

function grpcStatus(e: AccessLogEntry): number | undefined {
  const raw = headerValue(e.responseTrailers, 'grpc-status') ?? headerValue(e.responseHeaders, 'grpc-status');
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** Walks `path` into a metadata namespace; structs stay objects, scalars come back as they are. */
function metadataProvider(
  pick: (e: AccessLogEntry) => { readonly [ns: string]: unknown } | undefined,
  arg: string,
): Result<ValueProvider, string> {
  const [ns, ...keys] = arg.split(':');
  if (ns === '') return err('metadata namespace must not be empty');
  return ok((e) => {
    let v: unknown = pick(e)?.[ns];
    for (const k of keys) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[k];
    }
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'object' ? v : undefined;
  });
}

const METADATA_TYPES: Readonly<Record<string, (e: AccessLogEntry) => { readonly [ns: string]: unknown } | undefined>> = {
  DYNAMIC: (e) => e.metadata?.dynamic,
  CLUSTER: (e) => e.metadata?.cluster,
  ROUTE: (e) => e.metadata?.route,
  UPSTREAM_HOST: (e) => e.metadata?.upstreamHost,
  LISTENER: (e) => e.metadata?.listener,
  LISTENER_FILTER_CHAIN: (e) => e.metadata?.listenerFilterChain,
  VIRTUAL_HOST: (e) => e.metadata?.virtualHost,
};

const metadataCommand = (pick: (e: AccessLogEntry) => { readonly [ns: string]: unknown } | undefined): CommandDef => ({
  params: 'required',
  length: true,
  build: (arg) => metadataProvider(pick, arg ?? ''),
});

function pathOf(e: AccessLogEntry, source: string): string | undefined {
  const orig = headerValue(e.requestHeaders, 'x-envoy-original-path');
  const path = requestHeaderReader(':path')(e);
  return source === 'ORIG' ? orig : source === 'PATH' ? path : (orig ?? path);
}

function hostOf(e: AccessLogEntry, source: string): string | undefined {
  const orig = headerValue(e.requestHeaders, 'x-envoy-original-host');
  const host = requestHeaderReader(':authority')(e);
  return source === 'ORIG' ? orig : source === 'HOST' ? host : (orig ?? host);
}

const COMMANDS: Readonly<Record<string, CommandDef>> = {
  START_TIME: timeCommand(false, (e) => e.startTimeMs),
  START_TIME_LOCAL: timeCommand(true, (e) => e.startTimeMs),
  EMIT_TIME: timeCommand(false, (_e, ctx) => ctx.clock.nowMs()),
  EMIT_TIME_LOCAL: timeCommand(true, (_e, ctx) => ctx.clock.nowMs()),
  REQUEST_HEADERS_BYTES: plain((e) => e.requestHeadersBytes ?? 0),
  RESPONSE_HEADERS_BYTES: plain((e) => e.responseHeadersBytes ?? 0),
  RESPONSE_TRAILERS_BYTES: plain((e) => e.responseTrailersBytes ?? 0),
  BYTES_RECEIVED: plain((e) => e.bytesReceived),
  BYTES_SENT: plain((e) => e.bytesSent),
  BYTES_RETRANSMITTED: plain(() => 0),
  PACKETS_RETRANSMITTED: plain(() => 0),
  UPSTREAM_WIRE_BYTES_SENT: plain((e) => e.upstreamWireBytesSent ?? 0),
  UPSTREAM_WIRE_BYTES_RECEIVED: plain((e) => e.upstreamWireBytesReceived ?? 0),
  UPSTREAM_HEADER_BYTES_SENT: plain((e) => e.upstreamHeaderBytesSent ?? 0),
  UPSTREAM_HEADER_BYTES_RECEIVED: plain((e) => e.upstreamHeaderBytesReceived ?? 0),
  DOWNSTREAM_WIRE_BYTES_SENT: plain((e) => e.downstreamWireBytesSent ?? 0),
  DOWNSTREAM_WIRE_BYTES_RECEIVED: plain((e) => e.downstreamWireBytesReceived ?? 0),
  DOWNSTREAM_HEADER_BYTES_SENT: plain((e) => e.downstreamHeaderBytesSent ?? 0),
  DOWNSTREAM_HEADER_BYTES_RECEIVED: plain((e) => e.downstreamHeaderBytesReceived ?? 0),
  PROTOCOL: plain((e) => e.protocol ?? '-'),
  UPSTREAM_PROTOCOL: plain((e) => e.upstreamProtocol ?? '-'),
  RESPONSE_CODE: plain((e) => e.responseCode),
  RESPONSE_CODE_DETAILS: {
    params: 'optional',
    length: false,
    build(arg) {
      if (arg !== undefined && arg !== '' && arg !== 'ALLOW_WHITESPACES') {
        return err(`RESPONSE_CODE_DETAILS: unknown parameter ${arg} (only ALLOW_WHITESPACES)`);
      }
      if (arg === 'ALLOW_WHITESPACES') return ok((e) => e.responseCodeDetails);
      return ok((e) => e.responseCodeDetails?.replace(/\s/g, '_'));
    },
  },
  CONNECTION_TERMINATION_DETAILS: plain((e) => e.connectionTerminationDetails),
  UPSTREAM_REQUEST_ATTEMPT_COUNT: plain((e) => e.upstreamRequestAttemptCount ?? 0),
  DURATION: ms((e) => e.durationMs),
  REQUEST_DURATION: ms((e) => e.requestDurationMs),
  REQUEST_TX_DURATION: ms((e) => e.requestTxDurationMs),
  RESPONSE_DURATION: ms((e) => e.responseDurationMs),
  RESPONSE_TX_DURATION: ms((e) => e.responseTxDurationMs),
  ROUNDTRIP_DURATION: plain(() => undefined),
  DOWNSTREAM_HANDSHAKE_DURATION: ms((e) => e.downstreamHandshakeDurationMs),
  UPSTREAM_CONNECTION_POOL_READY_DURATION: ms((e) => e.upstreamConnectionPoolReadyDurationMs),
  COMMON_DURATION: {
    params: 'required',
    length: false,
    build(arg) {
      const [start, end, precision, extra] = (arg ?? '').split(':');
      const points: readonly string[] = TIME_POINTS;
      if (extra !== undefined || !points.includes(start) || !points.includes(end)) {
        return err(`COMMON_DURATION: expected START:END:PRECISION with time points ${TIME_POINTS.join(', ')}, got: ${arg}`);
      }
      const factor = precision === 'ms' ? 1 : precision === 'us' ? 1e3 : precision === 'ns' ? 1e6 : 0;
      if (factor === 0) return err(`COMMON_DURATION: precision must be ms, us or ns, got: ${precision}`);
      const s = start as TimePoint;
      const t = end as TimePoint;
      return ok((e) => {
        const a = e.timePoints?.[s];
        const b = e.timePoints?.[t];
        return a === undefined || b === undefined ? undefined : Math.trunc((b - a) * factor);
      });
    },
  },
  RESPONSE_FLAGS: plain((e) => formatResponseFlags(e.responseFlags)),
  RESPONSE_FLAGS_LONG: plain((e) => formatResponseFlagsLong(e.responseFlags)),
  ROUTE_NAME: plain((e) => e.routeName),
  VIRTUAL_CLUSTER_NAME: plain((e) => e.virtualClusterName),
  UPSTREAM_HOST: plain((e) => e.upstreamHost),
  UPSTREAM_HOST_NAME: plain((e) => e.upstreamHostName ?? e.upstreamHost),
  UPSTREAM_HOST_NAME_WITHOUT_PORT: plain((e) => {
    if (e.upstreamHostName !== undefined) return e.upstreamHostName.replace(/:\d+$/, '');
    return e.upstreamHost === undefined ? undefined : formatAddressWithoutPort(e.upstreamHost, undefined);
  }),
  UPSTREAM_CLUSTER: plain((e) => e.upstreamCluster ?? e.upstreamClusterRaw),
  UPSTREAM_CLUSTER_RAW: plain((e) => e.upstreamClusterRaw ?? e.upstreamCluster),
  ...addressCommands('UPSTREAM_LOCAL_ADDRESS', 'UPSTREAM_LOCAL_PORT', (e) => e.upstreamLocalAddress),
  ...addressCommands('UPSTREAM_REMOTE_ADDRESS', 'UPSTREAM_REMOTE_PORT', (e) => e.upstreamRemoteAddress ?? e.upstreamHost),
  UPSTREAM_TRANSPORT_FAILURE_REASON: plain((e) => e.upstreamTransportFailureReason),
  DOWNSTREAM_TRANSPORT_FAILURE_REASON: plain((e) => e.downstreamTransportFailureReason),
  ...addressCommands('DOWNSTREAM_REMOTE_ADDRESS', 'DOWNSTREAM_REMOTE_PORT', (e) => e.downstreamRemoteAddress),
  ...addressCommands(
    'DOWNSTREAM_DIRECT_REMOTE_ADDRESS',
    'DOWNSTREAM_DIRECT_REMOTE_PORT',
    (e) => e.downstreamDirectRemoteAddress ?? e.downstreamRemoteAddress,
  ),
  ...addressCommands('DOWNSTREAM_LOCAL_ADDRESS', 'DOWNSTREAM_LOCAL_PORT', (e) => e.downstreamLocalAddress),
  ...addressCommands(
    'DOWNSTREAM_DIRECT_LOCAL_ADDRESS',
    'DOWNSTREAM_DIRECT_LOCAL_PORT',
    (e) => e.downstreamDirectLocalAddress ?? e.downstreamLocalAddress,
  ),
  CONNECTION_ID: plain((e) => e.connectionId),
  UPSTREAM_CONNECTION_ID: plain((e) => e.upstreamConnectionId),
  STREAM_ID: plain((e) => e.streamId ?? headerValue(e.requestHeaders, 'x-request-id')),
  GRPC_STATUS: {
    params: 'optional',
    length: false,
    build(arg) {
      const mode = arg === undefined || arg === '' ? 'CAMEL_STRING' : arg;
      if (mode !== 'CAMEL_STRING' && mode !== 'SNAKE_STRING' && mode !== 'NUMBER') {
        return err(`GRPC_STATUS: parameter must be CAMEL_STRING, SNAKE_STRING or NUMBER, got: ${arg}`);
      }
      return ok((e) => {
        const s = grpcStatus(e);
        if (s === undefined) return undefined;
        if (mode === 'NUMBER') return s;
        return (mode === 'CAMEL_STRING' ? GRPC_CAMEL : GRPC_SNAKE)[s] ?? String(s);
      });
    },
  },
  GRPC_STATUS_NUMBER: plain(grpcStatus),
  REQ: headerCommand('request'),
  REQUEST_HEADER: headerCommand('request'),
  RESP: headerCommand('response'),
  RESPONSE_HEADER: headerCommand('response'),
  TRAILER: headerCommand('trailer'),
  RESPONSE_TRAILER: headerCommand('trailer'),
  REQ_WITHOUT_QUERY: {
    params: 'required',
    length: true,
    build(arg, ctx) {
      const inner = headerCommand('request').build(arg, ctx);
      if (!inner.ok) return inner;
      const get = inner.value;
      return ok((e) => {
        const v = get(e);
        return typeof v === 'string' ? v.split('?')[0] : v;
      });
    },
  },
  REQUESTED_SERVER_NAME: {
    params: 'optional',
    length: false,
    build(arg) {
      const [mode = 'SNI_ONLY', source = 'ORIG_OR_HOST'] = arg === undefined || arg === '' ? [] : arg.split(':');
      if (!['SNI_ONLY', 'SNI_FIRST', 'HOST_FIRST'].includes(mode) || !['ORIG', 'HOST', 'ORIG_OR_HOST'].includes(source)) {
        return err(`REQUESTED_SERVER_NAME: expected (SNI_ONLY|SNI_FIRST|HOST_FIRST)[:(ORIG|HOST|ORIG_OR_HOST)], got: ${arg}`);
      }
      if (mode === 'SNI_ONLY') return ok((e) => e.requestedServerName);
      if (mode === 'SNI_FIRST') return ok((e) => e.requestedServerName || hostOf(e, source));
      return ok((e) => hostOf(e, source) ?? e.requestedServerName);
    },
  },
  ...tlsCommands('DOWNSTREAM', (e) => e.downstreamTls),
  ...tlsCommands('UPSTREAM', (e) => e.upstreamTls),
  HOSTNAME: { params: 'none', length: false, build: (_a, ctx) => ok(() => ctx.hostname) },
  LOCAL_REPLY_BODY: plain((e) => e.localReplyBody),
  FILTER_CHAIN_NAME: plain((e) => e.filterChainName),
  ACCESS_LOG_TYPE: plain((e) => e.accessLogType),
  UNIQUE_ID: plain(() => randomUUID()),
  TRACE_ID: plain((e) => e.traceId),
  CUSTOM_FLAGS: plain((e) => e.customFlags),
  ENVIRONMENT: {
    params: 'required',
    length: true,
    build(arg, ctx) {
      // Read once, when the format is compiled (Envoy reads it at configuration time).
      const v = ctx.env[arg ?? ''];
      return ok(() => v);
    },
  },
  QUERY_PARAM: {
    params: 'required',
    length: true,
    build(arg) {
      const name = arg ?? '';
      return ok((e) => {
        const path = requestHeaderReader(':path')(e);
        const q = path?.indexOf('?') ?? -1;
        if (path === undefined || q < 0) return undefined;
        return new URLSearchParams(path.slice(q + 1)).get(name) ?? undefined;
      });
    },
  },
  PATH: {
    params: 'optional',
    length: true,
    build(arg) {
      const [query = 'WQ', source = 'ORIG_OR_PATH'] = arg === undefined || arg === '' ? [] : arg.split(':');
      if (!['WQ', 'NQ'].includes(query) || !['ORIG', 'PATH', 'ORIG_OR_PATH'].includes(source)) {
        return err(`PATH: expected (WQ|NQ)[:(ORIG|PATH|ORIG_OR_PATH)], got: ${arg}`);
      }
      return ok((e) => {
        const p = pathOf(e, source);
        return p === undefined || query === 'WQ' ? p : p.split('?')[0];
      });
    },
  },
  DYNAMIC_METADATA: metadataCommand((e) => e.metadata?.dynamic),
  CLUSTER_METADATA: metadataCommand((e) => e.metadata?.cluster),
  UPSTREAM_METADATA: metadataCommand((e) => e.metadata?.upstreamHost),
  METADATA: {
    params: 'required',
    length: true,
    build(arg) {
      const a = arg ?? '';
      const colon = a.indexOf(':');
      const type = colon < 0 ? a : a.slice(0, colon);
      const pick = METADATA_TYPES[type];
      if (pick === undefined || colon < 0) {
        return err(`METADATA: expected TYPE:NAMESPACE[:KEY...] with TYPE one of ${Object.keys(METADATA_TYPES).join(', ')}, got: ${a}`);
      }
      return metadataProvider(pick, a.slice(colon + 1));
    },
  },
};

/** The command names this formatter knows. */
export const SUPPORTED_COMMANDS: readonly string[] = Object.freeze(Object.keys(COMMANDS).sort());

/** Builds one command's provider, checking its arguments as Envoy's CommandSyntaxChecker does. */
export function buildCommand(
  command: string,
  arg: string | undefined,
  maxLength: number | undefined,
  ctx: CompileContext,
): Result<ValueProvider, string> {
  const def = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (def === undefined) return err(`Not supported field in StreamInfo: ${command}`);
  const hasArg = arg !== undefined && arg !== '';
  if (def.params === 'none' && arg !== undefined) return err(`${command} does not take any parameters`);
  if (def.params === 'required' && !hasArg) return err(`${command} requires parameters`);
  if (maxLength !== undefined && !def.length) return err(`${command} does not allow length to be specified.`);
  return def.build(arg, ctx);
}
