// What weft does beyond decoding: rejecting a broken config whole (at the field, with the
// position), keeping it from blocking the others, resolving references across configs, node
// selection, conflicts between configs, and what the reports say.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIAGNOSTIC_CODES, formatDiagnostic, type Diagnostic } from '../../lib/diagnostic.ts';
import { buildSnapshot } from '../../model/index.ts';
import {
  cloneForTest,
  conditionForTest,
  fixtureTextForTest,
  ingestForTest,
  isEnvoyConfigForTest,
  parseManifestsForTest,
  readFixtureForTest,
  replaceOnceForTest,
  serviceForTest,
  whereForTest,
  type PositionedObjectForTest,
} from './test-support.ts';

const ADMIN = 'seeds/004_ead56103dfc75f11-01-admin-listener.yaml';
const LB = 'seeds/004_ead56103dfc75f11-02-lb-listener-url-rewrite.yaml';
const CB = 'seeds/004_ead56103dfc75f11-05-circuit-breaker.yaml';
const EDS = 'seeds/004_ead56103dfc75f11-06-helloworld-lb-eds.yaml';
const CANARY = 'seeds/004_ead56103dfc75f11-11-header-canary.yaml';
const CAMEL = 'envoy/002_ffbe72aadee52216/cec.yaml';
const ECHO = [serviceForTest('default', 'echo-service-1', '127.96.0.21', [8080]), serviceForTest('default', 'echo-service-2', '127.96.0.22', [8080])];

function config(file: string): PositionedObjectForTest {
  const c = readFixtureForTest(file).find((o) => isEnvoyConfigForTest(o.object));
  assert.ok(c, file);
  return c;
}

/** The fixture with text edits, parsed with positions in the edited text. */
function mutated(file: string, edits: readonly (readonly [string, string])[]): { text: string; item: PositionedObjectForTest } {
  let text = fixtureTextForTest(file);
  for (const [from, to] of edits) text = replaceOnceForTest(text, from, to);
  const item = parseManifestsForTest(text, file).find((o) => isEnvoyConfigForTest(o.object));
  assert.ok(item);
  return { text, item };
}

function errors(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === 'error');
}

function withSpec(item: PositionedObjectForTest, edit: (spec: Record<string, unknown>) => void, meta: Record<string, unknown> = {}): PositionedObjectForTest {
  const object = cloneForTest(item.object);
  edit(object.spec as Record<string, unknown>);
  Object.assign(object.metadata, meta);
  return { object, positionOf: item.positionOf };
}

