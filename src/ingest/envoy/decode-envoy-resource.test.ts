// Every CiliumEnvoyConfig / CiliumClusterwideEnvoyConfig of the seed tutorials (test/fixtures/envoy/
// <seed>/) decodes with no Diagnostic, into the model the tutorials rely on.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatDiagnostic, type Diagnostic } from '../../lib/diagnostic.ts';
import type { Cluster, HttpConnectionManager, Listener, RouteAction, RouteConfiguration } from '../../model/index.ts';
import { decodeEnvoyResource } from './decode-envoy-resource.ts';
import type { ModelResource } from './model-resource.ts';
import { parseYamlWithPositions } from './yaml-positions.ts';

const FIXTURES = new URL('../../../test/fixtures/envoy/', import.meta.url).pathname;

interface Decoded {
  readonly file: string;
  readonly resources: ModelResource[];
  readonly diagnostics: Diagnostic[];
}

function decodeFixture(relative: string): Decoded {
  const file = join(FIXTURES, relative);
  const parsed = parseYamlWithPositions(readFileSync(file, 'utf8'), relative);
  assert.deepEqual(parsed.errors, []);
  const cec = parsed.value as { kind: string; metadata: { name: string; namespace?: string }; spec: { resources: unknown[] } };
  const object = { kind: cec.kind, name: cec.metadata.name, ...(cec.metadata.namespace ? { namespace: cec.metadata.namespace } : {}) };
  const resources: ModelResource[] = [];
  const diagnostics: Diagnostic[] = [];
  cec.spec.resources.forEach((r, i) => {
    const out = decodeEnvoyResource(r, undefined, parsed.positionOf, { basePath: ['spec', 'resources', i], object });
    diagnostics.push(...out.diagnostics);
    if (out.resource) resources.push(out.resource);
  });
  return { file: relative, resources, diagnostics };
}

function allFixtures(): string[] {
  const out: string[] = [];
  for (const seed of readdirSync(FIXTURES).sort()) for (const f of readdirSync(join(FIXTURES, seed)).sort()) out.push(`${seed}/${f}`);
  return out;
}

function listener(d: Decoded): Listener {
  const r = d.resources.find((x) => x.kind === 'listener');
  assert.ok(r && r.kind === 'listener', `${d.file}: no listener`);
  return r.listener;
}

function hcm(l: Listener): HttpConnectionManager {
  const f = l.filterChains[0].filters[0];
  assert.equal(f.kind, 'httpConnectionManager');
  return f.typedConfig as HttpConnectionManager;
}

function routeConfig(d: Decoded): RouteConfiguration {
  const r = d.resources.find((x) => x.kind === 'routeConfiguration');
  assert.ok(r && r.kind === 'routeConfiguration', `${d.file}: no route configuration`);
  return r.routeConfiguration;
}

function clusters(d: Decoded): Cluster[] {
  return d.resources.flatMap((r) => (r.kind === 'cluster' ? [r.cluster] : []));
}

function routeAction(rc: RouteConfiguration, route = 0): RouteAction {
  const a = rc.virtualHosts[0].routes[route].action;
  assert.equal(a.kind, 'route');
  return a.route;
}

function weights(a: RouteAction): [string, number][] {
  assert.equal(a.clusterSpecifier.kind, 'weightedClusters');
  return a.clusterSpecifier.weightedClusters.clusters.map((c) => [c.name, c.weight]);
}

describe('seed CiliumEnvoyConfigs', () => {
  const files = allFixtures();

  test('the fixtures cover seeds 000, 002, 003 and 004', () => {
    const seeds = new Set(files.map((f) => f.split('/')[0].slice(0, 3)));
    assert.deepEqual([...seeds].sort(), ['000', '002', '003', '004']);
    assert.equal(files.filter((f) => f.startsWith('004_')).length, 9);
  });

  for (const f of files) {
    test(`${f} decodes with no diagnostics`, () => {
      const d = decodeFixture(f);
      assert.deepEqual(d.diagnostics.map(formatDiagnostic), []);
      const count = (parseYamlWithPositions(readFileSync(join(FIXTURES, f), 'utf8'), f).value as { spec: { resources: unknown[] } }).spec.resources.length;
      assert.equal(d.resources.length, count);
    });
  }
});

