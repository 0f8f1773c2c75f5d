import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindInfo } from '../api/kinds.ts';
import { parseResourcePath, resourceUrlPath } from './paths.ts';

test('core, named-group, namespaced and cluster-scoped paths', () => {
  const cases: [string, string, string | undefined, string | undefined, string | undefined][] = [
    ['/api/v1/services', 'Service', undefined, undefined, undefined],
    ['/api/v1/namespaces/ns1/services/productpage', 'Service', 'ns1', 'productpage', undefined],
    ['/api/v1/namespaces/ns1', 'Namespace', undefined, 'ns1', undefined],
    ['/api/v1/namespaces', 'Namespace', undefined, undefined, undefined],
    ['/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/r/status', 'HTTPRoute', 'default', 'r', 'status'],
    ['/apis/cilium.io/v2/ciliumclusterwideenvoyconfigs/x', 'CiliumClusterwideEnvoyConfig', undefined, 'x', undefined],
    ['/apis/networking.istio.io/v1beta1/namespaces/a/gateways', 'Gateway', 'a', undefined, undefined],
  ];
  for (const [path, kind, ns, name, sub] of cases) {
    const r = parseResourcePath(path);
    assert.equal(r.kind, 'resource', path);
    if (r.kind !== 'resource') continue;
    assert.equal(r.path.info.kind, kind, path);
    assert.equal(r.path.namespace, ns, path);
    assert.equal(r.path.name, name, path);
    assert.equal(r.path.subresource, sub, path);
  }
  const istio = parseResourcePath('/apis/networking.istio.io/v1beta1/namespaces/a/gateways');
  assert.ok(istio.kind === 'resource' && istio.path.info.group === 'networking.istio.io');
});

test('unknown resources, unserved versions and bad subresources are not found', () => {
  assert.equal(parseResourcePath('/api/v1/gizmos').kind, 'not-found');
  assert.equal(parseResourcePath('/apis/gateway.networking.k8s.io/v9/httproutes').kind, 'not-found');
  assert.equal(parseResourcePath('/api/v1/namespaces/a/services/x/scale').kind, 'not-found');
  assert.equal(parseResourcePath('/apis/cilium.io/v2/namespaces/a/ciliumclusterwideenvoyconfigs').kind, 'not-found');
  assert.equal(parseResourcePath('/config_dump').kind, 'not-resource');
});

test('resourceUrlPath is the inverse of parseResourcePath', () => {
  const svc = kindInfo('', 'Service');
  const ccec = kindInfo('cilium.io', 'CiliumClusterwideEnvoyConfig');
  assert.ok(svc && ccec);
  assert.equal(resourceUrlPath(svc, 'v1', 'ns 1', 'a/b'), '/api/v1/namespaces/ns%201/services/a%2Fb');
  assert.equal(resourceUrlPath(ccec, 'v2', 'ignored', 'x'), '/apis/cilium.io/v2/ciliumclusterwideenvoyconfigs/x');
  const back = parseResourcePath(resourceUrlPath(svc, 'v1', 'ns 1', 'a/b'));
  assert.ok(back.kind === 'resource' && back.path.namespace === 'ns 1' && back.path.name === 'a/b');
});
