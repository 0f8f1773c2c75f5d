/**
 * Listens on an address and a set of ports with one handler, speaking HTTP/1.1, or HTTP/1.1 and h2c
 * (HTTP/2 with prior knowledge) on the same port, as Go's `h2c.NewHandler` does (fortio, echo-basic). A connection's
 * protocol is decided by its first bytes: the HTTP/2 client preface starts with `PRI `, no HTTP/1
 * method does. `close()` stops listening and destroys every open connection.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import type { RunningApp } from '../app.ts';
import { createAppRequest, createAppResponse, type AppHandler, type PeerAddress } from './exchange.ts';

/** `http1+h2c`: both on every port, told apart by the connection's first bytes. */
export type ServeProtocol = 'http1' | 'http1+h2c';

export interface ServeOptions {
  readonly host: string;
  readonly ports: readonly number[];
  readonly handler: AppHandler;
  /** Default `http1`. */
  readonly protocol?: ServeProtocol;
  /** Response header `server`, when the original sends one. */
  readonly serverHeader?: string;
  /** Serve HTTPS (HTTP/1.1 over TLS) with this certificate and key instead of cleartext. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
}

const PREFACE_START = 'PRI ';
/** A connection that sends nothing for this long before its protocol is known is closed. */
const SNIFF_TIMEOUT_MS = 30_000;

function peerOf(socket: net.Socket): PeerAddress {
  return {
    remoteAddress: socket.remoteAddress ?? '',
    remotePort: socket.remotePort ?? 0,
    localAddress: socket.localAddress ?? '',
    localPort: socket.localPort ?? 0,
  };
}

/** A JS stream over `socket` that replays `first`: HTTP/2 sessions cannot read data unshifted onto a socket. */
function replaying(socket: net.Socket, first: Buffer): Duplex {
  const d = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      socket.write(chunk, cb);
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(error, cb) {
      socket.destroy();
      cb(error);
    },
  });
  d.push(first);
  socket.on('data', (c: Buffer) => {
    if (!d.push(c)) socket.pause();
  });
  socket.on('end', () => d.push(null));
  socket.on('error', (e) => d.destroy(e));
  socket.on('close', () => d.destroy());
  return d;
}

class ProtocolServers {
  readonly #h1: http.Server;
  readonly #h2: http2.Http2Server;
  readonly #sessionPeers = new WeakMap<http2.Http2Session, PeerAddress>();
  #pendingPeer: PeerAddress | undefined;

  constructor(handler: AppHandler, serverHeader: string | undefined) {
    const run = (peer: PeerAddress, req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse): void => {
      if (serverHeader) res.setHeader('server', serverHeader);
      const appRes = createAppResponse(res);
      Promise.resolve()
        .then(() => handler(createAppRequest(req, peer), appRes))
        .catch((e: unknown) => appRes.send(500, { 'content-type': 'text/plain' }, `internal error: ${(e as Error).message}\n`));
    };
    this.#h1 = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => run(peerOf(req.socket), req, res));
    this.#h2 = http2.createServer({}, (req, res) => run(this.#sessionPeers.get(req.stream.session!) ?? peerOf(req.socket), req, res));
    this.#h2.on('session', (session) => {
      if (this.#pendingPeer) this.#sessionPeers.set(session, this.#pendingPeer);
    });
  }

  accept(socket: net.Socket, protocol: ServeProtocol): void {
    if (protocol === 'http1') {
      this.#h1.emit('connection', socket);
      return;
    }
    let seen = Buffer.alloc(0);
    socket.setTimeout(SNIFF_TIMEOUT_MS, () => socket.destroy());
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      const head = seen.toString('latin1', 0, Math.min(seen.length, PREFACE_START.length));
      if (head.length < PREFACE_START.length && PREFACE_START.startsWith(head)) return; // need more bytes
      socket.off('data', onData);
      socket.setTimeout(0);
      socket.pause();
      if (head === PREFACE_START) {
        this.#pendingPeer = peerOf(socket);
        this.#h2.emit('connection', replaying(socket, seen));
        this.#pendingPeer = undefined;
      } else {
        socket.unshift(seen);
        this.#h1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
  }
}

export async function serve(options: ServeOptions): Promise<RunningApp> {
  const servers = new ProtocolServers(options.handler, options.serverHeader);
  const sockets = new Set<net.Socket>();
  const listeners: net.Server[] = [];
  const close = async (): Promise<void> => {
    const closed = listeners.splice(0).map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
    for (const s of sockets) s.destroy();
    sockets.clear();
    await Promise.all(closed);
  };
  const bound: number[] = [];
  try {
    for (const port of options.ports) {
      const protocol = options.protocol ?? 'http1';
      const onSocket = (socket: net.Socket): void => {
        socket.on('error', () => socket.destroy());
        servers.accept(socket, protocol);
      };
      const listener = options.tls
        ? tls.createServer({ cert: options.tls.cert, key: options.tls.key, ALPNProtocols: ['http/1.1'] }, onSocket)
        : net.createServer(onSocket);
      // Track every TCP connection (for TLS, also those still in their handshake) so close() ends them all.
      listener.on('connection', (raw: net.Socket) => {
        sockets.add(raw);
        raw.on('close', () => sockets.delete(raw));
      });
      listener.on('tlsClientError', () => {});
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen({ host: options.host, port }, () => {
          listener.off('error', reject);
          resolve();
        });
      });
      listeners.push(listener);
      bound.push((listener.address() as net.AddressInfo).port);
    }
  } catch (e) {
    await close();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    ports: bound,
    close: () => (closing ??= close()),
  };
}

/** `serve`, plus resources the app owns (an outbound client) that close after the listeners. */
export async function serveOwning(options: ServeOptions, owned: { close(): Promise<void> }): Promise<RunningApp> {
  let app: RunningApp;
  try {
    app = await serve(options);
  } catch (e) {
    await owned.close();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return { ports: app.ports, close: () => (closing ??= app.close().then(() => owned.close())) };
}