describe('decoded model', () => {
  test('helloworld v1 90% / v2 10% with retries and outlier detection (seeds 000, 003, 004)', () => {
    for (const f of ['000_de0512868188f176/envoy-helloworld-v1-90-v2-10.yaml', '003_9b0a95b1e3daf133/envoy-helloworld-v1-90-v2-10.yaml', '004_ead56103dfc75f11/07-envoy-helloworld-v1-90-v2-10.yaml']) {
      const d = decodeFixture(f);
      const l = listener(d);
      assert.equal(l.name, 'envoy-lb-listener');
      assert.equal(l.address, undefined, 'no address: an internal (redirect) listener');
      const h = hcm(l);
      assert.deepEqual(h.routeSpecifier, { kind: 'rds', rds: { routeConfigName: 'lb_route' } });
      assert.equal(h.statPrefix, 'envoy-lb-listener');
      assert.deepEqual(h.httpFilters, [{ kind: 'router', typedConfig: {}, name: 'envoy.filters.http.router' }]);
      const a = routeAction(routeConfig(d));
      assert.deepEqual(weights(a), [['default/helloworld-v1', 90], ['default/helloworld-v2', 10]]);
      assert.deepEqual(a.retryPolicy?.retryOn, ['5xx']);
      assert.equal(a.retryPolicy?.numRetries, 3);
      assert.equal(a.retryPolicy?.perTryTimeoutMs, 1000);
      const cs = clusters(d);
      assert.deepEqual(cs.map((c) => [c.name, c.type, c.lbPolicy, c.connectTimeoutMs]), [
        ['default/helloworld-v1', 'EDS', 'ROUND_ROBIN', 5000],
        ['default/helloworld-v2', 'EDS', 'ROUND_ROBIN', 3000],
      ]);
      assert.deepEqual(cs[0].outlierDetection, { splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailure: 2 });
    }
  });

  test('seed 002: blue 10% / yellow 90%, written in lowerCamelCase', () => {
    const d = decodeFixture('002_ffbe72aadee52216/cec.yaml');
    assert.deepEqual(weights(routeAction(routeConfig(d))), [['handson/handson-blue', 10], ['handson/handson-yellow', 90]]);
    assert.deepEqual(hcm(listener(d)).routeSpecifier, { kind: 'rds', rds: { routeConfigName: 'handson_color_route' } });
    assert.deepEqual(clusters(d).map((c) => c.connectTimeoutMs), [5000, 5000]);
    assert.deepEqual(listener(d).sources, [
      {
        kind: 'CiliumEnvoyConfig',
        namespace: 'handson',
        name: 'handson-color-split',
        field: 'spec.resources[0]',
        position: { file: '002_ffbe72aadee52216/cec.yaml', line: 19, column: 7 },
      },
    ]);
  });

  test('traffic management: 50/50, regex_rewrite ^/foo.*$ → /, retries; router without typed_config', () => {
    for (const f of ['003_9b0a95b1e3daf133/envoy-traffic-management-test.yaml', '004_ead56103dfc75f11/02-envoy-lb-listener-url-rewrite.yaml']) {
      const d = decodeFixture(f);
      const a = routeAction(routeConfig(d));
      assert.deepEqual(weights(a), [['default/echo-service-1', 50], ['default/echo-service-2', 50]]);
      assert.deepEqual(a.regexRewrite, { pattern: '^/foo.*$', substitution: '/' });
      assert.deepEqual(a.retryPolicy?.retryOn, ['5xx']);
      assert.equal(hcm(listener(d)).httpFilters.at(-1)?.kind, 'router');
    }
  });

  test('header canary: deprecated exact_match becomes string_match.exact', () => {
    const d = decodeFixture('004_ead56103dfc75f11/09-envoy-lb-listener-header-canary.yaml');
    const rc = routeConfig(d);
    const canary = rc.virtualHosts[0].routes[0];
    assert.deepEqual(canary.match.headers, [{ name: 'version', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: 'foo' } } }]);
    const a = routeAction(rc, 0);
    assert.deepEqual(a.clusterSpecifier, { kind: 'cluster', cluster: 'default/echo-service-1' });
    assert.deepEqual(a.regexRewrite, { pattern: '^/foo.*$', substitution: '/' });
    assert.deepEqual(weights(routeAction(rc, 1)), [['default/echo-service-1', 50], ['default/echo-service-2', 50]]);
  });

  test('local rate limit: token bucket 2 per 5s, enabled and enforced 100%, x-local-rate-limit header', () => {
    const d = decodeFixture('004_ead56103dfc75f11/03-envoy-lb-listener-local-ratelimit.yaml');
    const h = hcm(listener(d));
    assert.equal(h.statPrefix, 'envoy-ratelimit');
    assert.deepEqual(h.httpFilters.map((f) => f.kind), ['localRateLimit', 'router']);
    const f = h.httpFilters[0];
    assert.equal(f.kind, 'localRateLimit');
    assert.equal(f.name, 'envoy.filters.http.local_ratelimit');
    assert.deepEqual(f.typedConfig, {
      statPrefix: 'http_local_rate_limiter',
      tokenBucket: { maxTokens: 2, tokensPerFill: 2, fillIntervalMs: 5000 },
      filterEnabled: 1,
      filterEnforced: 1,
      requestHeadersToAddWhenNotEnforced: [],
      responseHeadersToAdd: [{ header: { key: 'x-local-rate-limit', value: 'true' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
    });
  });

  test('circuit breaker: max_requests 2, max_pending_requests 1, EDS service name (seeds 003 and 004)', () => {
    const d3 = decodeFixture('003_9b0a95b1e3daf133/envoy-circuit-breaker.yaml');
    const c3 = clusters(d3)[0];
    assert.deepEqual(c3.circuitBreakers, { thresholds: [{ priority: 'DEFAULT', maxRequests: 2, maxPendingRequests: 1 }] });
    assert.deepEqual(c3.edsClusterConfig, { serviceName: 'default/echo-service' });
    assert.equal(hcm(listener(d3)).useRemoteAddress, true);
    assert.equal(hcm(listener(d3)).skipXffAppend, true);
    const d4 = decodeFixture('004_ead56103dfc75f11/04-envoy-circuit-breaker.yaml');
    assert.deepEqual(clusters(d4)[0].circuitBreakers, { thresholds: [{ priority: 'DEFAULT', maxRequests: 2, maxPendingRequests: 1 }] });
  });

  test('STATIC cluster with endpoint weights 20 and 80', () => {
    const d = decodeFixture('004_ead56103dfc75f11/06-helloworld-lb-static-weights.yaml');
    const c = clusters(d)[0];
    assert.equal(c.type, 'STATIC');
    assert.equal(c.loadAssignment?.clusterName, 'default/helloworld');
    const eps = c.loadAssignment?.endpoints[0].lbEndpoints ?? [];
    assert.deepEqual(
      eps.map((e) => [e.endpoint.address, e.loadBalancingWeight]),
      [
        [{ kind: 'socketAddress', address: '10.0.0.55', portValue: 5000 }, 20],
        [{ kind: 'socketAddress', address: '10.0.0.238', portValue: 5000 }, 80],
      ],
    );
    assert.deepEqual(routeAction(routeConfig(d)).clusterSpecifier, { kind: 'cluster', cluster: 'default/helloworld' });
  });

  test('admin listener on [::]:9901 routes everything to the envoy-admin cluster', () => {
    const d = decodeFixture('004_ead56103dfc75f11/01-envoy-admin-listener.yaml');
    const l = listener(d);
    assert.deepEqual(l.address, { kind: 'socketAddress', address: '::', portValue: 9901, ipv4Compat: true });
    const h = hcm(l);
    assert.equal(h.routeSpecifier.kind, 'routeConfig');
    const rc = h.routeSpecifier.routeConfig;
    assert.equal(rc.name, 'admin_route');
    assert.deepEqual(rc.virtualHosts[0].domains, ['*']);
    assert.deepEqual(rc.virtualHosts[0].routes[0].match.pathSpecifier, { kind: 'prefix', prefix: '/' });
    assert.deepEqual(routeAction(rc).clusterSpecifier, { kind: 'cluster', cluster: 'envoy-admin' });
    assert.deepEqual(rc.sources, l.sources, 'an inline route configuration carries its listener’s source');
  });

  test('Prometheus listener on [::]:9090: exact /metrics rewritten to /stats/prometheus on envoy-admin', () => {
    const d = decodeFixture('004_ead56103dfc75f11/08-envoy-prometheus-metrics-listener.yaml');
    const l = listener(d);
    assert.deepEqual(l.address, { kind: 'socketAddress', address: '::', portValue: 9090, ipv4Compat: true });
    const rc = routeConfig(d);
    assert.equal(rc.name, 'prometheus_route');
    assert.deepEqual(rc.virtualHosts[0].routes[0].match.pathSpecifier, { kind: 'path', path: '/metrics' });
    const a = routeAction(rc);
    assert.deepEqual(a.clusterSpecifier, { kind: 'cluster', cluster: 'envoy-admin' });
    assert.equal(a.prefixRewrite, '/stats/prometheus');
  });

  test('every resource names its CEC, its place in it and its line', () => {
    const d = decodeFixture('004_ead56103dfc75f11/07-envoy-helloworld-v1-90-v2-10.yaml');
    const fields = d.resources.map((r) => {
      const res = r.kind === 'listener' ? r.listener : r.kind === 'routeConfiguration' ? r.routeConfiguration : r.kind === 'cluster' ? r.cluster : undefined;
      return res?.sources[0];
    });
    assert.deepEqual(
      fields.map((s) => [s?.kind, s?.name, s?.field, s?.position?.line]),
      [
        ['CiliumEnvoyConfig', 'envoy-lb-listener', 'spec.resources[0]', 16],
        ['CiliumEnvoyConfig', 'envoy-lb-listener', 'spec.resources[1]', 30],
        ['CiliumEnvoyConfig', 'envoy-lb-listener', 'spec.resources[2]', 49],
        ['CiliumEnvoyConfig', 'envoy-lb-listener', 'spec.resources[3]', 57],
      ],
    );
  });
});
