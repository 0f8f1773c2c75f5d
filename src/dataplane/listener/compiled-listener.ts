/**
 * A listener compiled from the model once per snapshot (and kept while its config hash stays):
 * its filter chains with TLS contexts and terminal network filter (an HTTP connection manager or
 * a tcp_proxy), and the selector that picks a chain per connection. What happens to one accepted
 * connection — ClientHello peek, chain selection, TLS handshake, codec choice, hand-over — is
 * `acceptConnection` below.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { CodecType, SocketAddress } from '../../model/index.ts';
import type { ListenerStats } from '../../observe/stats/index.ts';
import type { ConnectionManager } from '../http/connection-manager.ts';
import type { DownstreamConnection } from '../http/request-headers.ts';
import { parseIp } from './cidr.ts';
import { parseClientHello } from './client-hello.ts';
import { acceptTls, type DownstreamTls } from './downstream-tls.ts';
import type { FilterChainSelector } from './filter-chain-selector.ts';
import { matchesHttp2Preface, peekBytes } from './peek.ts';
import type { NetworkReadFilter } from './network-filter.ts';
import type { TcpProxy } from './tcp-proxy.ts';

export type ChainTerminal =
  | { readonly kind: 'http'; readonly cm: ConnectionManager; readonly codec: CodecType }
  | { readonly kind: 'tcp'; readonly proxy: TcpProxy };

export interface CompiledFilterChain {
  readonly name: string | undefined;
  readonly tls: DownstreamTls | undefined;
  /** ALPN offered in the handshake (the context's, else the HCM's default). */
  readonly alpn: readonly string[];
  readonly handshakeTimeoutMs: number;
  /** local_ratelimit / connection_limit before the terminal, in chain order (usually none). */
  readonly networkFilters: readonly NetworkReadFilter[];
  readonly terminal: ChainTerminal;
}

export interface CompiledListener {
  readonly name: string;
  readonly hash: string;
  readonly addresses: readonly SocketAddress[];
  readonly selector: FilterChainSelector<CompiledFilterChain>;
  /** A tls_inspector runs (or some chain matches on SNI/ALPN/transport). */
  readonly inspectClientHello: boolean;
  readonly clientHelloMaxBytes: number;
  readonly peekTimeoutMs: number;
  readonly continueOnPeekTimeout: boolean;
  /** Every chain (the default chain included), for draining and closing. */
  readonly chains: readonly CompiledFilterChain[];
}

/** How long a cleartext connection may take to send enough bytes to tell HTTP/2 from HTTP/1. */
const PREFACE_TIMEOUT_MS = 10_000;

let nextConnectionId = 1;