describe('a broken config is rejected whole, at the field', () => {
  test('a route to a cluster no config defines: the field path as written, its line and column', () => {
    const { text, item } = mutated(LB, [['- name: "default/echo-service-2"', '- name: "default/echo-service-3"']]);
    const r = ingestForTest([item], { services: ECHO });
    const [d, ...rest] = errors(r.diagnostics);
    assert.deepEqual(rest, []);
    assert.equal(d.code, DIAGNOSTIC_CODES.UNRESOLVED_REF);
    assert.equal(d.field, 'spec.resources[1].virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].name');
    assert.deepEqual(d.position, { file: LB, ...whereForTest(text, 'name: "default/echo-service-3"') });
    assert.deepEqual(d.object, { kind: 'CiliumClusterwideEnvoyConfig', name: 'envoy-lb-listener' });
    assert.match(d.message, /cluster "default\/echo-service-3" is not defined/);
    const accepted = conditionForTest(r.reports[0], 'Accepted');
    assert.equal(accepted.status, 'False');
    assert.equal(accepted.reason, 'UnresolvedRefs');
    assert.match(accepted.message, /spec\.resources\[1\]\.virtual_hosts\[0\]\.routes\[0\]\.route\.weighted_clusters\.clusters\[1\]\.name: cluster/);
    assert.equal(conditionForTest(r.reports[0], 'Programmed').reason, 'NotAccepted');
    assert.deepEqual(r.resources, { listeners: [], routeConfigurations: [], clusters: [], endpoints: [], secrets: [] });
    assert.deepEqual(r.redirectedServicePorts, new Set());
  });

  test('lowerCamelCase paths stay as written; an unqualified name says what it became', () => {
    const camel = mutated(CAMEL, [['- name: handson/handson-blue', '- name: handson/handson-green']]);
    const [d] = errors(ingestForTest([camel.item]).diagnostics);
    assert.equal(d.field, 'spec.resources[1].virtualHosts[0].routes[0].route.weightedClusters.clusters[0].name');
    assert.deepEqual(d.position, { file: CAMEL, ...whereForTest(camel.text, 'name: handson/handson-green') });

    const local = mutated(EDS, [['cluster: default/helloworld', 'cluster: helloworld']]);
    const [l] = errors(ingestForTest([local.item]).diagnostics);
    assert.equal(l.field, 'spec.resources[1].virtual_hosts[0].routes[0].route.cluster');
    assert.match(l.message, /cluster "helloworld" \(qualified as "default\/helloworld-lb\/helloworld"\) is not defined/);
    assert.match(l.hint ?? '', /<namespace>\/<service>/);
  });

  test('an RDS name no RouteConfiguration has', () => {
    const { text, item } = mutated(EDS, [['route_config_name: helloworld_lb_route', 'route_config_name: helloworld_route']]);
    const [d] = errors(ingestForTest([item]).diagnostics);
    assert.equal(d.field, 'spec.resources[0].filter_chains[0].filters[0].typed_config.rds.route_config_name');
    assert.deepEqual(d.position, { file: EDS, ...whereForTest(text, 'route_config_name: helloworld_route') });
    assert.match(d.message, /route configuration "helloworld_route" \(qualified as "default\/helloworld-lb\/helloworld_route"\)/);
  });

  test('an unsupported @type, and a misspelt field, are decoding errors: Invalid, nothing served', () => {
    const bad = mutated(EDS, [['type.googleapis.com/envoy.config.cluster.v3.Cluster', 'type.googleapis.com/envoy.config.core.v3.Address']]);
    const r = ingestForTest([bad.item]);
    const [d] = errors(r.diagnostics);
    assert.equal(d.field, 'spec.resources[2].@type');
    assert.equal(d.code, DIAGNOSTIC_CODES.UNSUPPORTED);
    assert.deepEqual(d.position, { file: EDS, ...whereForTest(bad.text, '"@type": type.googleapis.com/envoy.config.core.v3.Address') });
    assert.equal(conditionForTest(r.reports[0], 'Accepted').reason, 'Invalid');
    assert.deepEqual(r.reports[0].listeners, []);
    assert.deepEqual(r.resources.listeners, []);

    const typo = mutated(LB, [['weighted_clusters:', 'weighted_cluster:']]);
    const t = ingestForTest([typo.item], { services: ECHO });
    assert.equal(errors(t.diagnostics)[0].field, 'spec.resources[1].virtual_hosts[0].routes[0].route.weighted_cluster');
    assert.equal(conditionForTest(t.reports[0], 'Accepted').reason, 'Invalid');
    assert.match(conditionForTest(t.reports[0], 'Accepted').message, /^seeds\/004_ead56103dfc75f11-02-lb-listener-url-rewrite\.yaml:\d+:\d+: spec\.resources\[1\]/);
  });

  test('a duplicate listener name after qualification', () => {
    const dup = withSpec(config(EDS), (spec) => {
      const resources = spec.resources as Record<string, unknown>[];
      resources.push({ ...resources[0], name: 'default/helloworld-lb/helloworld-lb-listener' });
    });
    const [d] = errors(ingestForTest([dup]).diagnostics);
    assert.equal(d.field, 'spec.resources[3].name');
    assert.match(d.message, /duplicate Listener name "default\/helloworld-lb\/helloworld-lb-listener" \(also spec\.resources\[0\]\)/);
  });

  test('a broken config next to good ones: the good ones are served; one that needs the broken one is told why', () => {
    const broken = mutated(LB, [['weighted_clusters:', 'weighted_cluster:']]).item;
    const needs = withSpec(config(CANARY), (spec) => {
      spec.services = [];
      const resources = spec.resources as unknown[];
      resources.splice(2); // keep the listener and routes; the clusters are the broken config's
    });
    const r = ingestForTest([config(ADMIN), broken, needs], { services: ECHO });
    assert.deepEqual(r.reports.map((x) => conditionForTest(x, 'Accepted').reason), ['Accepted', 'Invalid', 'UnresolvedRefs']);
    assert.deepEqual(r.reports.map((x) => conditionForTest(x, 'Programmed').status), ['True', 'False', 'False']);
    assert.deepEqual(r.resources.listeners?.map((l) => l.name), ['/envoy-admin-listener/envoy-admin-listener']);
    const why = errors(r.reports[2].diagnostics)[0];
    assert.match(why.message, /is defined by CiliumClusterwideEnvoyConfig envoy-lb-listener, which is not accepted/);
    assert.ok(buildSnapshot(r.resources, '1').ok);
  });
});

