/**
 * Typed stat sets, Envoy's `ALL_X_STATS(COUNTER, GAUGE, HISTOGRAM)` lists in TypeScript: a
 * component declares its stats once as a constant object, and `createStatSet(scope, spec)` gives
 * an object whose fields are the live Counter/Gauge/Histogram, typed from the spec.
 *
 *     export const ALL_FOO_STATS = { rqTotal: counter('rq_total'), cxActive: gauge('cx_active') };
 *     const stats = createStatSet(scope, ALL_FOO_STATS);
 *     stats.rqTotal.inc();
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { Counter, Gauge, Histogram, HistogramUnit } from './metric.ts';
import type { StatScope } from './stat-store.ts';

export interface CounterSpec<N extends string = string> {
  readonly kind: 'counter';
  readonly name: N;
}

export interface GaugeSpec<N extends string = string> {
  readonly kind: 'gauge';
  readonly name: N;
}

export interface HistogramSpec<N extends string = string> {
  readonly kind: 'histogram';
  readonly name: N;
  readonly unit: HistogramUnit;
}

export type StatSpec = CounterSpec | GaugeSpec | HistogramSpec;
export type StatSetSpec = Readonly<Record<string, StatSpec>>;

export function counter<N extends string>(name: N): CounterSpec<N> {
  return { kind: 'counter', name };
}

export function gauge<N extends string>(name: N): GaugeSpec<N> {
  return { kind: 'gauge', name };
}

export function histogram<N extends string>(name: N, unit: HistogramUnit): HistogramSpec<N> {
  return { kind: 'histogram', name, unit };
}

type MetricFor<S extends StatSpec> = S extends CounterSpec ? Counter : S extends GaugeSpec ? Gauge : Histogram;

export type StatSet<S extends StatSetSpec> = { readonly [K in keyof S]: MetricFor<S[K]> };

export function createStatSet<S extends StatSetSpec>(scope: StatScope, spec: S): StatSet<S> {
  const out: Record<string, Counter | Gauge | Histogram> = {};
  for (const key of Object.keys(spec)) {
    const s = spec[key];
    switch (s.kind) {
      case 'counter':
        out[key] = scope.counter(s.name);
        break;
      case 'gauge':
        out[key] = scope.gauge(s.name);
        break;
      case 'histogram':
        out[key] = scope.histogram(s.name, s.unit);
        break;
      default:
        assertNever(s, 'stat spec');
    }
  }
  return Object.freeze(out) as StatSet<S>;
}
