/**
 * The change feed: a bounded history of recent events (for replay from a resourceVersion, as the
 * API server's watch cache does) and the subscribers, each with its filter.
 *
 * Label-selector watches see objects enter and leave the selection, as from the API server's
 * cacher: a MODIFIED whose labels start matching arrives as ADDED, one whose labels stop matching
 * as DELETED (carrying the new object), one that matches neither before nor after not at all.
 */
import { splitApiVersion } from '../api/object.ts';
import type { KubeObject } from '../api/object.ts';
import { matchesLabels } from '../lib/label-selector.ts';
import type { LabelSelector } from '../lib/label-selector.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  readonly type: WatchEventType;
  /** Deep-frozen; a DELETED event carries the object as it was, with the delete's resourceVersion. */
  readonly object: KubeObject;
}

/** One committed change, as the store records it. */
export interface RecordedEvent extends WatchEvent {
  readonly resourceVersion: number;
  /** For MODIFIED: the object before the change (to see selector transitions). */
  readonly previous?: KubeObject;
}

export interface WatchFilter {
  readonly group?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly selector?: LabelSelector;
}

/** How many recent events stay replayable. */
export const WATCH_HISTORY_SIZE = 1000;

interface Subscriber {
  readonly fn: (ev: WatchEvent) => void;
  readonly filter: WatchFilter;
  active: boolean;
}

function inScope(obj: KubeObject, f: WatchFilter): boolean {
  if (f.kind !== undefined && obj.kind !== f.kind) return false;
  if (f.group !== undefined && splitApiVersion(obj.apiVersion).group !== f.group) return false;
  if (f.namespace !== undefined && f.namespace !== '' && obj.metadata.namespace !== f.namespace) return false;
  return true;
}

/** What a subscriber with filter `f` sees of `ev`, if anything. */
function project(ev: RecordedEvent, f: WatchFilter): WatchEvent | undefined {
  if (!inScope(ev.object, f)) return undefined;
  if (f.selector === undefined) return { type: ev.type, object: ev.object };
  const now = matchesLabels(f.selector, ev.object.metadata.labels);
  if (ev.type !== 'MODIFIED' || ev.previous === undefined) return now ? { type: ev.type, object: ev.object } : undefined;
  const before = matchesLabels(f.selector, ev.previous.metadata.labels);
  if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: ev.object };
  return before ? { type: 'DELETED', object: ev.object } : undefined;
}

function callSafely(sub: Subscriber, ev: WatchEvent): void {
  if (!sub.active) return;
  try {
    sub.fn(ev);
  } catch (e) {
    // A throwing subscriber is a bug in the caller: surface it as an uncaught exception, but only
    // after every other subscriber has seen the event and the store's state is consistent.
    process.nextTick(() => {
      throw e;
    });
  }
}

export class WatchHub {
  readonly #capacity: number;
  #buf: RecordedEvent[] = [];
  #start = 0;
  /** Every event with a resourceVersion above this one is still in the history. */
  #replayableAfter: number;
  #subs = new Set<Subscriber>();

  constructor(currentResourceVersion: number, capacity = WATCH_HISTORY_SIZE) {
    this.#replayableAfter = currentResourceVersion;
    this.#capacity = capacity;
  }

  /** The oldest resourceVersion a watch can start from. */
  get oldestReplayable(): number {
    return this.#replayableAfter;
  }

  /** Records committed events (in resourceVersion order) and delivers them to every subscriber. */
  publish(events: readonly RecordedEvent[]): void {
    for (const ev of events) this.#buf.push(ev);
    while (this.#buf.length - this.#start > this.#capacity) {
      this.#replayableAfter = this.#buf[this.#start].resourceVersion;
      this.#start++;
    }
    if (this.#start > this.#capacity) {
      this.#buf = this.#buf.slice(this.#start);
      this.#start = 0;
    }
    const subs = [...this.#subs];
    for (const ev of events) {
      for (const sub of subs) {
        const seen = project(ev, sub.filter);
        if (seen) callSafely(sub, seen);
      }
    }
  }

  /**
   * Adds a subscriber. `initial` events (already filtered by the caller or not) are delivered
   * first, then history after `sinceResourceVersion` when given (the caller has checked it is
   * replayable), then live events. Returns the unsubscribe function.
   */
  subscribe(
    fn: (ev: WatchEvent) => void,
    filter: WatchFilter,
    opts: { sinceResourceVersion?: number; initial?: readonly KubeObject[] } = {},
  ): () => void {
    const sub: Subscriber = { fn, filter, active: true };
    for (const object of opts.initial ?? []) {
      const seen = project({ type: 'ADDED', object, resourceVersion: 0 }, filter);
      if (seen) callSafely(sub, seen);
    }
    if (opts.sinceResourceVersion !== undefined) {
      for (let i = this.#start; i < this.#buf.length; i++) {
        const ev = this.#buf[i];
        if (ev.resourceVersion <= opts.sinceResourceVersion) continue;
        const seen = project(ev, filter);
        if (seen) callSafely(sub, seen);
      }
    }
    this.#subs.add(sub);
    return () => {
      sub.active = false;
      this.#subs.delete(sub);
    };
  }

  /** Drops every subscriber (the store is closing). */
  close(): void {
    for (const sub of this.#subs) sub.active = false;
    this.#subs.clear();
  }
}
