import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClusterStats } from '../stats/cluster-stats.ts';
import { HostStats } from '../stats/host-stats.ts';
import { StatStore } from '../stats/stat-store.ts';
import { protoDuration } from './admin-response.ts';
import { type ClusterStatusView, renderClusters } from './clusters.ts';
import { renderListeners } from './listeners.ts';
import { renderReady, renderServerInfo } from './server-info.ts';
import { renderPrometheusEndpoint, renderStatsEndpoint } from './stats-endpoints.ts';

const q = (s = ''): URLSearchParams => new URLSearchParams(s);

function hostStats(patch: Partial<HostStats> = {}): HostStats {
  return Object.assign(new HostStats(), patch);
}

const CLUSTERS: ClusterStatusView[] = [
  {
    name: 'default/helloworld-v1',
    addedViaApi: true,
    hosts: [
      { address: '127.244.0.5', port: 5000, weight: 90, healthFlags: [], stats: hostStats({ cxTotal: 2, cxActive: 1, rqTotal: 90, rqSuccess: 90 }) },
      {
        address: '127.244.0.6',
        port: 5000,
        weight: 10,
        healthFlags: ['failed_outlier_check', 'failed_active_hc'],
        stats: hostStats({ rqError: 5, rqTotal: 5 }),
        locality: { zone: 'z1' },
        successRate: 0,
      },
    ],
  },
  { name: 'admin', addedViaApi: false, hosts: [] },
];

test('/clusters text, Envoy lines (golden)', () => {
  const r = renderClusters(CLUSTERS, q());
  assert.equal(r.status, 200);
  assert.equal(r.contentType, 'text/plain; charset=UTF-8');
  const c = 'default/helloworld-v1';
  const h1 = `${c}::127.244.0.5:5000::`;
  const h2 = `${c}::127.244.0.6:5000::`;
  const limits = (n: string): string =>
    ['default', 'high']
      .map(
        (p) =>
          `${n}::${p}_priority::max_connections::1024\n${n}::${p}_priority::max_pending_requests::1024\n` +
          `${n}::${p}_priority::max_requests::1024\n${n}::${p}_priority::max_retries::3\n`,
      )
      .join('');
  assert.equal(
    r.body,
    'admin::observability_name::admin\n' +
      limits('admin') +
      'admin::added_via_api::false\n' +
      `${c}::observability_name::${c}\n` +
      limits(c) +
      `${c}::added_via_api::true\n` +
      `${h1}cx_active::1\n${h1}cx_connect_fail::0\n${h1}cx_total::2\n${h1}rq_active::0\n${h1}rq_error::0\n` +
      `${h1}rq_success::90\n${h1}rq_timeout::0\n${h1}rq_total::90\n${h1}hostname::\n${h1}health_flags::healthy\n` +
      `${h1}weight::90\n${h1}region::\n${h1}zone::\n${h1}sub_zone::\n${h1}canary::false\n${h1}priority::0\n` +
      `${h1}success_rate::-1\n${h1}local_origin_success_rate::-1\n` +
      `${h2}cx_active::0\n${h2}cx_connect_fail::0\n${h2}cx_total::0\n${h2}rq_active::0\n${h2}rq_error::5\n` +
      `${h2}rq_success::0\n${h2}rq_timeout::0\n${h2}rq_total::5\n${h2}hostname::\n` +
      `${h2}health_flags::/failed_active_hc/failed_outlier_check\n` +
      `${h2}weight::10\n${h2}region::\n${h2}zone::z1\n${h2}sub_zone::\n${h2}canary::false\n${h2}priority::0\n` +
      `${h2}success_rate::0\n${h2}local_origin_success_rate::-1\n`,
  );
  // The tutorial's check: `curl -s localhost:9090/clusters | grep -A 5 helloworld` finds weights.
  assert.ok(r.body.includes('127.244.0.5:5000::weight::90'));
});

test('/clusters?format=json, admin.v3.Clusters shape', () => {
  const r = renderClusters(CLUSTERS, q('format=json'));
  assert.equal(r.contentType, 'application/json');
  assert.ok(r.body.startsWith('{\n "cluster_statuses": [\n  {\n   "name": "admin",'), 'one-space indentation like protobuf');
  const j = JSON.parse(r.body) as { cluster_statuses: Record<string, unknown>[] };
  const hw = j.cluster_statuses[1];
  assert.equal(hw.name, 'default/helloworld-v1');
  assert.equal(hw.added_via_api, true);
  assert.equal(hw.observability_name, 'default/helloworld-v1');
  assert.deepEqual(hw.circuit_breakers, {
    thresholds: [
      { max_connections: 1024, max_pending_requests: 1024, max_requests: 1024, max_retries: 3 },
      { priority: 'HIGH', max_connections: 1024, max_pending_requests: 1024, max_requests: 1024, max_retries: 3 },
    ],
  });
  const [first, second] = hw.host_statuses as Record<string, unknown>[];
  assert.deepEqual(first, {
    address: { socket_address: { address: '127.244.0.5', port_value: 5000 } },
    stats: [
      { name: 'cx_connect_fail' },
      { value: '2', name: 'cx_total' },
      { name: 'rq_error' },
      { value: '90', name: 'rq_success' },
      { name: 'rq_timeout' },
      { value: '90', name: 'rq_total' },
      { type: 'GAUGE', value: '1', name: 'cx_active' },
      { type: 'GAUGE', name: 'rq_active' },
    ],
    health_status: { eds_health_status: 'HEALTHY' },
    weight: 90,
    locality: {},
  });
  assert.deepEqual(second.health_status, { failed_active_health_check: true, failed_outlier_check: true, eds_health_status: 'HEALTHY' });
  assert.deepEqual(second.success_rate, { value: 0 });
  assert.deepEqual(second.locality, { zone: 'z1' });
  assert.equal(j.cluster_statuses[0].host_statuses, undefined, 'empty repeated fields are left out');
  assert.equal(renderClusters([], q('format=json')).body, '{}\n');
});

