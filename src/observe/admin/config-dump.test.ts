import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConfigDumpView, renderConfigDump } from './config-dump.ts';

const T0 = Date.UTC(2024, 4, 6, 7, 8, 9, 10);

const VIEW: ConfigDumpView = {
  versionInfo: '7',
  clusters: [
    { name: 'default/helloworld-v1', config: { name: 'default/helloworld-v1', connect_timeout: '5s' }, lastUpdatedMs: T0 },
    { name: 'envoy-admin', config: { name: 'envoy-admin' }, lastUpdatedMs: T0, static: true },
  ],
  endpoints: [{ name: 'default/helloworld-v1', config: { cluster_name: 'default/helloworld-v1' }, lastUpdatedMs: T0 }],
  listeners: [{ name: 'envoy-lb-listener', config: { name: 'envoy-lb-listener' }, lastUpdatedMs: T0, versionInfo: '6' }],
  routeConfigs: [{ name: 'lb_route', config: { name: 'lb_route' }, lastUpdatedMs: T0 }],
  secrets: [
    { name: 'tls', config: { name: 'tls', tls_certificate: { certificate_chain: { inline_string: 'CERT' }, private_key: { inline_string: 'KEY' } } }, lastUpdatedMs: T0 },
  ],
};

test('config_dump: Envoy ConfigDump sections in order, typed resources, versions, timestamps', () => {
  const r = renderConfigDump(VIEW, new URLSearchParams());
  assert.equal(r.status, 200);
  const j = JSON.parse(r.body) as { configs: Record<string, unknown>[] };
  assert.deepEqual(
    j.configs.map((c) => c['@type']),
    [
      'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
      'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
      'type.googleapis.com/envoy.admin.v3.ScopedRoutesConfigDump',
      'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
      'type.googleapis.com/envoy.admin.v3.SecretsConfigDump',
    ],
  );
  const clusters = j.configs[0];
  assert.equal(clusters.version_info, '7');
  assert.deepEqual(clusters.static_clusters, [
    { cluster: { '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: 'envoy-admin' }, last_updated: '2024-05-06T07:08:09.010Z' },
  ]);
  assert.deepEqual(clusters.dynamic_active_clusters, [
    {
      version_info: '7',
      cluster: { '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: 'default/helloworld-v1', connect_timeout: '5s' },
      last_updated: '2024-05-06T07:08:09.010Z',
    },
  ]);
  const listeners = j.configs[1].dynamic_listeners as { name: string; active_state: { version_info: string } }[];
  assert.equal(listeners[0].name, 'envoy-lb-listener');
  assert.equal(listeners[0].active_state.version_info, '6');
  const secrets = j.configs[4].dynamic_active_secrets as { secret: { tls_certificate: { private_key: unknown; certificate_chain: unknown } } }[];
  assert.deepEqual(secrets[0].secret.tls_certificate.private_key, { inline_string: '[redacted]' });
  assert.deepEqual(secrets[0].secret.tls_certificate.certificate_chain, { inline_string: 'CERT' });
});

test('config_dump: include_eds, resource and name_regex', () => {
  const eds = JSON.parse(renderConfigDump(VIEW, new URLSearchParams('include_eds')).body) as { configs: { '@type': string }[] };
  assert.ok(eds.configs.some((c) => c['@type'] === 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump'));
  const one = JSON.parse(renderConfigDump(VIEW, new URLSearchParams('resource=dynamic_active_clusters&name_regex=.*helloworld.*')).body) as {
    configs: { '@type': string; cluster: { name: string } }[];
  };
  assert.equal(one.configs.length, 1);
  assert.equal(one.configs[0]['@type'], 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump.DynamicCluster');
  assert.equal(one.configs[0].cluster.name, 'default/helloworld-v1');
  assert.equal(renderConfigDump(VIEW, new URLSearchParams('resource=nope')).status, 404);
  assert.equal(renderConfigDump(VIEW, new URLSearchParams('name_regex=(')).status, 400);
});
