/**
 * TLS termination for a filter chain: the secure context compiled with the snapshot, and the
 * server side of a handshake on an accepted socket (whose ClientHello may already have been
 * peeked by the tls_inspector; Node's TLSSocket replays bytes still buffered on the socket).
 */
import type { Socket } from 'node:net';
import tls from 'node:tls';

export interface DownstreamTls {
  readonly secureContext: tls.SecureContext;
  /** ALPN the server accepts, in preference order; empty = no ALPN. */
  readonly alpnProtocols: readonly string[];
  /** Ask the client for a certificate. */
  readonly requestCert: boolean;
  /** Refuse a handshake without a client certificate. */
  readonly requireClientCertificate: boolean;
  /** Refuse a client certificate that does not chain to the trusted CA. */
  readonly rejectUntrusted: boolean;
  /** SAN / hash / SPKI checks on the client certificate; returns the reason to refuse. */
  readonly peerCheck: ((cert: tls.PeerCertificate) => string | undefined) | undefined;
  readonly requireSni: boolean;
}

export type HandshakeResult = { readonly ok: true; readonly socket: tls.TLSSocket } | { readonly ok: false; readonly reason: string };

/**
 * Runs the server handshake on `socket` and resolves when it is done (or failed, or timed out;
 * the socket is then destroyed). `alpn` overrides the context's protocols (the HCM default).
 */
export function acceptTls(socket: Socket, t: DownstreamTls, alpn: readonly string[], timeoutMs: number): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const secure = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: t.secureContext,
      requestCert: t.requestCert,
      rejectUnauthorized: false,
      ...(alpn.length > 0 ? { ALPNProtocols: [...alpn] } : {}),
    });
    let done = false;
    const finish = (r: HandshakeResult): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      secure.off('error', onError);
      if (!r.ok) secure.destroy();
      resolve(r);
    };
    const onError = (e: Error): void => finish({ ok: false, reason: e.message });
    const timer = timeoutMs > 0 ? setTimeout(() => finish({ ok: false, reason: 'TLS handshake timed out' }), timeoutMs) : undefined;
    secure.on('error', onError);
    secure.once('secure', () => {
      // What tls.Server does before 'secureConnection'; node:http2 waits for it otherwise.
      (secure as tls.TLSSocket & { secureConnecting: boolean }).secureConnecting = false;
      const problem = checkPeer(secure, t);
      finish(problem === undefined ? { ok: true, socket: secure } : { ok: false, reason: problem });
    });
  });
}

function checkPeer(s: tls.TLSSocket, t: DownstreamTls): string | undefined {
  if (t.requireSni && !(s as tls.TLSSocket & { servername?: string | false }).servername) return 'the client sent no SNI';
  if (!t.requestCert) return undefined;
  const cert = s.getPeerCertificate();
  const presented = cert !== null && typeof cert === 'object' && Object.keys(cert).length > 0;
  if (!presented) return t.requireClientCertificate ? 'the client presented no certificate' : undefined;
  if (t.rejectUntrusted && !s.authorized) return `the client certificate is not trusted: ${String(s.authorizationError)}`;
  return t.peerCheck?.(cert);
}