describe('references across configs', () => {
  test('a cluster another config defines, or weft does (externalClusters), resolves', () => {
    const routesOnly = withSpec(config(CANARY), (spec) => {
      spec.services = [];
      (spec.resources as unknown[]).splice(2);
    });
    const clustersOnly = withSpec(config(LB), (spec) => {
      spec.services = [];
      (spec.resources as unknown[]).splice(0, 2);
    });
    const r = ingestForTest([routesOnly, clustersOnly]);
    assert.deepEqual(errors(r.diagnostics), []);
    assert.ok(buildSnapshot(r.resources, '1').ok);

    const external = ingestForTest([routesOnly], { externalClusters: new Set(['default/echo-service-1', 'default/echo-service-2']) });
    assert.equal(conditionForTest(external.reports[0], 'Programmed').status, 'True');
  });

  test('a config whose referenced cluster lives in a config not programmed here is not programmed either', () => {
    const routesOnly = withSpec(config(CANARY), (spec) => {
      spec.services = [];
      (spec.resources as unknown[]).splice(2);
    });
    const elsewhere = withSpec(config(LB), (spec) => {
      spec.services = [];
      (spec.resources as unknown[]).splice(0, 2);
      spec.nodeSelector = { matchLabels: { role: 'infra' } };
    });
    const r = ingestForTest([routesOnly, elsewhere]);
    assert.deepEqual(r.reports.map((x) => conditionForTest(x, 'Accepted').status), ['True', 'True']);
    assert.deepEqual(r.reports.map((x) => conditionForTest(x, 'Programmed').reason), ['RefNotProgrammed', 'NodeNotSelected']);
    assert.deepEqual(r.resources.listeners, []);
  });
});

describe('nodeSelector', () => {
  const infra = withSpec(config(ADMIN), (spec) => {
    spec.nodeSelector = { matchLabels: { role: 'infra' } };
  });

  test('not selected: accepted, not programmed, contributes nothing', () => {
    const r = ingestForTest([infra], { nodeLabels: { role: 'worker' } });
    assert.equal(conditionForTest(r.reports[0], 'Accepted').status, 'True');
    const p = conditionForTest(r.reports[0], 'Programmed');
    assert.deepEqual([p.status, p.reason], ['False', 'NodeNotSelected']);
    assert.match(p.message, /role=infra/);
    assert.deepEqual(r.resources.listeners, []);
  });

  test('selected: served', () => {
    const r = ingestForTest([infra], { nodeLabels: { role: 'infra', 'kubernetes.io/hostname': 'weft' } });
    assert.equal(conditionForTest(r.reports[0], 'Programmed').status, 'True');
    assert.equal(r.resources.listeners?.length, 1);
  });

  test('an invalid selector is an error at spec.nodeSelector', () => {
    const bad = withSpec(config(ADMIN), (spec) => {
      spec.nodeSelector = { matchExpressions: [{ key: 'role', operator: 'Near', values: ['x'] }] };
    });
    const [d] = errors(ingestForTest([bad]).diagnostics);
    assert.equal(d.field, 'spec.nodeSelector');
    assert.match(d.message, /not a valid operator/);
  });
});

