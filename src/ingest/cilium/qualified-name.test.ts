import assert from 'node:assert/strict';
import { test } from 'node:test';
import { qualifyClusterRef, qualifyName } from './qualified-name.ts';

const CEC = { namespace: 'default', configName: 'envoy-lb-listener' };
const CCEC = { namespace: '', configName: 'envoy-lb-listener' };

test('qualifyName follows Cilium ResourceQualifiedName, forced and not', () => {
  const cases: [typeof CEC, string, boolean, string][] = [
    [CEC, 'envoy-lb-listener', true, 'default/envoy-lb-listener/envoy-lb-listener'],
    [CCEC, 'envoy-lb-listener', true, '/envoy-lb-listener/envoy-lb-listener'],
    [CEC, 'lb_route', true, 'default/envoy-lb-listener/lb_route'],
    [CEC, '', true, ''],
    [CEC, '', false, ''],
    // Not forced: a slash means "already qualified".
    [CEC, 'default/echo-service-1', false, 'default/echo-service-1'],
    [CEC, 'other/echo', false, 'other/echo'],
    [CCEC, 'default/echo-service-1', false, 'default/echo-service-1'],
    [CEC, 'echo', false, 'default/envoy-lb-listener/echo'],
    // Forced: kept only when the first segment is the config's namespace.
    [CEC, 'default/other-cec/route', true, 'default/other-cec/route'],
    [CEC, 'other/x', true, 'default/envoy-lb-listener/other/x'],
    [CEC, 'defaultx/y', true, 'default/envoy-lb-listener/defaultx/y'],
    [CCEC, '/other-ccec/route', true, '/other-ccec/route'],
    [CCEC, 'default/x', true, '/envoy-lb-listener/default/x'],
  ];
  for (const [scope, name, force, want] of cases) assert.equal(qualifyName(scope, name, force), want, `${scope.namespace}|${name}|${force}`);
});

test('references to the built-in admin cluster are never qualified', () => {
  assert.equal(qualifyClusterRef(CCEC, 'envoy-admin'), 'envoy-admin');
  assert.equal(qualifyClusterRef(CEC, '/envoy-admin'), '/envoy-admin');
  assert.equal(qualifyClusterRef(CEC, 'envoy-admin-2'), 'default/envoy-lb-listener/envoy-admin-2');
});
