// The checked-in descriptor set: loaded lazily, small, and holding every message weft decodes.
// Also measures the load and a typical CiliumEnvoyConfig's decode (printed as test diagnostics).
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { decodeEnvoyResource } from './decode-envoy-resource.ts';
import { envoyDescriptors, envoyDescriptorsLoadedForTest } from './descriptors.ts';
import {
  ACCESS_LOG_TYPES,
  FILTER_CONFIG_TYPE,
  HTTP_FILTER_TYPES,
  LISTENER_FILTER_TYPES,
  NETWORK_FILTER_TYPES,
  PREVIOUS_HOSTS_PREDICATE_TYPE,
  RESOURCE_TYPES,
  TRANSPORT_SOCKET_TYPES,
  UPSTREAM_HTTP_PROTOCOL_OPTIONS_TYPE,
} from './typed-configs.ts';
import { parseYamlWithPositions } from './yaml-positions.ts';

const BINPB = new URL('./envoy-descriptors.binpb', import.meta.url);
const TYPICAL_CEC = new URL('../../../test/fixtures/envoy/004_ead56103dfc75f11/09-envoy-lb-listener-header-canary.yaml', import.meta.url);

test('importing the decoder does not load the descriptors; the first decode does', () => {
  assert.equal(envoyDescriptorsLoadedForTest(), false);
  decodeEnvoyResource({ name: 'c' }, RESOURCE_TYPES.cluster, undefined);
  assert.equal(envoyDescriptorsLoadedForTest(), true);
});

test('the descriptor set is small and holds every message weft decodes', () => {
  assert.ok(statSync(BINPB).size < 2 * 1024 * 1024, 'under 2 MB');
  const { registry, envoyTypeNames } = envoyDescriptors();
  const wanted = [
    ...Object.values(RESOURCE_TYPES),
    ...Object.values(NETWORK_FILTER_TYPES),
    ...Object.values(HTTP_FILTER_TYPES),
    ...Object.values(LISTENER_FILTER_TYPES),
    ...Object.values(TRANSPORT_SOCKET_TYPES),
    ...Object.values(ACCESS_LOG_TYPES),
    FILTER_CONFIG_TYPE,
    UPSTREAM_HTTP_PROTOCOL_OPTIONS_TYPE,
    PREVIOUS_HOSTS_PREDICATE_TYPE,
    'envoy.config.bootstrap.v3.Bootstrap',
    'envoy.config.core.v3.HealthCheck',
    'envoy.config.cluster.v3.OutlierDetection',
    'envoy.config.cluster.v3.CircuitBreakers',
    'envoy.extensions.regex_engines.v3.GoogleRE2',
  ];
  for (const name of wanted) {
    assert.ok(registry.getMessage(name), `${name} is in the descriptor set`);
    assert.ok(envoyTypeNames.has(name), `${name} is in the Envoy type list`);
  }
  assert.ok(envoyTypeNames.has('envoy.extensions.filters.http.ext_authz.v3.ExtAuthz'), 'the type list covers extensions weft does not run');
  assert.equal(registry.getMessage('envoy.extensions.filters.http.ext_authz.v3.ExtAuthz'), undefined);
});

test('timings: descriptor load and a typical CiliumEnvoyConfig decode', (t) => {
  const bytes = readFileSync(BINPB);
  const t0 = performance.now();
  createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
  const loadMs = performance.now() - t0;

  const text = readFileSync(TYPICAL_CEC, 'utf8');
  const parsed = parseYamlWithPositions(text, 'cec.yaml');
  const resources = (parsed.value as { spec: { resources: unknown[] } }).spec.resources;
  const decodeAll = (): number => {
    let n = 0;
    resources.forEach((r, i) => {
      const out = decodeEnvoyResource(r, undefined, parsed.positionOf, { basePath: ['spec', 'resources', i], object: { kind: 'CiliumEnvoyConfig', name: 'x' } });
      assert.deepEqual(out.diagnostics, []);
      n += out.resource ? 1 : 0;
    });
    return n;
  };
  decodeAll(); // warm-up
  const runs = 50;
  const t1 = performance.now();
  for (let i = 0; i < runs; i++) assert.equal(decodeAll(), resources.length);
  const decodeMs = (performance.now() - t1) / runs;
  t.diagnostic(`createFileRegistry over ${bytes.length} bytes: ${loadMs.toFixed(1)} ms`);
  t.diagnostic(`decode of a ${resources.length}-resource CiliumEnvoyConfig (warm): ${decodeMs.toFixed(2)} ms`);
  assert.ok(loadMs < 2000, 'the descriptor load stays well under two seconds');
  assert.ok(decodeMs < 200, 'a CiliumEnvoyConfig decodes in well under 200 ms');
});
