import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { preloadSchemas } from './schemas.ts';
import { resolveServedKind, validateKubeObject, withoutNulls } from './validate.ts';

before(() =>
  preloadSchemas([
    { apiVersion: 'v1', kind: 'Service' },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
    { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumEnvoyConfig' },
    { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' },
    { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy' },
  ]),
);

function summary(o: unknown) {
  return validateKubeObject(o).map((i) => `${i.code} ${i.path.join('.')}: ${i.message}`);
}

const svc = (spec: unknown, metadata: unknown = { name: 'web' }) => ({ apiVersion: 'v1', kind: 'Service', metadata, spec });

test('a valid object has no issues', () => {
  assert.deepEqual(summary(svc({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] })), []);
});

test('not an object; missing or empty apiVersion/kind', () => {
  assert.deepEqual(summary([1]), ['WEFT_NOT_AN_OBJECT : a manifest must be an object (a YAML mapping), got a list']);
  assert.deepEqual(summary({ kind: 'Service', metadata: { name: 'x' } }), ['WEFT_MISSING_TYPE_META apiVersion: missing required field "apiVersion"']);
  assert.deepEqual(summary({ apiVersion: 'v1', kind: '' }), ['WEFT_MISSING_TYPE_META kind: missing required field "kind"']);
  assert.deepEqual(summary({ apiVersion: 1, kind: 'Service' }), ['WEFT_MISSING_TYPE_META apiVersion: apiVersion must be a string']);
});

test('unknown kinds list the served kinds and hint at the right group, version or spelling', () => {
  const other = resolveServedKind('networking.istio.io/v1alpha3', 'HTTPRoute');
  assert.ok('code' in other);
  assert.equal(other.code, 'WEFT_UNKNOWN_KIND');
  assert.deepEqual(other.path, ['kind']);
  assert.match(other.message, /^unknown kind "HTTPRoute" in apiVersion "networking.istio.io\/v1alpha3"; weft serves: v1 Namespace, v1 Service, /);
  assert.match(other.message, /cilium.io\/v2 CiliumEnvoyConfig/);
  assert.equal(other.hint, 'HTTPRoute is served as gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1');

  const version = resolveServedKind('gateway.networking.k8s.io/v1alpha1', 'HTTPRoute');
  assert.ok('code' in version);
  assert.deepEqual(version.path, ['apiVersion']);
  assert.match(version.message, /^HTTPRoute is not served in apiVersion "gateway.networking.k8s.io\/v1alpha1"; weft serves: /);
  assert.equal(version.hint, 'HTTPRoute in gateway.networking.k8s.io is served as gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1');

  const lower = resolveServedKind('v1', 'service');
  assert.ok('code' in lower);
  assert.equal(lower.hint, 'kinds are case-sensitive: did you mean kind Service (v1)?');
  const typo = resolveServedKind('apps/v1', 'Deploymnet');
  assert.ok('code' in typo);
  assert.equal(typo.hint, 'did you mean kind Deployment?');
  const none = resolveServedKind('batch/v1', 'CronJob');
  assert.ok('code' in none);
  assert.equal(none.hint, undefined);

  const served = resolveServedKind('gateway.networking.k8s.io/v1beta1', 'HTTPRoute');
  assert.ok(!('code' in served));
  assert.equal(served.version, 'v1beta1');
});

test('schema errors, unknown fields (with suggestions), metadata and semantics together', () => {
  const got = summary(
    svc({ ports: [{ port: 'eighty', prot: 'TCP' }, { port: 0, name: 'b' }], selectr: {} }, { name: 'Web', labeles: { a: 'b' } }),
  );
  assert.deepEqual(got, [
    'WEFT_WRONG_TYPE spec.ports.0.port: must be integer, got string "eighty"',
    'WEFT_UNKNOWN_FIELD metadata.labeles: unknown field "labeles"; did you mean "labels"?',
    'WEFT_UNKNOWN_FIELD spec.selectr: unknown field "selectr"; did you mean "selector"?',
    'WEFT_UNKNOWN_FIELD spec.ports.0.prot: unknown field "prot"; did you mean "port"?',
    "WEFT_INVALID_NAME metadata.name: invalid name: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')",
    'WEFT_INVALID_VALUE spec.ports.1.port: must be between 1 and 65535, inclusive; got 0',
    'WEFT_REQUIRED_FIELD spec.ports.0.name: every port of a Service with several ports needs a name',
  ]);
});

test('unknown fields without a close match list the known ones', () => {
  const issues = validateKubeObject({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r' },
    spec: { rules: [{ backendRefs: [{ name: 's', port: 80, weighted_cluster: 90 }] }] },
  });
  assert.equal(issues.length, 1);
  assert.deepEqual(issues[0].path, ['spec', 'rules', 0, 'backendRefs', 0, 'weighted_cluster']);
  assert.equal(issues[0].message, 'unknown field "weighted_cluster"');
  assert.equal(issues[0].hint, 'known fields here: filters, group, kind, name, namespace, port, weight');
});

test('null fields count as absent, as the API server treats them', () => {
  assert.deepEqual(withoutNulls({ a: null, b: [null, { c: null, d: 1 }] }), { b: [null, { d: 1 }] });
  assert.deepEqual(summary(svc({ ports: [{ port: 80 }], selector: null, clusterIP: null }, { name: 'web', labels: null, creationTimestamp: null })), []);
  // a CRD's metadata given as null is a missing metadata
  assert.deepEqual(
    summary({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: null, spec: {} }),
    ['WEFT_REQUIRED_FIELD metadata.name: missing required field "name"'],
  );
});

test('v2alpha1 CiliumEnvoyConfig validates with the v2 schema; its Envoy resources are open', () => {
  const cec = {
    apiVersion: 'cilium.io/v2alpha1',
    kind: 'CiliumEnvoyConfig',
    metadata: { name: 'envoy-lb-listener' },
    spec: { services: [{ name: 'helloworld', namespace: 'default' }], resources: [{ '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener', whatever: { deep: [1] } }] },
  };
  assert.deepEqual(summary(cec), []);
  assert.deepEqual(summary({ ...cec, spec: { ...cec.spec, backendServics: [] } }), [
    'WEFT_UNKNOWN_FIELD spec.backendServics: unknown field "backendServics"; did you mean "backendServices"?',
  ]);
});

test("CiliumNetworkPolicy's description is accepted (the packaged schema lacks it) and type-checked", () => {
  const cnp = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p' }, spec: { description: 'why', endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] } };
  assert.deepEqual(summary(cnp), []);
  assert.deepEqual(summary({ ...cnp, spec: { ...cnp.spec, description: 5 } }), ['WEFT_WRONG_TYPE spec.description: must be string, got number 5']);
  const ccnp = { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'p' }, specs: [{ description: 'a', endpointSelector: {}, egress: [{ toEndpoints: [{}] }] }] };
  assert.deepEqual(summary(ccnp), []);
  assert.deepEqual(summary({ ...cnp, spec: { endpointSelector: {} } }), ['WEFT_REQUIRED_FIELD spec: must set one of "ingress", "ingressDeny", "egress", "egressDeny"']);
});

test('validating a kind whose validator was never loaded is a programming error', () => {
  assert.throws(() => validateKubeObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }), /schema validator for \/v1\/Secret is not loaded; await preloadSchemas/);
});