describe('conflicts between configs', () => {
  const at = (t: string): Record<string, unknown> => ({ creationTimestamp: t });

  test('the same cluster defined differently and the same Service port redirected: the older serves, both are told', () => {
    const older = withSpec(config(LB), () => {}, at('2024-01-01T00:00:00Z'));
    const newer = withSpec(config(CB), () => {}, at('2024-01-02T00:00:00Z'));
    const r = ingestForTest([newer, older], { services: ECHO });
    const [n, o] = r.reports;
    assert.deepEqual([conditionForTest(o, 'Programmed').status, conditionForTest(n, 'Programmed').reason], ['True', 'Conflicted']);
    const oc = conditionForTest(o, 'Conflicted');
    const nc = conditionForTest(n, 'Conflicted');
    assert.deepEqual([oc.status, nc.status], ['True', 'True']);
    assert.match(oc.message, /with CiliumEnvoyConfig default\/envoy-circuit-breaker \(newer\): Cluster "default\/echo-service-1" is defined differently; both redirect Service port default\/echo-service-1:8080/);
    assert.match(nc.message, /with CiliumClusterwideEnvoyConfig envoy-lb-listener \(older\)/);
    assert.deepEqual(r.resources.listeners?.map((l) => l.name), ['/envoy-lb-listener/envoy-lb-listener']);
    assert.equal(r.resources.clusters?.find((c) => c.name === 'default/echo-service-1')?.circuitBreakers?.thresholds[0].maxRetries, 128);
    assert.deepEqual([...r.redirectedServicePorts].sort(), ['default/echo-service-1:8080', 'default/echo-service-2:8080']);
    assert.ok(r.diagnostics.every((d) => d.severity === 'warning'));
    assert.ok(buildSnapshot(r.resources, '1').ok);

    const swapped = ingestForTest([withSpec(newer, () => {}, at('2023-12-31T00:00:00Z')), older], { services: ECHO });
    assert.deepEqual(swapped.reports.map((x) => conditionForTest(x, 'Programmed').status), ['True', 'False']);
  });

  test('identical definitions are no conflict: served once, with both configs as sources', () => {
    const a = withSpec(config(LB), (spec) => void (spec.services = []));
    const b = withSpec(config(CANARY), (spec) => void (spec.services = []));
    const r = ingestForTest([a, b]);
    assert.deepEqual(r.reports.map((x) => conditionForTest(x, 'Conflicted').status), ['False', 'False']);
    const c = r.resources.clusters?.find((x) => x.name === 'default/echo-service-1');
    assert.deepEqual(c?.sources.map((s) => `${s.kind} ${s.name} ${s.field}`), ['CiliumClusterwideEnvoyConfig envoy-lb-listener spec.resources[2]', 'CiliumEnvoyConfig envoy-lb-listener spec.resources[2]']);
    assert.equal(r.resources.clusters?.length, 2);
    assert.ok(buildSnapshot(r.resources, '1').ok);
  });

  test('two listeners on the same address', () => {
    const a = withSpec(config(ADMIN), () => {}, at('2024-01-01T00:00:00Z'));
    const b = withSpec(config(ADMIN), () => {}, { name: 'admin-again', ...at('2024-01-02T00:00:00Z') });
    const r = ingestForTest([a, b]);
    assert.match(conditionForTest(r.reports[1], 'Programmed').message, /both bind 127\.0\.0\.1:9901/);
    assert.equal(r.resources.listeners?.length, 1);
  });
});

