/**
 * The contract of a network (L4) read filter that runs before a filter chain's terminal filter
 * (Envoy's Network::ReadFilter::onNewConnection): local_ratelimit, connection_limit. The listener
 * calls `onNewConnection` for each connection the chain accepts, in chain order, before the TLS
 * handshake; a filter that refuses the connection closes it and returns false, and later filters
 * and the terminal never see it. Concrete filters live in dataplane/filters/network and are built
 * by the runtime.
 */
import type { Socket } from 'node:net';

export interface NetworkReadFilter {
  /** The filter's name in the chain. */
  readonly name: string;
  /** A new connection: true to go on, false when the filter has closed it. */
  onNewConnection(socket: Socket): boolean;
  /** The listener that built this filter is gone: release stats, stop timers. */
  release(): void;
}
