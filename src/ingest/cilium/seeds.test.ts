// Every CiliumEnvoyConfig / CiliumClusterwideEnvoyConfig of the seed tutorials (test/fixtures/seeds,
// test/fixtures/envoy) is accepted and programmed with no error, under the names Cilium gives, and
// what comes out builds as a snapshot, together with the services ingest's EDS assignments.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDiagnostic } from '../../lib/diagnostic.ts';
import { buildSnapshot } from '../../model/index.ts';
import type { Cluster, HttpConnectionManager, Listener, RouteAction, RouteConfiguration, SnapshotResources } from '../../model/index.ts';
import { ingestServices } from '../services.ts';
import { CILIUM_DEFAULT_CIRCUIT_BREAKERS } from './cluster-defaults.ts';
import {
  conditionForTest,
  fixtureFilesForTest,
  ingestForTest,
  isEnvoyConfigForTest,
  readFixtureForTest,
  serviceForTest,
  type PositionedObjectForTest,
} from './test-support.ts';

const SEED_FILES = [...fixtureFilesForTest('seeds'), ...fixtureFilesForTest('envoy')];
const ECHO = [serviceForTest('default', 'echo-service-1', '127.96.0.21', [8080]), serviceForTest('default', 'echo-service-2', '127.96.0.22', [{ port: 8080, nodePort: 30080 }], 'NodePort')];

function only(file: string): PositionedObjectForTest[] {
  return readFixtureForTest(file).filter((o) => isEnvoyConfigForTest(o.object));
}

function listener(resources: SnapshotResources, name: string): Listener {
  const l = resources.listeners?.find((x) => x.name === name);
  assert.ok(l, `no listener ${name}; have ${resources.listeners?.map((x) => x.name).join(', ')}`);
  return l;
}

function hcm(l: Listener): HttpConnectionManager {
  const f = l.filterChains[0].filters[0];
  assert.equal(f.kind, 'httpConnectionManager');
  return f.typedConfig;
}

function routeAction(rc: RouteConfiguration, route = 0): RouteAction {
  const a = rc.virtualHosts[0].routes[route].action;
  assert.equal(a.kind, 'route');
  return a.route;
}

function cluster(resources: SnapshotResources, name: string): Cluster {
  const c = resources.clusters?.find((x) => x.name === name);
  assert.ok(c, `no cluster ${name}`);
  return c;
}

describe('every seed config, alone', () => {
  const configs = SEED_FILES.flatMap((f) => only(f).map((o) => ({ file: f, o })));

  test('the seeds hold the expected configs', () => {
    assert.equal(configs.length, 24); // 10 in seeds/, 14 in envoy/
  });

  for (const { file, o } of configs) {
    test(`${file}: accepted, programmed, no error, builds`, () => {
      const r = ingestForTest([o], { services: ECHO });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map(formatDiagnostic), []);
      assert.equal(conditionForTest(r.reports[0], 'Accepted').status, 'True');
      assert.equal(conditionForTest(r.reports[0], 'Programmed').status, 'True', conditionForTest(r.reports[0], 'Programmed').message);
      assert.equal(conditionForTest(r.reports[0], 'Conflicted').status, 'False');
      assert.ok((r.resources.listeners ?? []).length >= 1);
      const built = buildSnapshot(r.resources, '1');
      assert.ok(built.ok, built.ok ? '' : built.error.map(formatDiagnostic).join('\n'));
    });
  }
});

