import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { buildSnapshot } from './build-snapshot.ts';
import {
  hcmFilter,
  newCluster,
  newFilterChain,
  newHttpConnectionManager,
  newListener,
  newLoadAssignment,
  newRoute,
  newRouteConfiguration,
  newRouteMatch,
  newVirtualHost,
  toCluster,
} from './builders.ts';
import { clusterName, routeConfigName, secretName } from './ids.ts';
import type { Listener } from './listener.ts';
import type { RouteConfiguration } from './route-configuration.ts';
import type { SnapshotResources } from './snapshot.ts';

const CEC = { kind: 'CiliumEnvoyConfig', namespace: 'default', name: 'cec' } as const;

function routes(name: string, cluster: string): RouteConfiguration {
  return newRouteConfiguration({
    name,
    sources: [{ ...CEC, field: 'spec.resources[1]' }],
    virtualHosts: [
      newVirtualHost({
        name: 'vh',
        domains: ['*'],
        routes: [newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'prefix', prefix: '/' } }), action: toCluster(cluster) })],
      }),
    ],
  });
}

function listener(name: string, port: number, rds: string): Listener {
  return newListener({
    name,
    sources: [{ ...CEC, field: 'spec.resources[0]' }],
    address: { kind: 'socketAddress', address: '127.0.0.1', portValue: port },
    filterChains: [
      newFilterChain({
        filters: [hcmFilter(newHttpConnectionManager({ statPrefix: 'ingress', routeSpecifier: { kind: 'rds', rds: { routeConfigName: routeConfigName(rds) } } }))],
      }),
    ],
  });
}

function valid(): SnapshotResources {
  return {
    listeners: [listener('l2', 8081, 'r'), listener('l1', 8080, 'r')],
    routeConfigurations: [routes('r', 'default/echo')],
    clusters: [newCluster({ name: 'default/echo', type: 'EDS' }), newCluster({ name: 'a-static', type: 'STATIC', loadAssignment: newLoadAssignment('a-static', ['127.0.0.1:9000']) })],
    endpoints: [],
    secrets: [],
  };
}

function errors(r: ReturnType<typeof buildSnapshot>): Diagnostic[] {
  assert.equal(r.ok, false, 'expected diagnostics');
  return r.ok ? [] : r.error;
}

test('a valid snapshot is sorted by name, hashed and deep-frozen', () => {
  const r = buildSnapshot(valid(), '7');
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  const s = r.value;
  assert.equal(s.version, '7');
  assert.deepEqual(s.listeners.map((l) => l.name), ['l1', 'l2']);
  assert.deepEqual(s.clusters.map((c) => c.name), ['a-static', 'default/echo']);
  assert.match(s.hash, /^[0-9a-f]{64}$/);
  assert.ok(Object.isFrozen(s) && Object.isFrozen(s.listeners) && Object.isFrozen(s.listeners[0].filterChains[0].filters[0]));
  assert.throws(() => {
    (s.clusters as unknown as unknown[]).push(1);
  });
});

test('the hash depends on content, not on input order or version', () => {
  const a = buildSnapshot(valid(), '1');
  const input = valid();
  const b = buildSnapshot({ ...input, listeners: [...(input.listeners ?? [])].reverse(), clusters: [...(input.clusters ?? [])].reverse() }, '2');
  assert.ok(a.ok && b.ok);
  assert.equal(a.value.hash, b.value.hash);
  const c = buildSnapshot({ ...valid(), listeners: [listener('l1', 8080, 'r'), listener('l2', 9999, 'r')] }, '1');
  assert.ok(c.ok);
  assert.notEqual(c.value.hash, a.value.hash);
});

test('an HCM rds name that no RouteConfiguration has is reported with its field path', () => {
  const ds = errors(buildSnapshot({ ...valid(), listeners: [listener('l1', 8080, 'missing')] }, '1'));
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, 'WEFT_UNRESOLVED_REF');
  assert.deepEqual(ds[0].object, { kind: 'CiliumEnvoyConfig', namespace: 'default', name: 'cec' });
  assert.equal(ds[0].field, 'spec.resources[0].filterChains[0].filters[0].typedConfig.rds.routeConfigName');
  assert.match(ds[0].message, /Listener "l1": route configuration "missing" does not exist/);
});

test('route cluster, weighted clusters and mirrors must name existing clusters', () => {
  const rc = newRouteConfiguration({
    name: 'r',
    virtualHosts: [
      newVirtualHost({
        name: 'vh',
        domains: ['*'],
        routes: [
          newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'path', path: '/a' } }), action: toCluster('nope') }),
          newRoute({
            match: newRouteMatch({ pathSpecifier: { kind: 'prefix', prefix: '/' } }),
            action: toCluster('default/echo', {
              clusterSpecifier: {
                kind: 'weightedClusters',
                weightedClusters: {
                  clusters: [
                    { name: clusterName('default/echo'), weight: 90, requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [], typedPerFilterConfig: {} },
                    { name: clusterName('gone'), weight: 10, requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [], typedPerFilterConfig: {} },
                  ],
                },
              },
              requestMirrorPolicies: [{ cluster: clusterName('shadow') }],
            }),
          }),
        ],
      }),
    ],
  });
  const ds = errors(buildSnapshot({ ...valid(), routeConfigurations: [rc] }, '1'));
  assert.deepEqual(ds.map((d) => d.field), [
    'virtualHosts[0].routes[0].route.cluster',
    'virtualHosts[0].routes[1].route.weightedClusters.clusters[1].name',
    'virtualHosts[0].routes[1].route.requestMirrorPolicies[0].cluster',
  ]);
  assert.deepEqual(ds[0].object, { kind: 'RouteConfiguration', name: 'r' });
});

