/**
 * What a controller is to the ControllerManager: the store events it follows (each mapped to the
 * keys to reconcile), and an idempotent reconcile of one key that reads the store as it is now
 * (level-triggered: it never trusts the event that woke it).
 */
import type { Store, WatchEvent } from '../store/index.ts';

export interface Trigger {
  /** Watched kind; undefined group and kind = every object. */
  readonly group?: string;
  readonly kind?: string;
  /** The keys to reconcile because of this event (may be none). */
  keysFor(ev: WatchEvent): readonly string[];
}

export interface ReconcileResult {
  /** Reconcile this key again after this long, even if nothing changes (deadlines, min-ready). */
  readonly requeueAfterMs?: number;
}

export interface Controller {
  /** Short and stable: `deployment`, `pod`, `endpoints`, `garbage-collector`. */
  readonly name: string;
  /** Keys reconciled at once (each key is only ever reconciled by one worker at a time). */
  readonly workers: number;
  readonly triggers: readonly Trigger[];
  /**
   * Called once before the triggers subscribe (so before any reconcile), to rebuild in-memory
   * state from the store, as an informer's initial list does.
   */
  prepare?(store: Store): void;
  /** Brings the world in line with the store for this key; throws to be retried with backoff. */
  reconcile(key: string): Promise<ReconcileResult | void>;
  /** Called once when the manager stops, after the last reconcile finished. */
  shutdown?(): Promise<void>;
}
