/**
 * Envoy's `/stats` text and `/stats?format=json` renderings. Counters and gauges come first,
 * merged and sorted by name (`name: value`), then histograms sorted by name, as quantile
 * summaries `P0(interval,cumulative) P25(...) ...` or `No recorded values`, or as buckets
 * `B0.5(interval,cumulative) ...` when `histogram_buckets` asks.
 */
import { type Counter, type Gauge, type Histogram, type HistogramStatistics, SUPPORTED_QUANTILES } from './metric.ts';
import { formatG, formatShortest } from './number-format.ts';
import type { StatStore } from './stat-store.ts';
import { type StatsParams, shouldShowMetric, typeAdmits } from './stats-params.ts';

const QUANTILE_LABELS: readonly string[] = SUPPORTED_QUANTILES.map((q) => formatG(q * 100));

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

interface Selected {
  readonly numeric: (Counter | Gauge)[];
  readonly histograms: Histogram[];
}

function select(store: StatStore, p: StatsParams): Selected {
  const numeric: (Counter | Gauge)[] = [];
  if (typeAdmits(p, 'counter')) for (const c of store.counters()) if (shouldShowMetric(c, p)) numeric.push(c);
  if (typeAdmits(p, 'gauge')) for (const g of store.gauges()) if (shouldShowMetric(g, p)) numeric.push(g);
  const histograms = typeAdmits(p, 'histogram') ? store.histograms().filter((h) => shouldShowMetric(h, p)) : [];
  return { numeric: numeric.sort(byName), histograms: histograms.sort(byName) };
}

function quantileSummary(s: HistogramStatistics): string {
  const parts: string[] = [];
  for (let i = 0; i < QUANTILE_LABELS.length; i++) {
    parts.push(`P${QUANTILE_LABELS[i]}(${formatShortest(s.intervalQuantiles[i])},${formatShortest(s.cumulativeQuantiles[i])})`);
  }
  return parts.join(' ');
}

function disjoint(cumulative: readonly number[]): number[] {
  return cumulative.map((v, i) => (i === 0 ? v : v - cumulative[i - 1]));
}

function bucketSummary(s: HistogramStatistics, mode: 'cumulative' | 'disjoint'): string {
  const interval = mode === 'cumulative' ? s.intervalBuckets : disjoint(s.intervalBuckets);
  const cumulative = mode === 'cumulative' ? s.cumulativeBuckets : disjoint(s.cumulativeBuckets);
  return s.supportedBuckets.map((b, i) => `B${formatG(b)}(${interval[i]},${cumulative[i]})`).join(' ');
}

/** `/stats` as text. `detailed` bucket mode renders as the summary. */
export function renderStatsText(store: StatStore, p: StatsParams): string {
  const { numeric, histograms } = select(store, p);
  let out = '';
  for (const m of numeric) out += `${m.name}: ${m.value}\n`;
  for (const h of histograms) {
    let body: string;
    if (!h.used) body = 'No recorded values';
    else if (p.histogramBuckets === 'cumulative' || p.histogramBuckets === 'disjoint') {
      body = bucketSummary(h.statistics(), p.histogramBuckets);
    } else body = quantileSummary(h.statistics());
    out += `${h.name}: ${body}\n`;
  }
  return out;
}

function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** `/stats?format=json`: `{"stats":[{"name","value"}..., {"histograms":{...}}]}`. */
export function renderStatsJson(store: StatStore, p: StatsParams): string {
  const { numeric, histograms } = select(store, p);
  const stats: unknown[] = numeric.map((m) => ({ name: m.name, value: m.value }));
  if (histograms.length > 0) {
    if (p.histogramBuckets === 'cumulative' || p.histogramBuckets === 'disjoint') {
      const mode = p.histogramBuckets;
      stats.push({
        histograms: histograms.map((h) => {
          const s = h.statistics();
          const iv = mode === 'cumulative' ? s.intervalBuckets : disjoint(s.intervalBuckets);
          const cu = mode === 'cumulative' ? s.cumulativeBuckets : disjoint(s.cumulativeBuckets);
          return {
            name: h.name,
            buckets: s.supportedBuckets.map((b, i) => ({ upper_bound: b, interval: iv[i], cumulative: cu[i] })),
          };
        }),
      });
    } else {
      stats.push({
        histograms: {
          supported_quantiles: SUPPORTED_QUANTILES.map((q) => Number(formatG(q * 100))),
          computed_quantiles: histograms.map((h) => {
            const s = h.statistics();
            return {
              name: h.name,
              values: s.cumulativeQuantiles.map((c, i) => ({
                interval: jsonNumber(s.intervalQuantiles[i]),
                cumulative: jsonNumber(c),
              })),
            };
          }),
        },
      });
    }
  }
  return `${JSON.stringify({ stats })}\n`;
}
