/**
 * The stat store: every stat by its full Envoy name, created through scopes. Names are formatted
 * once, when a component's stat set is built; the hot path holds the Counter/Gauge/Histogram
 * objects and never looks a name up.
 *
 * Lifetime follows Envoy: a stat lives while some scope holds it. A cluster or listener keeps its
 * scope; when the runtime drops it the scope is released and its stats leave /stats (Envoy deletes
 * a removed cluster's scope the same way). A snapshot swap that keeps the cluster acquires the
 * same names before the old runtime releases them, so the values carry on.
 */
import { Counter, DEFAULT_HISTOGRAM_BUCKETS, Gauge, Histogram, type HistogramUnit, type Metric } from './metric.ts';
import { TagProducer, type TaggedName } from './tag-extraction.ts';

export interface StatStoreOptions {
  /** Tag extraction for Prometheus output; Envoy's defaults when absent. */
  readonly tagProducer?: TagProducer;
  /** Histogram bucket bounds; Envoy's defaults when absent. */
  readonly histogramBuckets?: readonly number[];
}

interface Entry {
  readonly metric: Metric;
  /** The prefix of the scope that created it, for StatScope.existingNames(). */
  readonly scopePrefix: string;
  refs: number;
}

/** Envoy's sanitizeStatsName: `:` and NUL cannot appear in a stat name. */
export function sanitizeStatName(name: string): string {
  return name.replace(/[:\0]/g, '_');
}

export class StatStore {
  readonly #entries = new Map<string, Entry>();
  readonly #byScope = new Map<string, Set<string>>();
  readonly #tagged = new WeakMap<Metric, TaggedName>();
  readonly #histogramBuckets: readonly number[];
  readonly tagProducer: TagProducer;
  /** Stats asked for under a name already used by another kind; served detached. */
  #kindConflicts = 0;

  constructor(options: StatStoreOptions = {}) {
    this.tagProducer = options.tagProducer ?? TagProducer.defaults();
    this.#histogramBuckets = options.histogramBuckets ?? DEFAULT_HISTOGRAM_BUCKETS;
  }

  /** A new scope; `prefix` may be '' (root) or end without a dot (`cluster.backend`). */
  scope(prefix: string): StatScope {
    return new StatScope(this, prefix === '' ? '' : `${sanitizeStatName(prefix)}.`);
  }

  get kindConflicts(): number {
    return this.#kindConflicts;
  }

  /** @internal used by StatScope. */
  acquire<M extends Metric>(name: string, kind: M['kind'], make: () => M, scopePrefix: string): M {
    const entry = this.#entries.get(name);
    if (entry !== undefined) {
      if (entry.metric.kind === kind) {
        entry.refs++;
        return entry.metric as M;
      }
      this.#kindConflicts++;
      return make();
    }
    const metric = make();
    this.#entries.set(name, { metric, scopePrefix, refs: 1 });
    let names = this.#byScope.get(scopePrefix);
    if (names === undefined) {
      names = new Set();
      this.#byScope.set(scopePrefix, names);
    }
    names.add(name);
    return metric;
  }

  /** @internal full names currently registered by scopes with this prefix. */
  namesInScope(scopePrefix: string): string[] {
    return [...(this.#byScope.get(scopePrefix) ?? [])];
  }

  /** @internal used by StatScope. */
  releaseMetric(metric: Metric): void {
    const entry = this.#entries.get(metric.name);
    if (entry === undefined || entry.metric !== metric) return;
    if (--entry.refs > 0) return;
    this.#entries.delete(metric.name);
    const names = this.#byScope.get(entry.scopePrefix);
    names?.delete(metric.name);
    if (names?.size === 0) this.#byScope.delete(entry.scopePrefix);
  }

  /** @internal */
  newHistogram(name: string, unit: HistogramUnit): Histogram {
    return new Histogram(name, unit, this.#histogramBuckets);
  }

  /** The metric registered under a full name, if any. */
  get(name: string): Metric | undefined {
    return this.#entries.get(name)?.metric;
  }

  counters(): Counter[] {
    return this.#ofKind('counter');
  }

  gauges(): Gauge[] {
    return this.#ofKind('gauge');
  }

  histograms(): Histogram[] {
    return this.#ofKind('histogram');
  }

  #ofKind<K extends Metric['kind']>(kind: K): Extract<Metric, { kind: K }>[] {
    const out: Extract<Metric, { kind: K }>[] = [];
    for (const { metric } of this.#entries.values()) {
      if (metric.kind === kind) out.push(metric as Extract<Metric, { kind: K }>);
    }
    return out;
  }

  /** Tag-extracted name and tags, computed once per metric. */
  tagsOf(metric: Metric): TaggedName {
    let t = this.#tagged.get(metric);
    if (t === undefined) {
      t = this.tagProducer.produceTags(metric.name);
      this.#tagged.set(metric, t);
    }
    return t;
  }

  /** Closes the histograms' current interval (Envoy's periodic stats flush). */
  flushHistogramIntervals(): void {
    for (const h of this.histograms()) h.flushInterval();
  }

  /** `/reset_counters`. */
  resetCounters(): void {
    for (const c of this.counters()) c.reset();
  }
}

/**
 * A name prefix plus the stats created under it. Releasing the scope releases them (and its
 * child scopes); a released scope still hands out working, unregistered stats.
 */
export class StatScope {
  readonly #store: StatStore;
  readonly #held: Metric[] = [];
  readonly #children: StatScope[] = [];
  #released = false;

  /** @internal use StatStore.scope or StatScope.scope. */
  constructor(
    store: StatStore,
    readonly prefix: string,
  ) {
    this.#store = store;
  }

  counter(name: string): Counter {
    const full = this.prefix + name;
    if (this.#released) return new Counter(full);
    return this.#hold(this.#store.acquire(full, 'counter', () => new Counter(full), this.prefix));
  }

  gauge(name: string): Gauge {
    const full = this.prefix + name;
    if (this.#released) return new Gauge(full);
    return this.#hold(this.#store.acquire(full, 'gauge', () => new Gauge(full), this.prefix));
  }

  histogram(name: string, unit: HistogramUnit = 'unspecified'): Histogram {
    const full = this.prefix + name;
    if (this.#released) return this.#store.newHistogram(full, unit);
    return this.#hold(this.#store.acquire(full, 'histogram', () => this.#store.newHistogram(full, unit), this.prefix));
  }

  /**
   * Names (without this prefix) that some scope with the same prefix already registered. Stats
   * created on first use (`upstream_rq_200`) are taken over through this by the stat set that
   * replaces an old one on a snapshot swap, so their values carry on too.
   */
  existingNames(): string[] {
    return this.#store.namesInScope(this.prefix).map((n) => n.slice(this.prefix.length));
  }

  /** A child scope `<prefix><name>.`, released with this one. */
  scope(name: string): StatScope {
    const child = new StatScope(this.#store, `${this.prefix}${sanitizeStatName(name)}.`);
    if (this.#released) child.release();
    else this.#children.push(child);
    return child;
  }

  get released(): boolean {
    return this.#released;
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const m of this.#held) this.#store.releaseMetric(m);
    this.#held.length = 0;
    for (const c of this.#children) c.release();
    this.#children.length = 0;
  }

  #hold<M extends Metric>(m: M): M {
    this.#held.push(m);
    return m;
  }
}