test('the built-in admin cluster resolves under both of its names without being defined', () => {
  const r = buildSnapshot({ ...valid(), routeConfigurations: [routes('r', 'envoy-admin')] }, '1');
  assert.ok(r.ok);
  const r2 = buildSnapshot({ ...valid(), routeConfigurations: [routes('r', '/envoy-admin')] }, '1');
  assert.ok(r2.ok);
  const ds = errors(buildSnapshot({ ...valid(), clusters: [...(valid().clusters ?? []), newCluster({ name: 'envoy-admin', type: 'STATIC' })] }, '1'));
  assert.match(ds[0].message, /built-in admin cluster/);
});

test('an EDS cluster without a ClusterLoadAssignment is fine (no endpoints yet, as in Envoy)', () => {
  const r = buildSnapshot(valid(), '1');
  assert.ok(r.ok);
  assert.deepEqual(r.value.endpoints, []);
});

test('tcp_proxy clusters and SDS secrets must resolve', () => {
  const l = newListener({
    name: 'tcp',
    address: { kind: 'socketAddress', address: '127.0.0.1', portValue: 9443 },
    filterChains: [
      newFilterChain({
        transportSocket: { commonTlsContext: { tlsCertificates: [], tlsCertificateSdsSecretConfigs: [{ name: secretName('default/cert') }], alpnProtocols: [] } },
        filters: [{ kind: 'tcpProxy', name: 'envoy.filters.network.tcp_proxy', typedConfig: { statPrefix: 't', clusterSpecifier: { kind: 'cluster', cluster: clusterName('backend') }, accessLog: [] } }],
      }),
    ],
  });
  const ds = errors(buildSnapshot({ ...valid(), listeners: [l] }, '1'));
  assert.deepEqual(ds.map((d) => d.field), [
    'filterChains[0].transportSocket.commonTlsContext.tlsCertificateSdsSecretConfigs[0].name',
    'filterChains[0].filters[0].typedConfig.cluster',
  ]);
  const ok = buildSnapshot(
    {
      ...valid(),
      listeners: [l],
      clusters: [...(valid().clusters ?? []), newCluster({ name: 'backend', type: 'STATIC' })],
      secrets: [{ name: secretName('default/cert'), sources: [], type: { kind: 'tlsCertificate', tlsCertificate: { certificateChain: { kind: 'inlineString', inlineString: 'x' }, privateKey: { kind: 'inlineString', inlineString: 'y' } } } }],
    },
    '1',
  );
  assert.ok(ok.ok, JSON.stringify(!ok.ok && ok.error));
});

test('duplicate names per type are conflicts', () => {
  const ds = errors(buildSnapshot({ ...valid(), routeConfigurations: [routes('r', 'default/echo'), routes('r', 'a-static')] }, '1'));
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, 'WEFT_CONFLICT');
  assert.match(ds[0].message, /RouteConfiguration name "r" is defined more than once \(also defined by CiliumEnvoyConfig default\/cec\)/);
});

test('Envoy refusals: router not last, duplicate domains, bad regexes, two listeners on one address', () => {
  const hcm = newHttpConnectionManager({
    statPrefix: 'x',
    httpFilters: [
      { kind: 'router', name: 'envoy.filters.http.router', typedConfig: {} },
      { kind: 'fault', name: 'envoy.filters.http.fault', typedConfig: { headers: [], downstreamNodes: [] } },
    ],
    routeSpecifier: {
      kind: 'routeConfig',
      routeConfig: newRouteConfiguration({
        name: 'inline',
        virtualHosts: [
          newVirtualHost({
            name: 'a',
            domains: ['Foo.com', 'foo.com'],
            routes: [
              newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'safeRegex', regex: '/(a' } }), action: toCluster('a-static', { regexRewrite: { pattern: '^/(x)$', substitution: '/\\2' } }) }),
            ],
          }),
        ],
      }),
    },
  });
  const l = newListener({ name: 'l3', address: { kind: 'socketAddress', address: '127.0.0.1', portValue: 8080 }, filterChains: [newFilterChain({ filters: [hcmFilter(hcm)] })] });
  const ds = errors(buildSnapshot({ ...valid(), listeners: [...(valid().listeners ?? []), l] }, '1'));
  const got = ds.map((d) => `${d.field}: ${d.message.replace(/^Listener "l3": /, '')}`);
  assert.deepEqual(got, [
    'filterChains[0].filters[0].typedConfig.routeConfig.virtualHosts[0].domains[1]: domain "foo.com" is also listed by virtual host "a"; domains must be unique within a route configuration',
    'filterChains[0].filters[0].typedConfig.httpFilters[0]: terminal filter named envoy.filters.http.router must be the last filter in a http filter chain',
    'filterChains[0].filters[0].typedConfig.httpFilters[1]: non-terminal filter named envoy.filters.http.fault is the last filter in a http filter chain',
    'filterChains[0].filters[0].typedConfig.routeConfig.virtualHosts[0].routes[0].match.safeRegex.regex: invalid RE2 regex "/(a": error parsing regexp: missing closing ): `/(a`',
    'filterChains[0].filters[0].typedConfig.routeConfig.virtualHosts[0].routes[0].route.regexRewrite.substitution: substitution "/\\\\2" refers to group \\2, but the pattern has 1',
    'address: address 127.0.0.1:8080 is already used by listener "l1"',
  ]);
});

