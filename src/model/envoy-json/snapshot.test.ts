import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSnapshot } from '../build-snapshot.ts';
import { encodeCluster } from './cluster.ts';
import { encodeClusterLoadAssignment } from './endpoint.ts';
import { kitchenSinkResourcesForTest } from './kitchen-sink.ts';
import { KITCHEN_SINK_SOURCES_FOR_TEST } from './kitchen-sink-routes.ts';
import { encodeListener } from './listener.ts';
import { encodeRouteConfiguration } from './route-configuration.ts';
import { encodeSnapshot } from './snapshot.ts';
import { encodeSecret } from './tls.ts';

function snapshot() {
  const r = buildSnapshot(kitchenSinkResourcesForTest(), '7');
  assert.ok(r.ok, 'the kitchen sink is a valid snapshot');
  return r.value;
}

test('encodeSnapshot encodes the five lists in snapshot order, named as ConfigDumpView names them', () => {
  const s = snapshot();
  const e = encodeSnapshot(s);
  const names = (list: readonly { name: string }[]) => list.map((r) => r.name);
  assert.deepEqual(names(e.listeners), ['listener-internal', 'listener-kitchen-sink', 'listener-pipe']);
  assert.deepEqual(names(e.routeConfigs), ['rc-kitchen-sink']);
  assert.deepEqual(names(e.clusters), ['cluster-eds', 'cluster-logical-dns', 'cluster-random', 'cluster-static', 'cluster-strict-dns']);
  assert.deepEqual(names(e.endpoints), ['eds-service']);
  assert.deepEqual(names(e.secrets), ['demo/ca', 'demo/gateway-cert', 'demo/token']);
  assert.deepEqual(e.listeners.map((r) => r.config), s.listeners.map(encodeListener));
  assert.deepEqual(e.routeConfigs.map((r) => r.config), s.routeConfigurations.map(encodeRouteConfiguration));
  assert.deepEqual(e.clusters.map((r) => r.config), s.clusters.map(encodeCluster));
  assert.deepEqual(e.endpoints.map((r) => r.config), s.endpoints.map(encodeClusterLoadAssignment));
  assert.deepEqual(e.secrets.map((r) => r.config), s.secrets.map(encodeSecret));
});

test('every entry carries its sources, also for the resources whose Envoy JSON has no metadata', () => {
  const e = encodeSnapshot(snapshot());
  for (const list of [e.listeners, e.routeConfigs, e.clusters, e.endpoints, e.secrets]) {
    for (const r of list) assert.deepEqual(r.sources, KITCHEN_SINK_SOURCES_FOR_TEST, r.name);
  }
  assert.equal(e.endpoints[0].config.metadata, undefined);
  assert.equal(e.secrets[0].config.metadata, undefined);
});

test('an encoded snapshot is plain JSON: it survives JSON.stringify unchanged', () => {
  const e = encodeSnapshot(snapshot());
  assert.deepEqual(JSON.parse(JSON.stringify(e)), e);
});