describe('names as Cilium qualifies them', () => {
  test('a CiliumClusterwideEnvoyConfig: /<name>/<listener>, the RDS name and its RouteConfiguration alike, clusters with "/" unchanged', () => {
    const r = ingestForTest(only('seeds/004_ead56103dfc75f11-02-lb-listener-url-rewrite.yaml'), { services: ECHO });
    const l = listener(r.resources, '/envoy-lb-listener/envoy-lb-listener');
    assert.deepEqual(hcm(l).routeSpecifier, { kind: 'rds', rds: { routeConfigName: '/envoy-lb-listener/lb_route' } });
    const rc = r.resources.routeConfigurations?.[0];
    assert.equal(rc?.name, '/envoy-lb-listener/lb_route');
    assert.equal(rc.virtualHosts[0].name, '/envoy-lb-listener/lb_route');
    const a = routeAction(rc);
    assert.equal(a.clusterSpecifier.kind, 'weightedClusters');
    assert.deepEqual(a.clusterSpecifier.weightedClusters.clusters.map((c) => [c.name, c.weight]), [['default/echo-service-1', 50], ['default/echo-service-2', 50]]);
    assert.deepEqual(r.resources.clusters?.map((c) => c.name), ['default/echo-service-1', 'default/echo-service-2']);
    assert.deepEqual(r.reports[0].routeConfigurations, ['/envoy-lb-listener/lb_route']);
  });

  test('a CiliumEnvoyConfig: <namespace>/<name>/<listener>', () => {
    const r = ingestForTest(only('seeds/004_ead56103dfc75f11-09-helloworld-v1-90-v2-10.yaml'));
    const l = listener(r.resources, 'default/envoy-lb-listener/envoy-lb-listener');
    assert.deepEqual(hcm(l).routeSpecifier, { kind: 'rds', rds: { routeConfigName: 'default/envoy-lb-listener/lb_route' } });
    assert.deepEqual(r.resources.routeConfigurations?.map((x) => x.name), ['default/envoy-lb-listener/lb_route']);
    assert.deepEqual(r.reports[0].object, { kind: 'CiliumEnvoyConfig', namespace: 'default', name: 'envoy-lb-listener' });
    assert.deepEqual(r.reports[0].backendServices, ['default/helloworld', 'default/helloworld-v1', 'default/helloworld-v2']);
  });

  test('references to the admin cluster stay as written; wildcard listeners bind the node address', () => {
    const admin = ingestForTest(only('seeds/004_ead56103dfc75f11-01-admin-listener.yaml'), { nodeAddress: '127.0.0.1' });
    const l = listener(admin.resources, '/envoy-admin-listener/envoy-admin-listener');
    assert.deepEqual(l.address, { kind: 'socketAddress', address: '127.0.0.1', portValue: 9901 });
    const spec = hcm(l).routeSpecifier;
    assert.equal(spec.kind, 'routeConfig');
    assert.equal(spec.routeConfig.name, '/envoy-admin-listener/admin_route');
    assert.deepEqual(routeAction(spec.routeConfig).clusterSpecifier, { kind: 'cluster', cluster: 'envoy-admin' });
    assert.deepEqual(admin.reports[0].listeners, [{ name: '/envoy-admin-listener/envoy-admin-listener', addresses: ['127.0.0.1:9901'], internal: false }]);

    const prom = ingestForTest(only('seeds/004_ead56103dfc75f11-10-prometheus-metrics-listener.yaml'), { nodeAddress: '127.0.0.7' });
    const rc = prom.resources.routeConfigurations?.[0];
    assert.equal(rc?.name, '/envoy-prometheus-metrics-listener/prometheus_route');
    const a = routeAction(rc);
    assert.deepEqual(a.clusterSpecifier, { kind: 'cluster', cluster: 'envoy-admin' });
    assert.equal(a.prefixRewrite, '/stats/prometheus');
    assert.deepEqual(prom.reports[0].listeners[0].addresses, ['127.0.0.7:9090']);
  });

  test('STATIC clusters keep their endpoints; load_assignment cluster_name is qualified like a cluster name', () => {
    const r = ingestForTest(only('seeds/004_ead56103dfc75f11-07-helloworld-lb-static-weights.yaml'));
    const c = cluster(r.resources, 'default/helloworld');
    assert.equal(c.type, 'STATIC');
    assert.equal(c.loadAssignment?.clusterName, 'default/helloworld');
    assert.deepEqual(c.loadAssignment?.endpoints[0].lbEndpoints.map((e) => e.loadBalancingWeight), [20, 80]);
    assert.deepEqual(r.reports[0].clusters, [{ name: 'default/helloworld', type: 'STATIC' }]);
  });
});

describe('cluster defaults', () => {
  test('no circuit_breakers: Cilium\'s one DEFAULT threshold (1024 connections, 1024 requests, 128 retries)', () => {
    const r = ingestForTest(only('seeds/004_ead56103dfc75f11-06-helloworld-lb-eds.yaml'));
    assert.deepEqual(cluster(r.resources, 'default/helloworld').circuitBreakers, {
      thresholds: [{ priority: 'DEFAULT', maxConnections: 1024, maxRequests: 1024, maxRetries: 128 }],
    });
    assert.deepEqual(CILIUM_DEFAULT_CIRCUIT_BREAKERS.thresholds.length, 1);
  });

  test('given circuit_breakers are kept verbatim, with nothing merged in', () => {
    const r = ingestForTest(only('seeds/004_ead56103dfc75f11-05-circuit-breaker.yaml'));
    assert.deepEqual(cluster(r.resources, 'default/echo-service-1').circuitBreakers, { thresholds: [{ priority: 'DEFAULT', maxRequests: 2, maxPendingRequests: 1 }] });
  });

  test('an EDS cluster without service_name reads its own qualified name; a given service_name is kept', () => {
    const eds = ingestForTest(only('seeds/004_ead56103dfc75f11-09-helloworld-v1-90-v2-10.yaml'));
    assert.deepEqual(eds.reports[0].clusters.map((c) => [c.name, c.edsServiceName]), [
      ['default/helloworld-v1', 'default/helloworld-v1'],
      ['default/helloworld-v2', 'default/helloworld-v2'],
    ]);
    assert.deepEqual(cluster(eds.resources, 'default/helloworld-v1').edsClusterConfig, { serviceName: 'default/helloworld-v1' });
    const cb = ingestForTest(only('envoy/003_9b0a95b1e3daf133/envoy-circuit-breaker.yaml'));
    assert.deepEqual(cb.reports[0].clusters, [{ name: 'default/echo-service', type: 'EDS', edsServiceName: 'default/echo-service' }]);
  });
});

