/**
 * `/stats` (text, `?format=json`, `?format=prometheus`, `?filter=`, `?usedonly`, `?type=`) and
 * `/stats/prometheus`, as Envoy's admin answers them.
 */
import { assertNever } from '../../lib/assert-never.ts';
import { renderPrometheus } from '../stats/render-prometheus.ts';
import { renderStatsJson, renderStatsText } from '../stats/render-stats.ts';
import type { StatStore } from '../stats/stat-store.ts';
import { parseStatsParams } from '../stats/stats-params.ts';
import { type AdminResponse, APPLICATION_JSON, TEXT_PLAIN, textResponse } from './admin-response.ts';

export function renderStatsEndpoint(store: StatStore, query: URLSearchParams): AdminResponse {
  const p = parseStatsParams(query);
  if (!p.ok) return textResponse(`${p.error}\n`, 400);
  switch (p.value.format) {
    case 'json':
      return { status: 200, contentType: APPLICATION_JSON, body: renderStatsJson(store, p.value) };
    case 'prometheus':
      return { status: 200, contentType: TEXT_PLAIN, body: renderPrometheus(store, p.value) };
    case 'text':
    case 'html':
      return { status: 200, contentType: TEXT_PLAIN, body: renderStatsText(store, p.value) };
    default:
      return assertNever(p.value.format, 'stats format');
  }
}

export function renderPrometheusEndpoint(store: StatStore, query: URLSearchParams): AdminResponse {
  const p = parseStatsParams(query);
  if (!p.ok) return textResponse(`${p.error}\n`, 400);
  return { status: 200, contentType: TEXT_PLAIN, body: renderPrometheus(store, p.value) };
}
