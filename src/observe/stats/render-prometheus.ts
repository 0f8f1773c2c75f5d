/**
 * Envoy's `/stats/prometheus` (source/server/admin/prometheus_stats.cc), rendered from the typed
 * store rather than through prom-client: Envoy's metric names come from tag extraction over
 * dotted stat names, which prom-client's fixed-label metrics cannot express.
 *
 * Per kind (counters, gauges, histograms) metrics are grouped by tag-extracted name, groups
 * sorted by name token-wise (Envoy's StatName order), one `# TYPE` line per group, members
 * sorted by full stat name; `envoy_` + the name with every [^a-zA-Z0-9_] made `_`; tags as
 * `name="value"` in extraction order, `{}` when there are none; histograms as cumulative
 * `_bucket{le=…}` lines (bounds and sum printed with `%.32g`), `_sum` and `_count`.
 */
import type { Counter, Gauge, Histogram, Metric } from './metric.ts';
import { formatG32 } from './number-format.ts';
import type { StatStore } from './stat-store.ts';
import { type StatsParams, shouldShowMetric } from './stats-params.ts';
import type { Tag } from './tag-extraction.ts';

const NOT_PROM = /[^a-zA-Z0-9_]/g;

export function sanitizePrometheusName(name: string): string {
  return name.replace(NOT_PROM, '_');
}

/** Escapes `\`, newline and `"` in a label value (as Prometheus' own text writer does). */
export function sanitizePrometheusValue(value: string): string {
  return value.replace(/[\\\n"]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\"'));
}

export function prometheusMetricName(extractedName: string): string {
  return sanitizePrometheusName(`envoy_${extractedName}`);
}

export function formatPrometheusTags(tags: readonly Tag[]): string {
  return tags.map((t) => `${sanitizePrometheusName(t.name)}="${sanitizePrometheusValue(t.value)}"`).join(',');
}

/** Envoy's StatName order: compare dot-separated tokens, shorter first on a tie. */
export function compareStatNames(a: string, b: string): number {
  if (a === b) return 0;
  const ta = a.split('.');
  const tb = b.split('.');
  const n = Math.min(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    if (ta[i] !== tb[i]) return ta[i] < tb[i] ? -1 : 1;
  }
  return ta.length - tb.length;
}

function outputKind<M extends Metric>(
  store: StatStore,
  metrics: readonly M[],
  p: StatsParams,
  type: string,
  line: (m: M, name: string, tags: string) => string,
): string {
  const groups = new Map<string, M[]>();
  for (const m of metrics) {
    if (!shouldShowMetric(m, p)) continue;
    const key = store.tagsOf(m).extractedName;
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  let out = '';
  for (const key of [...groups.keys()].sort(compareStatNames)) {
    const name = prometheusMetricName(key);
    out += `# TYPE ${name} ${type}\n`;
    const members = (groups.get(key) ?? []).sort((a, b) => compareStatNames(a.name, b.name));
    for (const m of members) out += line(m, name, formatPrometheusTags(store.tagsOf(m).tags));
  }
  return out;
}

function numericLine(m: Counter | Gauge, name: string, tags: string): string {
  return `${name}{${tags}} ${m.value}\n`;
}

function histogramLines(h: Histogram, name: string, tags: string): string {
  const s = h.statistics();
  const histTags = tags === '' ? '' : `${tags},`;
  let out = '';
  for (let i = 0; i < s.supportedBuckets.length; i++) {
    out += `${name}_bucket{${histTags}le="${formatG32(s.supportedBuckets[i])}"} ${s.cumulativeBuckets[i]}\n`;
  }
  out += `${name}_bucket{${histTags}le="+Inf"} ${s.sampleCount}\n`;
  out += `${name}_sum{${tags}} ${formatG32(s.sampleSum)}\n`;
  out += `${name}_count{${tags}} ${s.sampleCount}\n`;
  return out;
}

/** The Prometheus exposition text for the store (`usedonly` and `filter` honoured). */
export function renderPrometheus(store: StatStore, p: StatsParams): string {
  return (
    outputKind(store, store.counters(), p, 'counter', numericLine) +
    outputKind(store, store.gauges(), p, 'gauge', numericLine) +
    outputKind(store, store.histograms(), p, 'histogram', histogramLines)
  );
}
