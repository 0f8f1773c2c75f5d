import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRoute, newRouteConfiguration, newRouteMatch, newVirtualHost, toCluster } from '../builders.ts';
import { routeConfigurationJsonForTest } from './kitchen-sink-expected.ts';
import { kitchenSinkRouteConfigurationForTest } from './kitchen-sink-routes.ts';
import { encodeRouteConfiguration } from './route-configuration.ts';

test('the kitchen-sink route configuration encodes to the hand-written Envoy JSON', () => {
  assert.deepEqual(encodeRouteConfiguration(kitchenSinkRouteConfigurationForTest()), routeConfigurationJsonForTest('rc-kitchen-sink'));
});

test('a minimal route configuration prints only what is set, as protojson does', () => {
  const rc = newRouteConfiguration({
    name: 'r',
    virtualHosts: [newVirtualHost({ name: 'vh', domains: ['*'], routes: [newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'prefix', prefix: '' } }), action: toCluster('c') })] })],
  });
  // An empty prefix is still printed: it is the set member of the path_specifier oneof. No sources: no metadata.
  assert.deepEqual(encodeRouteConfiguration(rc), { name: 'r', virtual_hosts: [{ name: 'vh', domains: ['*'], routes: [{ match: { prefix: '' }, route: { cluster: 'c' } }] }] });
});

test('values equal to Envoy defaults of plain fields are left out; wrapped and message values are kept', () => {
  const rc = newRouteConfiguration({
    name: 'r',
    mostSpecificHeaderMutationsWins: false,
    requestHeadersToAdd: [{ header: { key: 'k', value: '' }, appendAction: 'APPEND_IF_EXISTS_OR_ADD', keepEmptyValue: false }],
    virtualHosts: [
      newVirtualHost({
        name: 'vh',
        domains: ['*'],
        requireTls: 'NONE',
        routes: [
          newRoute({
            match: newRouteMatch({ pathSpecifier: { kind: 'prefix', prefix: '/' }, caseSensitive: true, runtimeFraction: 0 }),
            action: toCluster('c', { timeoutMs: 15_000, priority: 'DEFAULT', clusterNotFoundResponseCode: 'SERVICE_UNAVAILABLE' }),
          }),
        ],
      }),
    ],
  });
  assert.deepEqual(encodeRouteConfiguration(rc), {
    name: 'r',
    virtual_hosts: [
      {
        name: 'vh',
        domains: ['*'],
        routes: [{ match: { prefix: '/', case_sensitive: true, runtime_fraction: { default_value: {} } }, route: { cluster: 'c', timeout: '15s' } }],
      },
    ],
    request_headers_to_add: [{ header: { key: 'k' } }],
  });
});