describe('spec.services', () => {
  test('a Service that does not exist yet: accepted and programmed, the listener internal until it does', () => {
    const r = ingestForTest([config(EDS)]);
    assert.deepEqual(errors(r.diagnostics), []);
    assert.match(conditionForTest(r.reports[0], 'Programmed').message, /Service default\/helloworld does not exist yet/);
    assert.deepEqual(r.reports[0].listeners, [{ name: 'default/helloworld-lb/helloworld-lb-listener', addresses: [], internal: true }]);
    const later = ingestForTest([config(EDS)], { services: [serviceForTest('default', 'helloworld', '127.96.0.40', [5000])] });
    assert.deepEqual(later.reports[0].listeners[0].addresses, ['127.96.0.40:5000']);
  });

  test('a named listener, listed ports, and a listener that does not exist', () => {
    const two = withSpec(config(EDS), (spec) => {
      spec.services = [{ name: 'helloworld', listener: 'helloworld-lb-listener', ports: [5001] }];
    });
    const svc = serviceForTest('default', 'helloworld', '127.96.0.40', [5000, 5001, { port: 53, protocol: 'UDP' }]);
    const r = ingestForTest([two], { services: [svc] });
    assert.deepEqual(r.reports[0].redirects.map((x) => `${x.service}:${x.port}`), ['helloworld:5001']);

    const missing = withSpec(config(EDS), (spec) => {
      spec.services = [{ name: 'helloworld', listener: 'nope' }];
    });
    const [d] = errors(ingestForTest([missing], { services: [svc] }).diagnostics);
    assert.equal(d.field, 'spec.services[0].listener');
    assert.match(d.message, /no Listener named "nope"/);
  });

  test('an explicit listener address on a Service frontend it does not redirect is an error', () => {
    const squat = withSpec(config(ADMIN), (spec) => {
      const l = (spec.resources as Record<string, unknown>[])[0];
      l.address = { socket_address: { address: '127.96.0.21', port_value: 8080 } };
    });
    const [d] = errors(ingestForTest([squat], { services: ECHO }).diagnostics);
    assert.equal(d.field, 'spec.resources[0].address');
    assert.match(d.message, /address 127\.96\.0\.21:8080 is the frontend of Service port default\/echo-service-1:8080/);
  });

  test('in a CiliumEnvoyConfig the namespace is the config\'s own (a warning says another is ignored)', () => {
    const other = withSpec(config(EDS), (spec) => {
      spec.services = [{ name: 'helloworld', namespace: 'elsewhere' }];
    });
    const r = ingestForTest([other], { services: [serviceForTest('default', 'helloworld', '127.96.0.40', [5000]), serviceForTest('elsewhere', 'helloworld', '127.96.0.41', [5000])] });
    assert.equal(r.reports[0].redirects[0].namespace, 'default');
    assert.equal(r.diagnostics.find((d) => d.field === 'spec.services[0].namespace')?.severity, 'warning');
  });
});

describe('EDS and local names', () => {
  test('a local cluster and its ClusterLoadAssignment meet under the qualified name', () => {
    const local = withSpec(config(EDS), (spec) => {
      const resources = spec.resources as Record<string, unknown>[];
      const route = ((resources[1].virtual_hosts as Record<string, unknown>[])[0].routes as Record<string, Record<string, unknown>>[])[0].route;
      route.cluster = 'backend';
      resources[2].name = 'backend';
      resources.push({
        '@type': 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
        cluster_name: 'backend',
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.9', port_value: 80 } } } }] }],
      });
    });
    const r = ingestForTest([local]);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic).filter((d) => !d.includes('does not exist yet')), []);
    assert.deepEqual(r.reports[0].clusters, [{ name: 'default/helloworld-lb/backend', type: 'EDS', edsServiceName: 'default/helloworld-lb/backend' }]);
    assert.deepEqual(r.resources.endpoints?.map((e) => e.clusterName), ['default/helloworld-lb/backend']);
    assert.ok(buildSnapshot(r.resources, '1').ok);
  });

  test('an EDS name that no Service publishes is a warning', () => {
    const r = ingestForTest([config(EDS)], { services: [serviceForTest('default', 'helloworld', '127.96.0.40', [5000])] });
    assert.deepEqual(r.diagnostics, []);
    const none = ingestForTest([config(LB)]);
    assert.ok(none.diagnostics.some((d) => d.severity === 'warning' && /Service default\/echo-service-1 does not exist/.test(d.message)));
  });
});

describe('the result', () => {
  test('is deterministic and does not depend on input order (reports keep it)', () => {
    const items = [config(ADMIN), config(LB), config(CB), config(CANARY)].map((c, i) => withSpec(c, () => {}, { generation: i + 1 }));
    const a = ingestForTest(items, { services: ECHO });
    const b = ingestForTest([...items].reverse(), { services: ECHO });
    assert.deepEqual(a.resources, b.resources);
    assert.deepEqual(a.reports, [...b.reports].reverse());
    assert.deepEqual(a, ingestForTest(items, { services: ECHO }));
    assert.deepEqual(a.reports.map((r) => r.generation), [1, 2, 3, 4]);
    assert.ok(buildSnapshot(a.resources, '1').ok);
  });
});