function unmapped(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function addressString(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The per-connection path through a listener; resolves when the connection has been handed over. */
export async function acceptConnection(listener: CompiledListener, socket: Socket, stats: ListenerStats): Promise<void> {
  const remoteAddress = unmapped(socket.remoteAddress);
  const localAddress = unmapped(socket.localAddress);
  const remotePort = socket.remotePort ?? 0;
  const localPort = socket.localPort ?? 0;
  const remoteIp = parseIp(remoteAddress);
  const localIp = parseIp(localAddress);
  let serverName = '';
  let applicationProtocols: readonly string[] = [];
  let transportProtocol = 'raw_buffer';
  if (listener.inspectClientHello) {
    stats.downstreamPreCxActive.inc();
    const max = listener.clientHelloMaxBytes;
    const r = await peekBytes(socket, (b) => parseClientHello(b, max).kind !== 'incomplete', max, listener.peekTimeoutMs);
    stats.downstreamPreCxActive.dec();
    if (r.kind === 'closed') {
      stats.downstreamListenerFilterRemoteClose.inc();
      socket.destroy();
      return;
    }
    if (r.kind === 'timeout') {
      stats.downstreamPreCxTimeout.inc();
      if (!listener.continueOnPeekTimeout) {
        socket.destroy();
        return;
      }
    }
    const hello = parseClientHello(r.bytes, max);
    if (hello.kind === 'clientHello') {
      transportProtocol = 'tls';
      serverName = hello.serverName;
      applicationProtocols = hello.alpn;
    } else if (hello.kind === 'invalid') {
      stats.downstreamListenerFilterError.inc();
    }
  }
  const chain = listener.selector.select({ localPort, localIp, remoteIp, remotePort, serverName, transportProtocol, applicationProtocols });
  if (chain === undefined) {
    stats.noFilterChainMatch.inc();
    socket.destroy();
    return;
  }
  const nf = chain.networkFilters;
  for (let i = 0; i < nf.length; i++) if (!nf[i].onNewConnection(socket)) return;
  let sock: Socket = socket;
  let alpn: string | false = false;
  let presented = false;
  let validated = false;
  if (chain.tls !== undefined) {
    const r = await acceptTls(socket, chain.tls, chain.alpn, chain.handshakeTimeoutMs);
    if (!r.ok) {
      if (r.reason.includes('timed out')) stats.downstreamCxTransportSocketConnectTimeout.inc();
      return;
    }
    const t: TLSSocket = r.socket;
    sock = t;
    alpn = t.alpnProtocol ?? false;
    serverName = (t as TLSSocket & { servername?: string | false }).servername || serverName;
    const peer = chain.tls.requestCert ? t.getPeerCertificate() : undefined;
    presented = peer !== undefined && peer !== null && Object.keys(peer).length > 0;
    validated = presented && t.authorized;
  }
  const conn: DownstreamConnection = {
    id: nextConnectionId++,
    remoteAddress,
    remotePort,
    remoteIp,
    localAddress,
    localPort,
    tls: chain.tls !== undefined,
    serverName,
    peerCertificatePresented: presented,
    peerCertificateValidated: validated,
    filterChainName: chain.name,
    remoteAddressString: addressString(remoteAddress, remotePort),
    localAddressString: addressString(localAddress, localPort),
  };
  const term = chain.terminal;
  switch (term.kind) {
    case 'tcp':
      term.proxy.accept(sock, conn);
      return;
    case 'http': {
      let h2: boolean;
      if (chain.tls !== undefined) h2 = alpn === 'h2' || (alpn === false && term.codec === 'HTTP2');
      else if (term.codec === 'HTTP1') h2 = false;
      else if (term.codec === 'HTTP2') h2 = true;
      else {
        const r = await peekBytes(sock, (b) => matchesHttp2Preface(b) !== undefined, 24, PREFACE_TIMEOUT_MS);
        if (r.kind !== 'done') {
          sock.destroy();
          return;
        }
        h2 = matchesHttp2Preface(r.bytes) === true;
      }
      term.cm.acceptConnection(sock, conn, h2);
      // node:http reads what the peek left buffered only once the socket flows again; node:http2
      // reads it itself (and would lose it if the socket flowed first).
      if (!h2) sock.resume();
      return;
    }
    default: {
      const never: never = term;
      throw new Error(`unexpected chain terminal ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Drains every chain's connections (listener removed or changed, or shutdown with `closeIdle`),
 * closing what is left after `timeoutMs`.
 */
export async function drainListener(listener: CompiledListener, timeoutMs: number, closeIdle = false): Promise<void> {
  await Promise.all(
    listener.chains.map((c) => (c.terminal.kind === 'http' ? c.terminal.cm.drain(timeoutMs, closeIdle) : c.terminal.proxy.drain(timeoutMs))),
  );
  releaseNetworkFilters(listener);
}

function releaseNetworkFilters(listener: CompiledListener): void {
  for (const c of listener.chains) for (const f of c.networkFilters) f.release();
}

/** Closes every chain's connections now. */
export function closeListener(listener: CompiledListener): void {
  for (const c of listener.chains) {
    if (c.terminal.kind === 'http') c.terminal.cm.close();
    else c.terminal.proxy.close();
  }
  releaseNetworkFilters(listener);
}
