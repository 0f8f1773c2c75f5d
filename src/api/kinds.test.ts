import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveKind, SERVED_KINDS } from './kinds.ts';

test('kubectl names resolve: plural, singular, short names, Kind, kind.group', () => {
  const cases: [string, string, string][] = [
    ['svc', '', 'Service'],
    ['services', '', 'Service'],
    ['Service', '', 'Service'],
    ['ep', '', 'Endpoints'],
    ['ing', 'networking.k8s.io', 'Ingress'],
    ['gtw', 'gateway.networking.k8s.io', 'Gateway'],
    ['gateway', 'gateway.networking.k8s.io', 'Gateway'],
    ['gateways.networking.istio.io', 'networking.istio.io', 'Gateway'],
    ['gateway.networking.istio.io', 'networking.istio.io', 'Gateway'],
    ['httproute', 'gateway.networking.k8s.io', 'HTTPRoute'],
    ['cec', 'cilium.io', 'CiliumEnvoyConfig'],
    ['ccec', 'cilium.io', 'CiliumClusterwideEnvoyConfig'],
    ['cnp', 'cilium.io', 'CiliumNetworkPolicy'],
    ['ccnp', 'cilium.io', 'CiliumClusterwideNetworkPolicy'],
    ['ippools', 'cilium.io', 'CiliumLoadBalancerIPPool'],
    ['deploy', 'apps', 'Deployment'],
    ['deployment.apps', 'apps', 'Deployment'],
    ['vs', 'networking.istio.io', 'VirtualService'],
  ];
  for (const [name, group, kind] of cases) {
    const info = resolveKind(name);
    assert.ok(info, name);
    assert.equal(info.group, group, name);
    assert.equal(info.kind, kind, name);
  }
  assert.equal(resolveKind('gizmo'), undefined);
});

test('plurals and short names are unique within a group', () => {
  const seen = new Set<string>();
  for (const i of SERVED_KINDS) {
    for (const n of [i.plural, ...i.shortNames]) {
      const key = `${i.group}/${n}`;
      assert.ok(!seen.has(key), key);
      seen.add(key);
    }
  }
});
