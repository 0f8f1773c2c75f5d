import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClusterStats } from './cluster-stats.ts';
import { createHttpConnManagerStats } from './http-conn-manager-stats.ts';
import { renderPrometheus } from './render-prometheus.ts';
import { renderStatsJson, renderStatsText } from './render-stats.ts';
import { StatStore } from './stat-store.ts';
import { parseStatsParams, type StatsParams } from './stats-params.ts';
import { TagProducer } from './tag-extraction.ts';

function params(q = ''): StatsParams {
  const r = parseStatsParams(new URLSearchParams(q));
  assert.ok(r.ok);
  return r.value;
}

function sampleStore(): StatStore {
  const store = new StatStore();
  const b = store.scope('cluster.backend');
  b.counter('upstream_rq_total').add(5);
  b.counter('upstream_rq_200').add(4);
  b.counter('upstream_rq_503').add(1);
  b.counter('upstream_rq_2xx').add(4);
  b.counter('upstream_rq_5xx').add(1);
  b.gauge('upstream_cx_active').set(1);
  const t = b.histogram('upstream_rq_time', 'milliseconds');
  t.record(3);
  t.record(7);
  store.scope('http.ingress_http').counter('downstream_rq_2xx').add(4);
  store.scope('listener.0.0.0.0_10000').counter('downstream_cx_total').add(2);
  store.scope('server').gauge('live').set(1);
  return store;
}

const bucketLines = (tags: string, counts: number[]): string =>
  ['0.5', '1', '5', '10', '25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', '30000', '60000', '300000', '600000', '1800000', '3600000']
    .map((le, i) => `envoy_cluster_upstream_rq_time_bucket{${tags}le="${le}"} ${counts[i] ?? counts[counts.length - 1]}\n`)
    .join('');

test('Prometheus output in Envoy form (golden)', () => {
  const want =
    '# TYPE envoy_cluster_upstream_rq counter\n' +
    'envoy_cluster_upstream_rq{envoy_response_code="200",envoy_cluster_name="backend"} 4\n' +
    'envoy_cluster_upstream_rq{envoy_response_code="503",envoy_cluster_name="backend"} 1\n' +
    '# TYPE envoy_cluster_upstream_rq_total counter\n' +
    'envoy_cluster_upstream_rq_total{envoy_cluster_name="backend"} 5\n' +
    '# TYPE envoy_cluster_upstream_rq_xx counter\n' +
    'envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",envoy_cluster_name="backend"} 4\n' +
    'envoy_cluster_upstream_rq_xx{envoy_response_code_class="5",envoy_cluster_name="backend"} 1\n' +
    '# TYPE envoy_http_downstream_rq_xx counter\n' +
    'envoy_http_downstream_rq_xx{envoy_response_code_class="2",envoy_http_conn_manager_prefix="ingress_http"} 4\n' +
    '# TYPE envoy_listener_downstream_cx_total counter\n' +
    'envoy_listener_downstream_cx_total{envoy_listener_address="0.0.0.0_10000"} 2\n' +
    '# TYPE envoy_cluster_upstream_cx_active gauge\n' +
    'envoy_cluster_upstream_cx_active{envoy_cluster_name="backend"} 1\n' +
    '# TYPE envoy_server_live gauge\n' +
    'envoy_server_live{} 1\n' +
    '# TYPE envoy_cluster_upstream_rq_time histogram\n' +
    bucketLines('envoy_cluster_name="backend",', [0, 0, 1, 2]) +
    'envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="backend",le="+Inf"} 2\n' +
    'envoy_cluster_upstream_rq_time_sum{envoy_cluster_name="backend"} 10\n' +
    'envoy_cluster_upstream_rq_time_count{envoy_cluster_name="backend"} 2\n';
  assert.equal(renderPrometheus(sampleStore(), params()), want);
});

test('Prometheus: untagged histogram, escaping, groups sorted token-wise, usedonly and filter', () => {
  const store = new StatStore();
  store.scope('server').histogram('initialization_time_ms', 'milliseconds').record(0.1);
  store.scope('cluster.a-b').counter('upstream_rq_total').inc();
  store.scope('cluster.a').counter('upstream_rq_total');
  store.scope('cluster.we"ird\\').counter('upstream_rq_total');
  const out = renderPrometheus(store, params());
  assert.ok(out.includes('envoy_server_initialization_time_ms_bucket{le="0.5"} 1\n'));
  assert.ok(out.includes('envoy_server_initialization_time_ms_sum{} 0.10000000000000000555111512312578\n'));
  assert.ok(out.includes('envoy_cluster_upstream_rq_total{envoy_cluster_name="we\\"ird\\\\"} 0\n'));
  // Token-wise order puts `a` before `a-b` (plain string order would not).
  assert.ok(out.indexOf('envoy_cluster_name="a"') < out.indexOf('envoy_cluster_name="a-b"'));
  const used = renderPrometheus(store, params('usedonly'));
  assert.ok(used.includes('envoy_cluster_name="a-b"'));
  assert.ok(!used.includes('envoy_cluster_name="a"}'));
  const filtered = renderPrometheus(store, params('filter=initialization'));
  assert.equal(filtered.split('\n')[0], '# TYPE envoy_server_initialization_time_ms histogram');
  assert.ok(!filtered.includes('upstream_rq_total'));
});

