/**
 * One bound address of a listener: a net.Server that accepts connections and runs them through
 * the compiled listener it currently serves. An in-place update (same address, new config) swaps
 * the compiled listener: new connections get the new chains while the old chains drain. Stats live
 * under `listener.<address>_<port>.` with the real bound port.
 */
import net, { type Socket } from 'node:net';
import type { SocketAddress } from '../../model/index.ts';
import type { Clock } from '../../observe/clock.ts';
import { createListenerStats, listenerStatPrefix, type ListenerStats, type StatStore } from '../../observe/stats/index.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { acceptConnection, type CompiledListener } from './compiled-listener.ts';

export interface BoundAddress {
  readonly address: string;
  readonly port: number;
}

export class ListenerSocket {
  readonly configured: SocketAddress;
  readonly bound: BoundAddress;
  readonly stats: ListenerStats;
  readonly #server: net.Server;
  readonly #clock: Clock;
  #listener: CompiledListener;
  #closed = false;

  private constructor(configured: SocketAddress, server: net.Server, listener: CompiledListener, stats: StatStore, clock: Clock) {
    this.configured = configured;
    this.#server = server;
    this.#listener = listener;
    this.#clock = clock;
    const a = server.address() as net.AddressInfo;
    this.bound = { address: a.address, port: a.port };
    this.stats = createListenerStats(stats, listenerStatPrefix(a.address, a.port));
    server.on('connection', (socket: Socket) => this.#onConnection(socket));
  }

  /**
   * Binds `address`; a failure (address in use, not available) is an error value. `shared`: in a
   * node:cluster worker, share the listening socket with the other workers.
   */
  static bind(address: SocketAddress, listener: CompiledListener, stats: StatStore, clock: Clock, shared = false): Promise<Result<ListenerSocket, string>> {
    return new Promise((resolve) => {
      const server = net.createServer({ noDelay: true, pauseOnConnect: false });
      const onError = (e: Error): void => resolve(err(`cannot listen on ${address.address}:${address.portValue}: ${e.message}`));
      server.once('error', onError);
      const ipv6Only = address.address.includes(':') && !address.ipv4Compat;
      server.listen({ host: address.address, port: address.portValue, ipv6Only, exclusive: !shared }, () => {
        server.off('error', onError);
        server.on('error', () => {
          // Accept errors (EMFILE...) are per connection; the server keeps listening.
        });
        resolve(ok(new ListenerSocket(address, server, listener, stats, clock)));
      });
    });
  }

  get listener(): CompiledListener {
    return this.#listener;
  }

  /** Serves `listener` for new connections from now on (in-place update). */
  adopt(listener: CompiledListener): void {
    this.#listener = listener;
  }

  #onConnection(socket: Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    const stats = this.stats;
    stats.downstreamCxTotal.inc();
    stats.downstreamCxActive.inc();
    const opened = this.#clock.monotonicMs();
    socket.once('close', () => {
      stats.downstreamCxActive.dec();
      stats.downstreamCxDestroy.inc();
      stats.downstreamCxLengthMs.record(this.#clock.monotonicMs() - opened);
    });
    socket.on('error', onSocketError);
    void acceptConnection(this.#listener, socket, stats).catch(() => socket.destroy());
  }

  /**
   * Stops accepting; connections already accepted are left to their chains (drain or close).
   * Resolves once the listening socket is closed — not when the server's 'close' event fires,
   * which waits for every accepted connection to end (an idle keep-alive client would hold a
   * shutdown for the whole keep-alive timeout).
   */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#server.close();
    return Promise.resolve();
  }

  /** Releases the stats (after the connections are gone). */
  release(): void {
    this.stats.release();
  }
}

function onSocketError(this: Socket): void {
  // A reset before a chain took the socket: 'close' follows and is counted there.
  this.destroy();
}