test('cluster checks: lb_config must fit lb_policy, STATIC hosts must be IPs, weights ≥ 1', () => {
  const bad = newCluster({
    name: 'b',
    type: 'STATIC',
    lbPolicy: 'ROUND_ROBIN',
    lbConfig: { kind: 'maglevLbConfig', maglevLbConfig: { tableSize: 100 } },
    loadAssignment: newLoadAssignment('b', ['example.com:80', { address: '127.0.0.1:81', weight: 0 }]),
  });
  const ds = errors(buildSnapshot({ ...valid(), clusters: [...(valid().clusters ?? []), bad] }, '1'));
  assert.deepEqual(ds.map((d) => d.field), [
    'lbConfig',
    'lbConfig.maglevLbConfig.tableSize',
    'loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.address',
    'loadAssignment.endpoints[0].lbEndpoints[1].loadBalancingWeight',
  ]);
});

test('a listener with no filter chain, and a chain that does not end in a terminal filter', () => {
  const empty = newListener({ name: 'e', address: { kind: 'socketAddress', address: '127.0.0.2', portValue: 1 }, filterChains: [] });
  const open = newListener({
    name: 'o',
    address: { kind: 'socketAddress', address: '127.0.0.3', portValue: 1 },
    filterChains: [newFilterChain({ filters: [{ kind: 'connectionLimit', name: 'cl', typedConfig: { statPrefix: 'c', maxConnections: 10 } }] })],
  });
  const ds = errors(buildSnapshot({ ...valid(), listeners: [empty, open] }, '1'));
  assert.deepEqual(ds.map((d) => d.message), [
    'Listener "e": no filter chains specified',
    'Listener "o": non-terminal filter named cl is the last filter in a network filter chain',
  ]);
});

test('lookups: an EDS cluster reads the assignment of its service name, else its own name', async () => {
  const { findCluster, loadAssignmentFor } = await import('./snapshot-lookup.ts');
  const r = buildSnapshot(
    {
      clusters: [
        newCluster({ name: 'default/echo', type: 'EDS', edsClusterConfig: { serviceName: 'default/echo:8080' } }),
        newCluster({ name: 'default/bare', type: 'EDS' }),
        newCluster({ name: 'default/none', type: 'EDS' }),
        newCluster({ name: 'static', type: 'STATIC', loadAssignment: newLoadAssignment('static', ['127.0.0.1:1']) }),
      ],
      endpoints: [newLoadAssignment('default/echo:8080', ['127.0.0.1:8080']), newLoadAssignment('default/bare', ['127.0.0.1:9090'])],
    },
    '1',
  );
  assert.ok(r.ok);
  const s = r.value;
  const port = (name: string) => {
    const c = findCluster(s, name);
    assert.ok(c);
    const a = loadAssignmentFor(s, c)?.endpoints[0].lbEndpoints[0].endpoint.address;
    return a?.kind === 'socketAddress' ? a.portValue : undefined;
  };
  assert.equal(port('default/echo'), 8080);
  assert.equal(port('default/bare'), 9090);
  assert.equal(port('default/none'), undefined);
  assert.equal(port('static'), 1);
  assert.equal(findCluster(s, 'nope'), undefined);
});

test('configHash ignores provenance, the snapshot hash does not', async () => {
  const { configHash } = await import('./snapshot-lookup.ts');
  const a = listener('l1', 8080, 'r');
  const b = { ...a, sources: [{ kind: 'Bootstrap', name: 'envoy.yaml', position: { file: 'envoy.yaml', line: 3, column: 1 } }] };
  assert.equal(configHash(a), configHash(b));
  assert.notEqual(configHash(a), configHash({ ...a, address: { kind: 'socketAddress', address: '127.0.0.1', portValue: 1 } }));
  const sa = buildSnapshot({ ...valid(), listeners: [a] }, '1');
  const sb = buildSnapshot({ ...valid(), listeners: [b] }, '1');
  assert.ok(sa.ok && sb.ok);
  assert.notEqual(sa.value.hash, sb.value.hash);
});
