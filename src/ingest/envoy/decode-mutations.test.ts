// Mutations of the seed CiliumEnvoyConfigs: each mistake is exactly one Diagnostic, with the field
// path as the user wrote it and the file position of that field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DIAGNOSTIC_CODES, formatDiagnostic, type Diagnostic } from '../../lib/diagnostic.ts';
import { decodeEnvoyResource } from './decode-envoy-resource.ts';
import type { ModelResource } from './model-resource.ts';
import { parseYamlWithPositions } from './yaml-positions.ts';

const FIXTURES = new URL('../../../test/fixtures/envoy/', import.meta.url).pathname;
const HELLO = '004_ead56103dfc75f11/07-envoy-helloworld-v1-90-v2-10.yaml';
const CANARY = '004_ead56103dfc75f11/09-envoy-lb-listener-header-canary.yaml';
const STATIC = '004_ead56103dfc75f11/06-helloworld-lb-static-weights.yaml';
const CAMEL = '002_ffbe72aadee52216/cec.yaml';

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0, `fixture text not found: ${from}`);
  assert.equal(text.indexOf(from, at + 1), -1, `fixture text not unique: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** 1-based line and column of the first character of `needle` in `text` (an independent oracle). */
function where(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `not in mutated text: ${needle}`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

interface Outcome {
  readonly text: string;
  readonly diagnostics: Diagnostic[];
  readonly resources: (ModelResource | undefined)[];
}

function decodeMutated(relative: string, edits: readonly (readonly [string, string])[]): Outcome {
  let text = readFileSync(join(FIXTURES, relative), 'utf8');
  for (const [from, to] of edits) text = replaceOnce(text, from, to);
  const parsed = parseYamlWithPositions(text, relative);
  assert.deepEqual(parsed.errors, []);
  const cec = parsed.value as { kind: string; metadata: { name: string }; spec: { resources: unknown[] } };
  const diagnostics: Diagnostic[] = [];
  const resources = cec.spec.resources.map((r, i) => {
    const out = decodeEnvoyResource(r, undefined, parsed.positionOf, {
      basePath: ['spec', 'resources', i],
      object: { kind: cec.kind, name: cec.metadata.name },
    });
    diagnostics.push(...out.diagnostics);
    return out.resource;
  });
  return { text, diagnostics, resources };
}

/** Exactly one Diagnostic, with this code and field, at the position of `at` in the mutated text. */
function assertOne(o: Outcome, code: string, field: string, at: string): Diagnostic {
  assert.equal(o.diagnostics.length, 1, o.diagnostics.map(formatDiagnostic).join('\n'));
  const d = o.diagnostics[0];
  assert.equal(d.code, code, formatDiagnostic(d));
  assert.equal(d.field, field);
  assert.deepEqual({ line: d.position?.line, column: d.position?.column }, where(o.text, at));
  return d;
}

describe('the four mutations of the issue', () => {
  test('a misspelt field (weighted_cluster) names the field and suggests weighted_clusters', () => {
    const o = decodeMutated(HELLO, [['weighted_clusters:', 'weighted_cluster:']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.UNKNOWN_FIELD, 'spec.resources[1].virtual_hosts[0].routes[0].route.weighted_cluster', 'weighted_cluster:');
    assert.deepEqual([d.position?.line, d.position?.column], [39, 17]);
    assert.match(d.message, /unknown field "weighted_cluster" in envoy\.config\.route\.v3\.RouteAction/);
    assert.equal(d.hint, 'did you mean "weighted_clusters"?');
    assert.deepEqual(d.object, { kind: 'CiliumEnvoyConfig', name: 'envoy-lb-listener' });
    assert.equal(o.resources[1], undefined, 'a resource with an error is not returned');
    assert.ok(o.resources[0] && o.resources[2] && o.resources[3], 'the other resources still decode');
  });

  test('a string where a number goes (weight: "ten")', () => {
    const o = decodeMutated(HELLO, [['weight: 10', 'weight: "ten"']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.WRONG_TYPE, 'spec.resources[1].virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].weight', 'weight: "ten"');
    assert.deepEqual([d.position?.line, d.position?.column], [44, 23]);
    assert.equal(d.message, 'expected an unsigned integer (uint32), got string "ten"');
  });

  test('an unknown @type lists the HTTP filters weft runs and the closest name', () => {
    const o = decodeMutated(HELLO, [['envoy.extensions.filters.http.router.v3.Router', 'envoy.extensions.filters.http.router.v3.Routr']]);
    const d = assertOne(
      o,
      DIAGNOSTIC_CODES.INVALID_VALUE,
      'spec.resources[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.@type',
      '"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Routr',
    );
    assert.deepEqual([d.position?.line, d.position?.column], [29, 23]);
    assert.match(d.message, /unknown @type "type\.googleapis\.com\/envoy\.extensions\.filters\.http\.router\.v3\.Routr"/);
    assert.match(d.hint ?? '', /did you mean "type\.googleapis\.com\/envoy\.extensions\.filters\.http\.router\.v3\.Router"\?/);
    assert.match(d.hint ?? '', /local_ratelimit\.v3\.LocalRateLimit.*fault\.v3\.HTTPFault/);
  });

  test('a bad enum value (lb_policy: ROUND_ROBIM)', () => {
    const o = decodeMutated(HELLO, [['connect_timeout: 3s\n      lb_policy: ROUND_ROBIN', 'connect_timeout: 3s\n      lb_policy: ROUND_ROBIM']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.INVALID_VALUE, 'spec.resources[3].lb_policy', 'lb_policy: ROUND_ROBIM');
    assert.deepEqual([d.position?.line, d.position?.column], [60, 7]);
    assert.equal(d.message, 'unknown value "ROUND_ROBIM" for envoy.config.cluster.v3.Cluster.LbPolicy');
    assert.match(d.hint ?? '', /^did you mean "ROUND_ROBIN"\? allowed values: ROUND_ROBIN, LEAST_REQUEST/);
  });
});

describe('more mistakes, one Diagnostic each', () => {
  test('lowerCamelCase spelling gets a lowerCamelCase suggestion', () => {
    const o = decodeMutated(CAMEL, [['weightedClusters:', 'weightedCluster:']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.UNKNOWN_FIELD, 'spec.resources[1].virtualHosts[0].routes[0].route.weightedCluster', 'weightedCluster:');
    assert.equal(d.hint, 'did you mean "weightedClusters"?');
  });

  test('a valid Envoy HTTP filter weft does not run is WEFT_UNSUPPORTED', () => {
    const o = decodeMutated(HELLO, [['envoy.extensions.filters.http.router.v3.Router', 'envoy.extensions.filters.http.ext_authz.v3.ExtAuthz']]);
    const d = assertOne(
      o,
      DIAGNOSTIC_CODES.UNSUPPORTED,
      'spec.resources[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.@type',
      '"@type": type.googleapis.com/envoy.extensions.filters.http.ext_authz',
    );
    assert.match(d.message, /ExtAuthz is a valid Envoy type, but weft does not run it/);
    assert.match(d.hint ?? '', /weft runs these here: .*router\.v3\.Router/);
  });

  test('a known type in the wrong place (a network filter as an HTTP filter) is WEFT_UNSUPPORTED', () => {
    const o = decodeMutated(HELLO, [
      [
        '"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
        '"@type": type.googleapis.com/envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit\n                      stat_prefix: x',
      ],
    ]);
    const d = assertOne(o, DIAGNOSTIC_CODES.UNSUPPORTED, 'spec.resources[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.@type', '"@type": type.googleapis.com/envoy.extensions.filters.network.connection_limit');
    assert.match(d.message, /ConnectionLimit is not an HTTP filter weft runs/);
  });

  test('a valid Envoy field weft does not run is WEFT_UNSUPPORTED, naming the fields it runs', () => {
    const o = decodeMutated(HELLO, [['connect_timeout: 3s', 'connect_timeout: 3s\n      upstream_bind_config: { source_address: { address: 10.0.0.1, port_value: 0 } }']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.UNSUPPORTED, 'spec.resources[3].upstream_bind_config', 'upstream_bind_config');
    assert.match(d.message, /envoy\.config\.cluster\.v3\.Cluster\.upstream_bind_config\) is valid Envoy, but weft does not run it/);
    assert.match(d.hint ?? '', /weft runs these fields of Cluster: name, .*connect_timeout.*outlier_detection/);
  });

  test('a field left at its zero value is not reported', () => {
    const o = decodeMutated(HELLO, [['connect_timeout: 3s', 'connect_timeout: 3s\n      connection_pool_per_downstream_connection: false\n      lrs_report_endpoint_metrics: []']]);
    assert.deepEqual(o.diagnostics, []);
  });

  test('the same field in both spellings', () => {
    const o = decodeMutated(HELLO, [['connect_timeout: 3s', 'connect_timeout: 3s\n      connectTimeout: 4s']]);
    assertOne(o, DIAGNOSTIC_CODES.INVALID_VALUE, 'spec.resources[3].connectTimeout', 'connectTimeout: 4s');
  });

  test('two members of one oneof (cluster and weighted_clusters)', () => {
    const o = decodeMutated(HELLO, [['              route:\n                weighted_clusters:', '              route:\n                cluster: x\n                weighted_clusters:']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.INVALID_VALUE, 'spec.resources[1].virtual_hosts[0].routes[0].route.weighted_clusters', 'weighted_clusters:');
    assert.match(d.message, /"weighted_clusters" and "cluster" cannot both be set/);
  });

  test('validate rule: an endpoint weight of 0 (load_balancing_weight ≥ 1)', () => {
    const o = decodeMutated(STATIC, [['load_balancing_weight: 20', 'load_balancing_weight: 0']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.INVALID_VALUE, 'spec.resources[2].load_assignment.endpoints[0].lb_endpoints[0].load_balancing_weight', 'load_balancing_weight: 0');
    assert.equal(d.message, '"load_balancing_weight": 0 is out of range: must be ≥ 1');
  });

  test('validate rule: a required field (Cluster.name) missing', () => {
    const o = decodeMutated(HELLO, [['      name: "default/helloworld-v2"\n', '']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.REQUIRED, 'spec.resources[3].name', '"@type": type.googleapis.com/envoy.config.cluster.v3.Cluster\n      connect_timeout: 3s');
    assert.match(d.message, /missing required field "name" \(envoy\.config\.cluster\.v3\.Cluster\)/);
  });

  test('validate rule: weighted_clusters with no clusters (min_items 1)', () => {
    const o = decodeMutated(STATIC.replace('06-helloworld-lb-static-weights', '05-helloworld-lb-eds'), [['cluster: default/helloworld', 'weighted_clusters: { clusters: [] }']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.INVALID_VALUE, 'spec.resources[1].virtual_hosts[0].routes[0].route.weighted_clusters.clusters', 'clusters: []');
    assert.equal(d.message, '"clusters": needs at least 1 item (has 0)');
  });

  test('validate rule: a route with no action (required oneof)', () => {
    const o = decodeMutated(STATIC, [['              route:\n                cluster: default/helloworld\n', '']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.REQUIRED, 'spec.resources[1].virtual_hosts[0].routes[0]', 'match:\n                prefix: "/"');
    assert.match(d.message, /^one of "route", "redirect", "direct_response"/);
  });

  test('a regex RE2 does not accept', () => {
    const o = decodeMutated(CANARY, [['regex: "^/foo.*$"\n                  substitution: "/"\n            - match:', 'regex: "^/foo(?=bar)"\n                  substitution: "/"\n            - match:']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.INVALID_VALUE, 'spec.resources[1].virtual_hosts[0].routes[0].route.regex_rewrite.pattern.regex', 'regex: "^/foo(?=bar)"');
    assert.match(d.message, /invalid RE2 regex/);
  });

  test('a substitution naming a group the pattern lacks', () => {
    const o = decodeMutated(CANARY, [['substitution: "/"\n            - match:', 'substitution: "/\\\\1"\n            - match:']]);
    assertOne(o, DIAGNOSTIC_CODES.INVALID_VALUE, 'spec.resources[1].virtual_hosts[0].routes[0].route.regex_rewrite.substitution', 'substitution: "/\\\\1"');
  });

  test('a number where a duration goes', () => {
    const o = decodeMutated(HELLO, [['per_try_timeout: 1s', 'per_try_timeout: 1']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.WRONG_TYPE, 'spec.resources[1].virtual_hosts[0].routes[0].route.retry_policy.per_try_timeout', 'per_try_timeout: 1');
    assert.match(d.message, /expected a duration string such as "5s"/);
  });

  test('an unknown retry_on condition', () => {
    const o = decodeMutated(HELLO, [['retry_on: 5xx', 'retry_on: 5xx,gateway-eror']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.INVALID_VALUE, 'spec.resources[1].virtual_hosts[0].routes[0].route.retry_policy.retry_on', 'retry_on:');
    assert.match(d.hint ?? '', /did you mean "gateway-error"\?/);
  });

  test('a resource without @type', () => {
    const o = decodeMutated(HELLO, [['    - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration\n      name: lb_route', '    - name: lb_route']]);
    const d = assertOne(o, DIAGNOSTIC_CODES.REQUIRED, 'spec.resources[1]', 'name: lb_route\n      virtual_hosts');
    assert.match(d.hint ?? '', /weft takes these resources: .*Listener.*Secret/);
  });

  test('a valid Envoy type that is not a resource weft takes', () => {
    const o = decodeMutated(HELLO, [['type.googleapis.com/envoy.config.route.v3.RouteConfiguration', 'type.googleapis.com/envoy.config.route.v3.Route']]);
    assertOne(o, DIAGNOSTIC_CODES.UNSUPPORTED, 'spec.resources[1].@type', '"@type": type.googleapis.com/envoy.config.route.v3.Route\n');
  });

  test('an optional HTTP filter weft does not run is skipped with a warning', () => {
    const o = decodeMutated(HELLO, [
      [
        '                http_filters:\n',
        '                http_filters:\n                  - name: authz\n                    is_optional: true\n                    typed_config:\n                      "@type": type.googleapis.com/envoy.extensions.filters.http.buffer.v3.Buffer\n',
      ],
    ]);
    assert.equal(o.diagnostics.length, 1);
    assert.equal(o.diagnostics[0].severity, 'warning');
    const l = o.resources[0];
    assert.ok(l?.kind === 'listener');
    const f = l.listener.filterChains[0].filters[0];
    assert.ok(f.kind === 'httpConnectionManager');
    assert.deepEqual(f.typedConfig.httpFilters.map((h) => h.kind), ['router']);
  });
});

describe('decodeEnvoyResource arguments', () => {
  test('the expected type is checked against @type', () => {
    const out = decodeEnvoyResource({ '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: 'c' }, 'type.googleapis.com/envoy.config.listener.v3.Listener', undefined);
    assert.equal(out.diagnostics.length, 1);
    assert.equal(out.diagnostics[0].field, '@type');
  });

  test('with an expected type, @type may be left out; without positions or object, paths still come back', () => {
    const out = decodeEnvoyResource({ name: 'c', type: 'STATIC', connectTimeout: '0.25s' }, 'type.googleapis.com/envoy.config.cluster.v3.Cluster', undefined);
    assert.deepEqual(out.diagnostics, []);
    assert.ok(out.resource?.kind === 'cluster');
    assert.equal(out.resource.cluster.connectTimeoutMs, 250);
    assert.deepEqual(out.resource.cluster.sources, []);
    const bad = decodeEnvoyResource({ name: 'c', connect_timeout: '-1s' }, 'type.googleapis.com/envoy.config.cluster.v3.Cluster', undefined);
    assert.deepEqual(bad.diagnostics.map((d) => [d.field, d.message]), [['connect_timeout', '"connect_timeout": -1s is out of range: must be > 0s']]);
  });

  test('a value that is not an object', () => {
    const out = decodeEnvoyResource(['x'], undefined, undefined);
    assert.equal(out.diagnostics[0].code, DIAGNOSTIC_CODES.WRONG_TYPE);
  });
});
