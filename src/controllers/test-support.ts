/**
 * Fakes for the controllers' tests (and for other folders' tests that run the controllers): a
 * manual clock, a seeded random source and a scriptable PodRuntime. Nothing here sleeps.
 */
import type { KubeObject } from '../api/object.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { containersOf } from './kube-types.ts';
import { POD_ADDRESS_ANNOTATION } from './pod-runtime.ts';
import type { PodClassification, PodRuntime, SkippedContainer } from './pod-runtime.ts';
import type { RandomSource } from './random.ts';

interface FakeTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** A clock that moves only when told to; due timers fire in time order during `advance`. */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: FakeTimer[] = [];

  constructor(start = Date.parse('2026-01-02T03:04:05Z')) {
    this.#now = start;
  }

  now(): Date {
    return new Date(this.#now);
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const t: FakeTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(t);
    return { cancel: () => void (t.cancelled = true) };
  }

  /** Timers not yet fired nor cancelled. */
  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, firing each timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#now = Math.max(this.#now, due.at);
      due.cancelled = true;
      due.fn();
    }
    this.#now = end;
  }
}

/** mulberry32: small, fast and the same sequence for the same seed. */
export class SeededRandom implements RandomSource {
  #state: number;

  constructor(seed = 1) {
    this.#state = seed >>> 0;
  }

  intBelow(n: number): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(u * n);
  }
}

/** An image's repository name: registry, tag and digest dropped (`docker.io/istio/x:1` → `istio/x`). */
export function imageRepository(image: string): string {
  let s = image.split('@')[0];
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  return parts.join('/');
}

export interface FakePodRuntimeOptions {
  /** Repositories that run as apps. */
  readonly apps?: readonly string[];
  /** Repositories that are client-only. */
  readonly clients?: readonly string[];
}

/**
 * Runs nothing, records everything: `started` holds the Pods it was asked to start (by uid, with
 * their IP). `failStarts` makes the next starts reject; `holdStarts` makes starts wait for
 * `releaseStarts()`. `watch` tells a waiter about every call (see `waitFor`).
 */
export class FakePodRuntime implements PodRuntime {
  readonly started = new Map<string, { pod: KubeObject; ip: string }>();
  readonly startCalls: string[] = [];
  readonly stopCalls: string[] = [];
  failStarts = 0;
  holdStarts = false;
  readonly #apps: ReadonlySet<string>;
  readonly #clients: ReadonlySet<string>;
  readonly #held = new Map<string, () => void>();
  readonly #watchers = new Set<() => void>();

  constructor(opts: FakePodRuntimeOptions = {}) {
    this.#apps = new Set(opts.apps ?? ['istio/examples-helloworld-v1', 'istio/examples-helloworld-v2', 'nginx']);
    this.#clients = new Set(opts.clients ?? ['curlimages/curl', 'nicolaka/netshoot']);
  }

  classify(pod: KubeObject): PodClassification {
    let apps = 0;
    let clients = 0;
    const skipped: SkippedContainer[] = [];
    for (const c of containersOf(pod)) {
      const repo = imageRepository(c.image ?? '');
      if (this.#apps.has(repo)) apps++;
      else if (this.#clients.has(repo)) clients++;
      else skipped.push({ name: c.name, image: c.image ?? '', message: `image ${repo} is not one weft runs` });
    }
    if (apps > 0) return { kind: 'app', skipped };
    if (clients > 0) return { kind: 'client-only', skipped };
    const images = containersOf(pod).map((c) => c.image ?? '').join(', ');
    return {
      kind: 'unsupported',
      reason: 'UnsupportedImage',
      message: `weft cannot run ${images}: run the process yourself and annotate the Pod with ${POD_ADDRESS_ANNOTATION}: IP or IP:PORT`,
    };
  }

  async start(pod: KubeObject, ip: string): Promise<void> {
    this.startCalls.push(pod.metadata.name);
    if (this.holdStarts) {
      const held = new Promise<void>((resolve) => this.#held.set(pod.metadata.name, resolve));
      this.#notify();
      await held;
    }
    if (this.failStarts > 0) {
      this.failStarts--;
      this.#notify();
      throw new Error(`listen EADDRINUSE: address already in use ${ip}:80`);
    }
    this.started.set(pod.metadata.uid as string, { pod, ip });
    this.#notify();
  }

  async stop(pod: KubeObject): Promise<void> {
    this.stopCalls.push(pod.metadata.name);
    this.started.delete(pod.metadata.uid as string);
    this.#notify();
  }

  /** Names of the Pods whose start is being held. */
  get heldStarts(): string[] {
    return [...this.#held.keys()];
  }

  /** Lets the held starts of these Pods (all when omitted) continue; stops holding when all. */
  releaseStarts(names?: readonly string[]): void {
    if (names === undefined) this.holdStarts = false;
    for (const [name, resolve] of [...this.#held]) {
      if (names !== undefined && !names.includes(name)) continue;
      this.#held.delete(name);
      resolve();
    }
  }

  watch(fn: () => void): () => void {
    this.#watchers.add(fn);
    return () => this.#watchers.delete(fn);
  }

  #notify(): void {
    for (const w of [...this.#watchers]) w();
  }
}

/** Anything that calls back on change: the Store, FakePodRuntime. */
export interface Watchable {
  watch(fn: () => void): () => void;
}

/**
 * Resolves with the milliseconds it took once `predicate` holds, checking now and after every
 * event of the sources (never polling); rejects after `timeoutMs` naming `what`, with the last value seen.
 */
export function waitForStore<T>(
  source: Watchable | readonly Watchable[],
  predicate: () => T | undefined | false,
  what: string,
  timeoutMs = 2000,
): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let unsubscribe: () => void = () => {};
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const check = () => {
      if (settled) return;
      let value: T | undefined | false;
      try {
        value = predicate();
      } catch (e) {
        settled = true;
        unsubscribe();
        clearTimeout(timer);
        reject(e);
        return;
      }
      if (value === undefined || value === false) return;
      settled = true;
      unsubscribe();
      clearTimeout(timer);
      resolve({ value, elapsedMs: performance.now() - started });
    };
    const unsubscribes = (Array.isArray(source) ? source : [source as Watchable]).map((w) => w.watch(check));
    unsubscribe = () => unsubscribes.forEach((u) => u());
    timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    check();
  });
}
