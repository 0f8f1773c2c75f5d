// model/envoy-json (model → Envoy v3 JSON) against ingest/envoy (Envoy v3 JSON → model): every
// kitchen-sink resource must encode to JSON that Envoy's own descriptors and validation rules accept
// with no diagnostic, and decode back to the same model value. It lives in test/ because it is the
// one place allowed to import both folders (test/architecture.test.ts keeps model/ from ingest/).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertNever } from '../src/lib/assert-never.ts';
import { formatDiagnostic } from '../src/lib/diagnostic.ts';
import { buildSnapshot } from '../src/model/build-snapshot.ts';
import type { SnapshotResources } from '../src/model/index.ts';
import { decodeEnvoyResource, toSnapshotResources, type ModelResource } from '../src/ingest/envoy/index.ts';
import {
  encodeCluster,
  encodeClusterLoadAssignment,
  encodeListener,
  encodeRouteConfiguration,
  encodeSecret,
  ENVOY_TYPES,
  typed,
  type JsonObject,
} from '../src/model/envoy-json/index.ts';
import { kitchenSinkResourcesForTest } from '../src/model/envoy-json/kitchen-sink.ts';

/** The manifest object the kitchen sink's `sources` name (KITCHEN_SINK_SOURCES_FOR_TEST). */
const OBJECT = { kind: 'CiliumEnvoyConfig', namespace: 'demo', name: 'kitchen-sink' };

interface Case {
  readonly label: string;
  readonly json: JsonObject;
  readonly model: unknown;
  readonly pick: (r: ModelResource) => unknown;
}

function modelOf(m: ModelResource): unknown {
  switch (m.kind) {
    case 'listener':
      return m.listener;
    case 'routeConfiguration':
      return m.routeConfiguration;
    case 'cluster':
      return m.cluster;
    case 'clusterLoadAssignment':
      return m.clusterLoadAssignment;
    case 'secret':
      return m.secret;
    default:
      return assertNever(m, 'resource kind');
  }
}

function cases(): Case[] {
  const r = kitchenSinkResourcesForTest();
  const pick = (kind: ModelResource['kind']) => (m: ModelResource) => (m.kind === kind ? modelOf(m) : undefined);
  return [
    ...r.listeners.map((x) => ({ label: `Listener ${x.name}`, json: typed(ENVOY_TYPES.listener, encodeListener(x)), model: x, pick: pick('listener') })),
    ...r.routeConfigurations.map((x) => ({ label: `RouteConfiguration ${x.name}`, json: typed(ENVOY_TYPES.routeConfiguration, encodeRouteConfiguration(x)), model: x, pick: pick('routeConfiguration') })),
    ...r.clusters.map((x) => ({ label: `Cluster ${x.name}`, json: typed(ENVOY_TYPES.cluster, encodeCluster(x)), model: x, pick: pick('cluster') })),
    ...r.endpoints.map((x) => ({ label: `ClusterLoadAssignment ${x.clusterName}`, json: typed(ENVOY_TYPES.clusterLoadAssignment, encodeClusterLoadAssignment(x)), model: x, pick: pick('clusterLoadAssignment') })),
    ...r.secrets.map((x) => ({ label: `Secret ${x.name}`, json: typed(ENVOY_TYPES.secret, encodeSecret(x)), model: x, pick: pick('secret') })),
  ];
}

function decode(json: JsonObject) {
  // Through text, as an xDS client or a CiliumEnvoyConfig would see it.
  return decodeEnvoyResource(JSON.parse(JSON.stringify(json)), undefined, undefined, { object: OBJECT });
}

describe('decode(encode(x)) deep-equals x for every kitchen-sink resource', () => {
  for (const c of cases()) {
    test(c.label, () => {
      const d = decode(c.json);
      assert.deepEqual(d.diagnostics.map(formatDiagnostic), [], 'Envoy accepts the encoded JSON as it is');
      assert.ok(d.resource, 'decoded');
      assert.deepEqual(c.pick(d.resource), c.model);
    });
  }
});

test('the decoded kitchen sink builds the same snapshot, hash included', () => {
  const original: Required<SnapshotResources> = kitchenSinkResourcesForTest();
  const decoded = toSnapshotResources(
    cases().map((c) => {
      const d = decode(c.json);
      assert.ok(d.resource, c.label);
      return d.resource;
    }),
  );
  const a = buildSnapshot(original, '1');
  const b = buildSnapshot(decoded, '1');
  assert.ok(a.ok && b.ok);
  assert.equal(b.value.hash, a.value.hash);
});
