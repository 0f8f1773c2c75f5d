import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SERVED_KINDS } from './kinds.ts';
import { joinApiVersion } from './object.ts';
import { hasSchema, preloadAllSchemas, preloadSchemas, schemaValidator, servedKindsWithoutSchemaForTest } from './schemas.ts';

test('every served group/version/kind has a schema validator', () => {
  assert.deepEqual(servedKindsWithoutSchemaForTest(), []);
  assert.equal(hasSchema('gateway.networking.k8s.io', 'v1alpha3', 'TLSRoute'), true);
  assert.equal(hasSchema('gateway.networking.k8s.io', 'v1alpha1', 'HTTPRoute'), false);
});

test('validators load on demand, once, and only for the kinds asked for', async () => {
  assert.equal(schemaValidator('', 'v1', 'ConfigMap'), undefined);
  await preloadSchemas([{ apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'v1', kind: 'NoSuchKind' }, 'junk', null, { kind: 'Service' }]);
  const cm = schemaValidator('', 'v1', 'ConfigMap');
  assert.ok(cm);
  assert.equal(schemaValidator('', 'v1', 'Secret'), undefined);
  await Promise.all([preloadSchemas([{ apiVersion: 'v1', kind: 'ConfigMap' }]), preloadSchemas([{ apiVersion: 'v1', kind: 'ConfigMap' }])]);
  assert.equal(schemaValidator('', 'v1', 'ConfigMap'), cm);
  assert.equal(cm.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }), true);
  assert.equal(cm.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 1 } }), false);
  assert.deepEqual(
    cm.validate.errors?.map((e) => [e.instancePath, e.keyword]),
    [['/data/a', 'type']],
  );
});

test('Cilium v2alpha1 Envoy configs are checked with the v2 schema, which the package has', async () => {
  await preloadSchemas([{ apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumEnvoyConfig' }]);
  const v = schemaValidator('cilium.io', 'v2alpha1', 'CiliumEnvoyConfig');
  assert.equal(v?.apiVersionAs, 'cilium.io/v2');
});

test('preloadAllSchemas loads a working validator for every served version', async () => {
  await preloadAllSchemas();
  for (const info of SERVED_KINDS) {
    for (const version of info.versions) {
      const v = schemaValidator(info.group, version, info.kind);
      assert.ok(v, `${info.group}/${version}/${info.kind}`);
      const apiVersion = v.apiVersionAs ?? joinApiVersion(info.group, version);
      // Type meta of another kind must be refused: proves the module is the kind's own.
      assert.equal(v.validate({ apiVersion, kind: 'Nope', metadata: { name: 'x' } }), false, `${apiVersion} ${info.kind}`);
      assert.ok(v.validate.errors?.some((e) => e.instancePath === '/kind'), `${apiVersion} ${info.kind} checks its kind`);
    }
  }
});