describe('redirects (spec.services)', () => {
  test('the listener binds each redirected ClusterIP port, and node address:nodePort for a NodePort Service', () => {
    const r = ingestForTest(only('seeds/004_ead56103dfc75f11-02-lb-listener-url-rewrite.yaml'), { services: ECHO, nodeAddress: '127.0.0.1' });
    const l = listener(r.resources, '/envoy-lb-listener/envoy-lb-listener');
    assert.deepEqual(l.address, { kind: 'socketAddress', address: '127.96.0.21', portValue: 8080 });
    assert.deepEqual(l.additionalAddresses, [
      { kind: 'socketAddress', address: '127.96.0.22', portValue: 8080 },
      { kind: 'socketAddress', address: '127.0.0.1', portValue: 30080 },
    ]);
    assert.deepEqual(
      l.sources.map((s) => `${s.kind} ${s.namespace ?? ''}/${s.name}`),
      ['CiliumClusterwideEnvoyConfig /envoy-lb-listener', 'Service default/echo-service-1', 'Service default/echo-service-2'],
    );
    assert.deepEqual(r.reports[0].redirects, [
      { namespace: 'default', service: 'echo-service-1', port: 8080, listener: '/envoy-lb-listener/envoy-lb-listener', addresses: ['127.96.0.21:8080'] },
      { namespace: 'default', service: 'echo-service-2', port: 8080, listener: '/envoy-lb-listener/envoy-lb-listener', addresses: ['127.96.0.22:8080', '127.0.0.1:30080'] },
    ]);
    assert.deepEqual([...r.redirectedServicePorts].sort(), ['default/echo-service-1:8080', 'default/echo-service-2:8080']);
    assert.equal(conditionForTest(r.reports[0], 'Programmed').message, '1 listener, 2 clusters; intercepts default/echo-service-1:8080, default/echo-service-2:8080');
  });

  test('with the services ingest: every EDS cluster finds its assignment, and the whole builds', () => {
    const files = ['seeds/004_ead56103dfc75f11-01-admin-listener.yaml', 'seeds/004_ead56103dfc75f11-09-helloworld-v1-90-v2-10.yaml', 'seeds/004_ead56103dfc75f11-10-prometheus-metrics-listener.yaml', 'seeds/004_ead56103dfc75f11-02-lb-listener-url-rewrite.yaml'];
    const items = files.flatMap(only);
    const hello = ['helloworld', 'helloworld-v1', 'helloworld-v2'].map((n, i) => serviceForTest('default', n, `127.96.0.${31 + i}`, [{ port: 5000, name: 'http' }]));
    const services = [...ECHO, ...hello];
    const slices = services.map((s) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${s.metadata.name}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': s.metadata.name } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.244.0.9'] }],
      ports: [{ port: 9000, protocol: 'TCP', ...(s.metadata.name.startsWith('hello') ? { name: 'http' } : {}) }],
    }));
    const svc = ingestServices({ services, endpointSlices: slices, endpoints: [] });
    const r = ingestForTest(items, { services, externalClusters: new Set(svc.resources.clusters?.map((c) => c.name)) });
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
    assert.ok(r.reports.every((x) => conditionForTest(x, 'Programmed').status === 'True'));
    const assignments = new Set(svc.resources.endpoints?.map((e) => e.clusterName));
    for (const c of r.resources.clusters ?? []) if (c.type === 'EDS') assert.ok(assignments.has(c.edsClusterConfig?.serviceName ?? ''), c.name);
    const serviceListeners = (svc.resources.listeners ?? []).filter((l) => !r.redirectedServicePorts.has(l.name.replace(/^service\//, '').replace(/\/node-port$/, '')));
    const built = buildSnapshot({ ...r.resources, listeners: [...(r.resources.listeners ?? []), ...serviceListeners], clusters: [...(r.resources.clusters ?? []), ...(svc.resources.clusters ?? [])], endpoints: svc.resources.endpoints }, '1');
    assert.ok(built.ok, built.ok ? '' : built.error.map(formatDiagnostic).join('\n'));
  });
});
