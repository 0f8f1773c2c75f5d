/**
 * Reads the first bytes of a connection without consuming them: chunks are collected until the
 * caller's `decide` says enough, then pushed back (`unshift`) so whoever takes the socket next
 * (node:http, node:http2, a TLSSocket, or a tcp_proxy pipe) reads them first. Bounded by a byte
 * limit and a timeout (Envoy's listener_filters_timeout).
 */
import type { Socket } from 'node:net';

export type PeekResult =
  | { readonly kind: 'done'; readonly bytes: Buffer }
  /** The peer closed (or errored) before `decide` was satisfied. */
  | { readonly kind: 'closed'; readonly bytes: Buffer }
  | { readonly kind: 'timeout'; readonly bytes: Buffer };

/**
 * `decide(bytes)` returns true once it has seen enough. The socket is left paused with the bytes
 * unshifted.
 */
export function peekBytes(socket: Socket, decide: (bytes: Buffer) => boolean, maxBytes: number, timeoutMs: number): Promise<PeekResult> {
  return new Promise((resolve) => {
    let bytes: Buffer = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    const finish = (kind: PeekResult['kind']): void => {
      if (timer !== undefined) clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
      socket.off('close', onEnd);
      socket.pause();
      if (bytes.length > 0 && !socket.destroyed) socket.unshift(bytes);
      resolve({ kind, bytes });
    };
    const onData = (chunk: Buffer): void => {
      bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk]);
      if (decide(bytes) || bytes.length >= maxBytes) finish('done');
    };
    const onEnd = (): void => finish('closed');
    if (timeoutMs > 0) timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
    socket.once('close', onEnd);
  });
}

/** The HTTP/2 connection preface (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Whether `bytes` could still be, or is, the HTTP/2 preface: undefined = need more. */
export function matchesHttp2Preface(bytes: Buffer): boolean | undefined {
  const n = Math.min(bytes.length, H2_PREFACE.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== H2_PREFACE[i]) return false;
  return n === H2_PREFACE.length ? true : undefined;
}