test('/clusters with outlier detection prints the outlier lines', () => {
  const r = renderClusters(
    [
      {
        name: 'b',
        addedViaApi: false,
        outlier: { successRateAverage: -1, successRateEjectionThreshold: -1, localOriginSuccessRateAverage: -1, localOriginSuccessRateEjectionThreshold: -1 },
        hosts: [],
      },
    ],
    q(),
  );
  assert.ok(r.body.startsWith('b::observability_name::b\nb::outlier::success_rate_average::-1\nb::outlier::success_rate_ejection_threshold::-1\n'));
});

test('/server_info and /ready', () => {
  const r = renderServerInfo({
    version: 'weft/0.1.0/Node-v20/RELEASE/OpenSSL',
    state: 'LIVE',
    uptimeCurrentEpochSeconds: 42.7,
    commandLineOptions: { concurrency: 2, configPath: 'examples/hello', logLevel: 'info' },
    node: { id: 'weft~127.0.0.1', cluster: 'weft' },
  });
  assert.equal(r.status, 200);
  const j = JSON.parse(r.body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(j), ['version', 'state', 'uptime_current_epoch', 'uptime_all_epochs', 'hot_restart_version', 'command_line_options', 'node']);
  assert.equal(j.state, 'LIVE');
  assert.equal(j.uptime_current_epoch, '42s');
  assert.equal(j.hot_restart_version, 'disabled');
  const o = j.command_line_options as Record<string, unknown>;
  assert.equal(o.concurrency, 2);
  assert.equal(o.config_path, 'examples/hello');
  assert.equal(o.drain_time, '600s');
  assert.equal(o.mode, 'Serve');
  assert.deepEqual(renderReady('LIVE'), { status: 200, contentType: 'text/plain; charset=UTF-8', body: 'LIVE\n' });
  assert.equal(renderReady('DRAINING').status, 503);
  assert.equal(renderReady('DRAINING').body, 'DRAINING\n');
  assert.equal(protoDuration(1.5), '1.500s');
  assert.equal(protoDuration(0.000001), '0.000001s');
});

test('/listeners text and JSON', () => {
  const ls = [
    { name: 'listener_0', address: '0.0.0.0', port: 10000 },
    { name: 'ipv6', address: '::1', port: 80, additionalAddresses: [{ address: '127.0.0.1', port: 80 }] },
  ];
  assert.equal(renderListeners(ls, q()).body, 'ipv6::[::1]:80,127.0.0.1:80\nlistener_0::0.0.0.0:10000\n');
  const j = JSON.parse(renderListeners(ls, q('format=json')).body) as { listener_statuses: unknown[] };
  assert.deepEqual(j.listener_statuses[1], { name: 'listener_0', local_address: { socket_address: { address: '0.0.0.0', port_value: 10000 } } });
});

test('/stats endpoints: formats, content types, bad parameters answer 400', () => {
  const store = new StatStore();
  createClusterStats(store, 'backend').upstreamRqTotal.add(3);
  const text = renderStatsEndpoint(store, q('filter=upstream_rq_total'));
  assert.equal(text.body, 'cluster.backend.upstream_rq_total: 3\n');
  const json = renderStatsEndpoint(store, q('format=json&filter=upstream_rq_total'));
  assert.equal(json.contentType, 'application/json');
  assert.deepEqual(JSON.parse(json.body), { stats: [{ name: 'cluster.backend.upstream_rq_total', value: 3 }] });
  const prom = renderStatsEndpoint(store, q('format=prometheus&filter=upstream_rq_total$'));
  assert.equal(prom.body, '# TYPE envoy_cluster_upstream_rq_total counter\nenvoy_cluster_upstream_rq_total{envoy_cluster_name="backend"} 3\n');
  assert.equal(renderPrometheusEndpoint(store, q('filter=upstream_rq_total$')).body, prom.body);
  const bad = renderStatsEndpoint(store, q('filter=(x'));
  assert.equal(bad.status, 400);
  assert.match(bad.body, /Invalid re2 regex/);
  assert.equal(renderStatsEndpoint(store, q('format=yaml')).status, 400);
  assert.equal(renderPrometheusEndpoint(store, q('filter=[')).status, 400);
});
