/**
 * envoy.filters.network.connection_limit: at most `max_connections` active connections on the
 * filter chain. A connection over the limit counts `connection_limit.<stat_prefix>.limited_connections`
 * and is closed, after `delay` when one is set (Envoy stops reading meanwhile, so a client that
 * retries at once is slowed down); an accepted one counts in the `active_connections` gauge until it
 * closes. `runtime_enabled` false turns the filter off.
 */
import type { Socket } from 'node:net';
import type { ConnectionLimit } from '../../../model/index.ts';
import { counter, createStatSet, gauge, type StatScope, type StatSet, type StatStore } from '../../../observe/stats/index.ts';
import type { NetworkReadFilter } from '../../listener/network-filter.ts';

export const ALL_CONNECTION_LIMIT_STATS = {
  limitedConnections: counter('limited_connections'),
  activeConnections: gauge('active_connections'),
} as const;

const kLimit = Symbol('weft.connectionLimit');
type Tagged = Socket & { [kLimit]?: ConnectionLimitFilter };

function onAcceptedClose(this: Tagged): void {
  this[kLimit]?.connectionClosed();
}

function closeDelayed(socket: Socket): void {
  socket.destroy();
}

export class ConnectionLimitFilter implements NetworkReadFilter {
  readonly name: string;
  readonly stats: StatSet<typeof ALL_CONNECTION_LIMIT_STATS>;
  readonly #scope: StatScope;
  readonly #max: number;
  readonly #delayMs: number;
  readonly #enabled: boolean;
  #active = 0;

  constructor(name: string, config: ConnectionLimit, store: StatStore) {
    this.name = name;
    this.#scope = store.scope(`connection_limit.${config.statPrefix}`);
    this.stats = createStatSet(this.#scope, ALL_CONNECTION_LIMIT_STATS);
    this.#max = config.maxConnections;
    this.#delayMs = config.delayMs ?? 0;
    this.#enabled = config.runtimeEnabled !== false;
  }

  get active(): number {
    return this.#active;
  }

  onNewConnection(socket: Socket): boolean {
    if (!this.#enabled) return true;
    if (this.#active >= this.#max) {
      this.stats.limitedConnections.inc();
      if (this.#delayMs > 0) {
        socket.pause();
        const timer = setTimeout(closeDelayed, this.#delayMs, socket);
        socket.once('close', () => clearTimeout(timer));
      } else {
        socket.destroy();
      }
      return false;
    }
    this.#active++;
    this.stats.activeConnections.inc();
    (socket as Tagged)[kLimit] = this;
    socket.once('close', onAcceptedClose);
    return true;
  }

  connectionClosed(): void {
    this.#active--;
    this.stats.activeConnections.dec();
  }

  release(): void {
    this.#scope.release();
  }
}
