import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TagProducer } from './tag-extraction.ts';

// Expected values follow Envoy's default extractors (well_known_names.cc) and the Prometheus
// names Envoy documents (envoy_cluster_upstream_rq{envoy_response_code="200",...}).
const CASES: [string, string, [string, string][]][] = [
  ['cluster.backend.upstream_rq_total', 'cluster.upstream_rq_total', [['envoy.cluster_name', 'backend']]],
  [
    'cluster.backend.upstream_rq_200',
    'cluster.upstream_rq',
    [['envoy.response_code', '200'], ['envoy.cluster_name', 'backend']],
  ],
  [
    'cluster.backend.upstream_rq_5xx',
    'cluster.upstream_rq_xx',
    [['envoy.response_code_class', '5'], ['envoy.cluster_name', 'backend']],
  ],
  [
    'http.ingress_http.downstream_rq_2xx',
    'http.downstream_rq_xx',
    [['envoy.response_code_class', '2'], ['envoy.http_conn_manager_prefix', 'ingress_http']],
  ],
  ['http.ingress_http.no_route', 'http.no_route', [['envoy.http_conn_manager_prefix', 'ingress_http']]],
  ['listener.0.0.0.0_10000.downstream_cx_total', 'listener.downstream_cx_total', [['envoy.listener_address', '0.0.0.0_10000']]],
  ['listener.[__]_80.downstream_cx_active', 'listener.downstream_cx_active', [['envoy.listener_address', '[__]_80']]],
  // The admin listener is excluded from listener_address (negative match).
  ['listener.admin.downstream_cx_total', 'listener.admin.downstream_cx_total', []],
  [
    'listener.127.0.0.1_8080.http.ingress.downstream_rq_4xx',
    'listener.http.downstream_rq_xx',
    [['envoy.response_code_class', '4'], ['envoy.http_conn_manager_prefix', 'ingress'], ['envoy.listener_address', '127.0.0.1_8080']],
  ],
  [
    'http_local_rate_limiter.http_local_rate_limit.rate_limited',
    'http_local_rate_limit.rate_limited',
    [['envoy.local_http_ratelimit_prefix', 'http_local_rate_limiter']],
  ],
  ['tcp.passthrough.downstream_cx_total', 'tcp.downstream_cx_total', [['envoy.tcp_prefix', 'passthrough']]],
  // A cluster name holding dots: only its first token is the tag (Envoy's tokenized extractor).
  [
    'cluster.outbound|9080||reviews.ns1.svc.cluster.local.upstream_cx_total',
    'cluster.ns1.svc.cluster.local.upstream_cx_total',
    [['envoy.cluster_name', 'outbound|9080||reviews']],
  ],
  [
    'cluster.default/helloworld-v1.upstream_rq_total',
    'cluster.upstream_rq_total',
    [['envoy.cluster_name', 'default/helloworld-v1']],
  ],
  ['cluster.x.circuit_breakers.default.remaining_rq', 'cluster.circuit_breakers.default.remaining_rq', [['envoy.cluster_name', 'x']]],
  ['server.live', 'server.live', []],
  ['cluster_manager.active_clusters', 'cluster_manager.active_clusters', []],
  [
    'http.hcm.rbac.policy.allow-all.allowed',
    'http.rbac.policy.allowed',
    [['envoy.rbac_policy_name', 'allow-all'], ['envoy.http_conn_manager_prefix', 'hcm']],
  ],
  [
    'vhost.vh1.route.r1.upstream_rq_201',
    'vhost.route.upstream_rq',
    [['envoy.response_code', '201'], ['envoy.virtual_host', 'vh1'], ['envoy.route', 'r1']],
  ],
];

test('default tag extraction matches Envoy', () => {
  const p = TagProducer.defaults();
  for (const [name, extracted, tags] of CASES) {
    const got = p.produceTags(name);
    assert.equal(got.extractedName, extracted, name);
    assert.deepEqual(
      got.tags.map((t) => [t.name, t.value]),
      tags,
      name,
    );
  }
});

test('use_all_default_tags: false keeps the full name', () => {
  const r = TagProducer.create({ useAllDefaultTags: false });
  assert.ok(r.ok);
  const got = r.value.produceTags('cluster.default/helloworld-v1.upstream_rq_total');
  assert.deepEqual(got, { extractedName: 'cluster.default/helloworld-v1.upstream_rq_total', tags: [] });
});

test('stats_tags: custom RE2 regex, fixed value, and default-by-name', () => {
  const r = TagProducer.create({
    useAllDefaultTags: false,
    statsTags: [
      { tagName: 'cluster_name', regex: String.raw`^cluster\.((.+?(\..+?\.svc\.cluster\.local)?)\.)` },
      { tagName: 'mesh', fixedValue: 'weft' },
      { tagName: 'envoy.response_code' },
    ],
  });
  assert.ok(r.ok);
  const got = r.value.produceTags('cluster.outbound|9080||reviews.ns1.svc.cluster.local.upstream_rq_200');
  assert.equal(got.extractedName, 'cluster.upstream_rq');
  assert.deepEqual(
    got.tags.map((t) => [t.name, t.value]),
    [
      ['mesh', 'weft'],
      ['envoy.response_code', '200'],
      ['cluster_name', 'outbound|9080||reviews.ns1.svc.cluster.local'],
    ],
  );
});

test('stats_tags errors are reported, not thrown', () => {
  const bad = TagProducer.create({ statsTags: [{ tagName: 'x', regex: '(unclosed' }] });
  assert.equal(bad.ok, false);
  const unknown = TagProducer.create({ statsTags: [{ tagName: 'no_such_default' }] });
  assert.equal(unknown.ok, false);
  if (!unknown.ok) assert.match(unknown.error, /no default regex for name: 'no_such_default'/);
});
