/**
 * The HTTP filter contract (Envoy's StreamDecoderFilter / StreamEncoderFilter, with the factory →
 * shared config → per-stream instance split). A filter factory turns the model's typed config into
 * one `HttpFilter` per HCM when a snapshot is compiled. Per request the connection manager calls
 * the filters' `decodeHeaders` in order and `encodeHeaders` in reverse order; a filter that keeps
 * no per-stream state is just that shared object (nothing allocated per request), and one that
 * needs state keeps it in its slot of `stream.filterState`.
 *
 * Returning STOP pauses the chain (e.g. while an asynchronous check runs); the filter later calls
 * `stream.continueDecoding()`, or answers with `stream.sendLocalReply(...)`. The router is the
 * terminal filter: its decodeHeaders starts the upstream request and always returns STOP.
 */
import type { Diagnostic } from '../../lib/diagnostic.ts';
import type { Result } from '../../lib/result.ts';
import type { HttpFilter as HttpFilterModel } from '../../model/index.ts';
import type { StatStore } from '../../observe/stats/index.ts';
import type { Clock } from '../../observe/clock.ts';
import type { HttpStream } from './http-stream.ts';
import type { HeaderList } from './header-list.ts';
import type { Random } from '../lb/index.ts';

export const FILTER_CONTINUE = 0;
export const FILTER_STOP = 1;
export type FilterStatus = typeof FILTER_CONTINUE | typeof FILTER_STOP;

export interface HttpFilter {
  /** The filter's name in the HCM (per-route configs refer to it). */
  readonly name: string;
  /** Disabled unless a route's typed_per_filter_config enables it. */
  readonly disabledByDefault: boolean;
  decodeHeaders(stream: HttpStream): FilterStatus;
  /** Absent = the filter does not look at responses (the encode loop skips it). */
  encodeHeaders?(stream: HttpStream, headers: HeaderList): FilterStatus;
  /** The stream ended (response sent, or reset); release per-stream state. */
  onStreamComplete?(stream: HttpStream): void;
  /** The snapshot that built this filter is gone: stop timers, release stats. */
  release?(): void;
}

/** What a factory may use when building a filter for one HCM. */
export interface FilterFactoryContext {
  /** The HCM's stat_prefix (filters' stats live under `http.<prefix>.`). */
  readonly statPrefix: string;
  readonly stats: StatStore;
  readonly clock: Clock;
  readonly random: Random;
  /** This filter's index in the chain (its `stream.filterState` slot). */
  readonly index: number;
}

export interface HttpFilterFactory<K extends HttpFilterModel['kind'] = HttpFilterModel['kind']> {
  readonly kind: K;
  create(config: Extract<HttpFilterModel, { kind: K }>, context: FilterFactoryContext): Result<HttpFilter, Diagnostic[]>;
}