test('Prometheus without default tags gives the flattened names', () => {
  const tp = TagProducer.create({ useAllDefaultTags: false });
  assert.ok(tp.ok);
  const store = new StatStore({ tagProducer: tp.value });
  createClusterStats(store, 'default/helloworld-v1').upstreamRqTotal.add(90);
  assert.ok(
    renderPrometheus(store, params()).includes('envoy_cluster_default_helloworld_v1_upstream_rq_total{} 90\n'),
  );
});

test('/stats text: counters and gauges merged and sorted, then histograms', () => {
  const store = sampleStore();
  store.scope('cluster.backend').histogram('upstream_cx_length_ms', 'milliseconds');
  const got = renderStatsText(store, params());
  assert.equal(
    got,
    'cluster.backend.upstream_cx_active: 1\n' +
      'cluster.backend.upstream_rq_200: 4\n' +
      'cluster.backend.upstream_rq_2xx: 4\n' +
      'cluster.backend.upstream_rq_503: 1\n' +
      'cluster.backend.upstream_rq_5xx: 1\n' +
      'cluster.backend.upstream_rq_total: 5\n' +
      'http.ingress_http.downstream_rq_2xx: 4\n' +
      'listener.0.0.0.0_10000.downstream_cx_total: 2\n' +
      'server.live: 1\n' +
      'cluster.backend.upstream_cx_length_ms: No recorded values\n' +
      'cluster.backend.upstream_rq_time: P0(nan,3) P25(nan,3.05) P50(nan,3.1) P75(nan,7.05) P90(nan,7.08) P95(nan,7.09) P99(nan,7.098) P99.5(nan,7.099) P99.9(nan,7.0998) P100(nan,7.1)\n',
  );
});

test('/stats text: single sample quantiles match Envoy exactly', () => {
  const store = new StatStore();
  store.scope('cluster.c').histogram('upstream_rq_time', 'milliseconds').record(100);
  store.flushHistogramIntervals();
  assert.equal(
    renderStatsText(store, params()),
    'cluster.c.upstream_rq_time: P0(100,100) P25(102.5,102.5) P50(105,105) P75(107.5,107.5) P90(109,109) P95(109.5,109.5) P99(109.9,109.9) P99.5(109.95,109.95) P99.9(109.99,109.99) P100(110,110)\n',
  );
  assert.equal(
    renderStatsText(store, params('histogram_buckets=cumulative')),
    'cluster.c.upstream_rq_time: B0.5(0,0) B1(0,0) B5(0,0) B10(0,0) B25(0,0) B50(0,0) B100(1,1) B250(1,1) B500(1,1) B1000(1,1) B2500(1,1) B5000(1,1) B10000(1,1) B30000(1,1) B60000(1,1) B300000(1,1) B600000(1,1) B1.8e+06(1,1) B3.6e+06(1,1)\n',
  );
});

test('/stats filter, usedonly and type', () => {
  const store = sampleStore();
  store.scope('cluster.backend').counter('upstream_cx_overflow');
  assert.equal(renderStatsText(store, params('filter=upstream_rq_2')), 'cluster.backend.upstream_rq_200: 4\ncluster.backend.upstream_rq_2xx: 4\n');
  assert.ok(!renderStatsText(store, params('usedonly')).includes('upstream_cx_overflow'));
  assert.ok(renderStatsText(store, params()).includes('upstream_cx_overflow: 0'));
  assert.equal(renderStatsText(store, params('type=Gauges')), 'cluster.backend.upstream_cx_active: 1\nserver.live: 1\n');
  const bad = parseStatsParams(new URLSearchParams('filter=(unclosed'));
  assert.equal(bad.ok, false);
  assert.equal(parseStatsParams(new URLSearchParams('type=Bogus')).ok, false);
});

test('/stats?format=json shape', () => {
  const store = new StatStore();
  createHttpConnManagerStats(store, 'h').downstreamRqTotal.add(2);
  const only = renderStatsJson(store, params('filter=downstream_rq_total'));
  assert.deepEqual(JSON.parse(only), { stats: [{ name: 'http.h.downstream_rq_total', value: 2 }] });
  store.scope('cluster.c').histogram('upstream_rq_time', 'milliseconds').record(1);
  const j = JSON.parse(renderStatsJson(store, params('filter=upstream_rq_time'))) as {
    stats: { histograms: { supported_quantiles: number[]; computed_quantiles: { name: string; values: unknown[] }[] } }[];
  };
  const h = j.stats[0].histograms;
  assert.deepEqual(h.supported_quantiles, [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100]);
  assert.equal(h.computed_quantiles[0].name, 'cluster.c.upstream_rq_time');
  assert.deepEqual(h.computed_quantiles[0].values[0], { interval: null, cumulative: 1 });
  assert.equal(h.computed_quantiles[0].values.length, 10);
});
