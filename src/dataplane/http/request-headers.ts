/**
 * Envoy's request header sanitising (ConnectionManagerUtility::mutateRequestHeaders; the HCM
 * header docs): x-forwarded-for and the trusted client address (use_remote_address,
 * xff_num_trusted_hops, skip_xff_append), x-forwarded-proto, the internal / edge decision and its
 * consequences (x-envoy-internal, x-envoy-external-address, x-envoy-* headers from outside
 * dropped), via, x-request-id, and x-forwarded-client-cert (SANITIZE unless told otherwise).
 * Runs once per request before routing, on Node's header object in place.
 */
import { isInternalAddress, isLoopback, parseIp } from '../listener/cidr.ts';
import type { ConnectionManagerSettings } from './connection-manager-settings.ts';
import type { RequestHeaders } from './header-list.ts';

/** What the HCM knows about the connection a request came on. */
export interface DownstreamConnection {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly remoteIp: Uint8Array | undefined;
  readonly localAddress: string;
  readonly localPort: number;
  readonly tls: boolean;
  /** SNI (lower-case), '' when none. */
  readonly serverName: string;
  /** The client presented / had validated a certificate (mTLS). */
  readonly peerCertificatePresented: boolean;
  readonly peerCertificateValidated: boolean;
  readonly filterChainName: string | undefined;
  /** `ip:port` strings for access logs. */
  readonly remoteAddressString: string;
  readonly localAddressString: string;
}

export interface RequestHeaderOutcome {
  /** The trusted client IP (from XFF when configured so), for logs and policy. */
  readonly clientIp: string;
  readonly internal: boolean;
  readonly edge: boolean;
  /** `http` or `https`: the x-forwarded-proto value after sanitising. */
  readonly scheme: string;
}

/** Headers Envoy drops from requests that are not internal. */
export const EXTERNAL_DROPPED_ENVOY_HEADERS: ReadonlySet<string> = new Set([
  'x-envoy-retry-on',
  'x-envoy-retry-grpc-on',
  'x-envoy-max-retries',
  'x-envoy-upstream-alt-stat-name',
  'x-envoy-upstream-rq-timeout-ms',
  'x-envoy-upstream-rq-per-try-timeout-ms',
  'x-envoy-upstream-rq-timeout-alt-response',
  'x-envoy-expected-rq-timeout-ms',
  'x-envoy-force-trace',
  'x-envoy-ip-tags',
]);

/** …and, from edge requests, these as well. */
export const EDGE_DROPPED_ENVOY_HEADERS: ReadonlySet<string> = new Set([
  'x-envoy-decorator-operation',
  'x-envoy-downstream-service-cluster',
  'x-envoy-downstream-service-node',
]);

interface XffAddress {
  readonly ip: string | undefined;
  readonly single: boolean;
}

/** Envoy's Utility::getLastAddressFromXFF: the entry `skip` places from the right. */
function lastAddressFromXff(xff: string | string[] | undefined, skip: number): XffAddress {
  if (xff === undefined) return { ip: undefined, single: false };
  const list = (typeof xff === 'string' ? xff : xff.join(',')).split(',');
  const single = list.length === 1;
  if (skip >= list.length) return { ip: undefined, single };
  const candidate = list[list.length - 1 - skip].trim();
  return { ip: parseIp(candidate) ? candidate : undefined, single };
}

function appendXff(h: RequestHeaders, ip: string): void {
  const cur = h['x-forwarded-for'];
  if (cur === undefined) h['x-forwarded-for'] = ip;
  else h['x-forwarded-for'] = `${typeof cur === 'string' ? cur : cur.join(',')},${ip}`;
}

export function mutateRequestHeaders(
  h: RequestHeaders,
  s: ConnectionManagerSettings,
  conn: DownstreamConnection,
  internalOnlyHeaders: readonly string[],
  newRequestId: () => string,
): RequestHeaderOutcome {
  if (h['x-envoy-internal'] !== undefined) h['x-envoy-internal'] = undefined;
  const proto = conn.tls ? 'https' : 'http';
  let clientIp: string | undefined;
  let single: boolean;
  if (s.useRemoteAddress) {
    single = h['x-forwarded-for'] === undefined;
    if (s.xffNumTrustedHops > 0) clientIp = lastAddressFromXff(h['x-forwarded-for'], s.xffNumTrustedHops - 1).ip;
    clientIp ??= conn.remoteAddress;
    if (!s.skipXffAppend) appendXff(h, isLoopback(conn.remoteIp) ? conn.localAddress : conn.remoteAddress);
    h['x-forwarded-proto'] = proto;
  } else {
    const x = lastAddressFromXff(h['x-forwarded-for'], s.xffNumTrustedHops);
    clientIp = x.ip;
    single = x.single;
  }
  const xfp = h['x-forwarded-proto'] as string | string[] | undefined;
  let scheme: string;
  if (xfp === undefined) {
    h['x-forwarded-proto'] = proto;
    scheme = proto;
  } else {
    scheme = typeof xfp === 'string' ? xfp : xfp[0];
  }
  const internal = single && clientIp !== undefined && isInternalAddress(parseIp(clientIp));
  clientIp ??= conn.remoteAddress;
  const edge = !internal && s.useRemoteAddress;
  if (internal) {
    h['x-envoy-internal'] = 'true';
  } else {
    if (edge) for (const name of EDGE_DROPPED_ENVOY_HEADERS) if (h[name] !== undefined) h[name] = undefined;
    for (const name of internalOnlyHeaders) if (h[name] !== undefined) h[name] = undefined;
  }
  if (s.via !== undefined) {
    const v = h.via as string | string[] | undefined;
    h.via = v === undefined ? s.via : `${typeof v === 'string' ? v : v.join(',')},${s.via}`;
  }
  if (edge) h['x-envoy-external-address'] = clientIp;
  if (s.generateRequestId && (h['x-request-id'] === undefined || (edge && !s.preserveExternalRequestId))) {
    h['x-request-id'] = newRequestId();
  }
  // forward_client_cert_details: ALWAYS_FORWARD_ONLY keeps the header; SANITIZE (the default),
  // and any mode on a connection without a client certificate, drop it; FORWARD_ONLY,
  // APPEND_FORWARD and SANITIZE_SET keep what came (weft adds no certificate details of its own).
  const xfcc = s.forwardClientCertDetails;
  if (h['x-forwarded-client-cert'] !== undefined && xfcc !== 'ALWAYS_FORWARD_ONLY' && (xfcc === 'SANITIZE' || !conn.peerCertificatePresented)) {
    h['x-forwarded-client-cert'] = undefined;
  }
  return { clientIp, internal, edge, scheme };
}
