/**
 * One try of an upstream request on one host (Envoy's UpstreamRequest): the undici dispatch
 * options and handler in one object, so a request costs one allocation here. It only translates
 * undici's events into the router request's terms and records where it failed (before the
 * connection, after the connection but before response headers, after headers); the router
 * request decides what the downstream sees. A retry policy repeats the unit: a new attempt per
 * try, so late events of an abandoned try cannot be mistaken for the current one.
 */
import type { Duplex, Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { UpstreamHost } from '../../upstream/upstream-host.ts';
import type { ConnectionPool } from '../../pool/connection-pool.ts';

/** Where an attempt failed, for Envoy's reset reasons and response flags. */
export type AttemptFailure =
  /** The connection could not be made (refused, unreachable, TLS handshake). */
  | { readonly kind: 'connect'; readonly timedOut: boolean; readonly error: Error }
  /** The connection broke (or the peer reset the stream) before response headers. */
  | { readonly kind: 'reset'; readonly remoteReset: boolean; readonly error: Error }
  /** The upstream sent something that is not valid HTTP. */
  | { readonly kind: 'protocol'; readonly error: Error }
  /** undici refused the request as built (an invalid header value). */
  | { readonly kind: 'invalid'; readonly error: Error };

/** The router request's side of an attempt. */
export interface AttemptOwner {
  attemptHeaders(a: UpstreamAttempt, status: number, rawHeaders: Buffer[], resume: () => void): boolean;
  attemptData(a: UpstreamAttempt, chunk: Buffer): boolean;
  attemptComplete(a: UpstreamAttempt, rawTrailers: Buffer[] | string[] | null): void;
  attemptFailed(a: UpstreamAttempt, failure: AttemptFailure, afterHeaders: boolean): void;
  attemptUpgraded(a: UpstreamAttempt, status: number, rawHeaders: Buffer[] | string[] | null, socket: Duplex): void;
  attemptBodySent(bytes: number): void;
}

const SOCKET_ERRORS = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR']);

export class UpstreamAttempt implements Dispatcher.DispatchHandler {
  // Dispatch options (read by undici's Request constructor).
  readonly method: Dispatcher.HttpMethod;
  readonly path: string;
  readonly headers: string[];
  /** A replayed (retried) request carries its buffered body. */
  readonly body: Readable | Buffer | null;
  readonly upgrade: string | null;
  readonly idempotent: boolean;
  // State.
  readonly owner: AttemptOwner;
  readonly host: UpstreamHost;
  /** Monotonic time the attempt was dispatched. */
  readonly startMono: number;
  connected = false;
  headersReceived = false;
  /** The pool it was queued in, waiting for a connection (max_connections reached); left on abandon. */
  queuedIn: ConnectionPool | undefined = undefined;
  status = 0;
  #abort: ((reason: Error) => void) | undefined = undefined;
  #abandoned: Error | undefined = undefined;
  #finished = false;

  constructor(
    owner: AttemptOwner,
    host: UpstreamHost,
    method: string,
    path: string,
    headers: string[],
    body: Readable | Buffer | null,
    upgrade: string | null,
    startMono: number,
  ) {
    this.owner = owner;
    this.host = host;
    this.method = method as Dispatcher.HttpMethod;
    this.path = path;
    this.headers = headers;
    this.body = body;
    this.upgrade = upgrade;
    this.idempotent = method === 'GET' || method === 'HEAD';
    this.startMono = startMono;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Stops the attempt (timeout, downstream gone, retry elsewhere); no event reaches the owner after. */
  abandon(reason: Error): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#abandoned = reason;
    this.queuedIn?.cancel(this);
    this.#abort?.(reason);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort as (reason: Error) => void;
    this.connected = true;
    if (this.#abandoned !== undefined) abort(this.#abandoned);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (this.#finished) return false;
    this.headersReceived = true;
    this.status = statusCode;
    return this.owner.attemptHeaders(this, statusCode, rawHeaders, resume);
  }

  onData(chunk: Buffer): boolean {
    if (this.#finished) return false;
    return this.owner.attemptData(this, chunk);
  }

  onComplete(trailers: string[] | null): void {
    if (this.#finished) return;
    this.#finished = true;
    this.owner.attemptComplete(this, trailers);
  }

  /** undici passes the chunk written (its typings say a size; both are handled). */
  onBodySent(chunk: Buffer | string | number): void {
    this.owner.attemptBodySent(typeof chunk === 'number' ? chunk : typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
  }

  onUpgrade(statusCode: number, rawHeaders: Buffer[] | string[] | null, socket: Duplex): void {
    if (this.#finished) {
      socket.destroy();
      return;
    }
    this.#finished = true;
    this.headersReceived = true;
    this.status = statusCode;
    this.owner.attemptUpgraded(this, statusCode, rawHeaders, socket);
  }

  onError(err: Error): void {
    if (this.#finished) return;
    this.#finished = true;
    this.owner.attemptFailed(this, classify(err, this.connected), this.headersReceived);
  }
}

function classify(err: Error, connected: boolean): AttemptFailure {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') return { kind: 'invalid', error: err };
  if (code.startsWith('HPE_') || code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return { kind: 'protocol', error: err };
  if (!connected) return { kind: 'connect', timedOut: code === 'UND_ERR_CONNECT_TIMEOUT', error: err };
  const remoteReset = code === 'ERR_HTTP2_STREAM_ERROR' || (code === 'UND_ERR_INFO' && /reset|refused/i.test(err.message));
  if (SOCKET_ERRORS.has(code) || remoteReset || code === 'UND_ERR_INFO') return { kind: 'reset', remoteReset, error: err };
  return { kind: 'reset', remoteReset: false, error: err };
}
