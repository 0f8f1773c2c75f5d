/**
 * The query parameters of Envoy's `/stats` and `/stats/prometheus`: `usedonly`, `filter` (an RE2
 * regex searched in the full stat name), `type`, `histogram_buckets`, `format`.
 */
import { RE2JS } from 're2js';
import { err, ok, type Result } from '../../lib/result.ts';
import type { Metric } from './metric.ts';

export type StatsTypeFilter = 'All' | 'Counters' | 'Gauges' | 'Histograms' | 'TextReadouts';
export type HistogramBucketsMode = 'unset' | 'summary' | 'cumulative' | 'disjoint' | 'detailed';
export type StatsFormat = 'text' | 'json' | 'prometheus' | 'html';

export interface StatsParams {
  readonly usedOnly: boolean;
  readonly filter: RE2JS | undefined;
  readonly type: StatsTypeFilter;
  readonly histogramBuckets: HistogramBucketsMode;
  readonly format: StatsFormat;
}

const TYPES: readonly StatsTypeFilter[] = ['All', 'Counters', 'Gauges', 'Histograms', 'TextReadouts'];
const BUCKET_MODES: readonly HistogramBucketsMode[] = ['summary', 'cumulative', 'disjoint', 'detailed'];
const FORMATS: readonly StatsFormat[] = ['text', 'json', 'prometheus', 'html'];

/** Parses the query; an invalid value is an error message for a 400 answer. */
export function parseStatsParams(query: URLSearchParams): Result<StatsParams, string> {
  let filter: RE2JS | undefined;
  const f = query.get('filter');
  if (f !== null && f !== '') {
    try {
      filter = RE2JS.compile(f);
    } catch (e) {
      return err(`Invalid re2 regex: ${(e as Error).message}`);
    }
  }
  const type = query.get('type') ?? 'All';
  if (!(TYPES as readonly string[]).includes(type)) return err(`invalid &type= param: ${type}`);
  const hb = query.get('histogram_buckets');
  if (hb !== null && !(BUCKET_MODES as readonly string[]).includes(hb)) {
    return err('usage: /stats?histogram_buckets=(cumulative|disjoint|detailed|summary)');
  }
  const format = query.get('format') ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) return err(`usage: /stats?format=(html|json|prometheus|text)`);
  return ok({
    usedOnly: query.has('usedonly'),
    filter,
    type: type as StatsTypeFilter,
    histogramBuckets: (hb ?? 'unset') as HistogramBucketsMode,
    format: format as StatsFormat,
  });
}

/** Whether a metric passes `usedonly` and `filter`. */
export function shouldShowMetric(m: Metric, p: StatsParams): boolean {
  if (p.usedOnly && !m.used) return false;
  return p.filter === undefined || p.filter.test(m.name);
}

/** Whether the `type` param admits this kind. */
export function typeAdmits(p: StatsParams, kind: Metric['kind']): boolean {
  switch (p.type) {
    case 'All':
      return true;
    case 'Counters':
      return kind === 'counter';
    case 'Gauges':
      return kind === 'gauge';
    case 'Histograms':
      return kind === 'histogram';
    case 'TextReadouts':
      return false;
  }
}
