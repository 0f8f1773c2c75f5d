import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { preloadSchemas } from '../api/schemas.ts';
import { parseManifestFile } from './parse-file.ts';
import { objectIdentity, objectRefOf, validateObject } from './validate-object.ts';

before(() => preloadSchemas([{ apiVersion: 'v1', kind: 'Service' }, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }]));

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: prod
spec:
  parentRefs:
  - name: gw
  rules:
  - matches:
    - path: {type: PathPrefix, value: /}
    backendRefs:
    - name: svc
      port: 8080
      wieght: 90
`;

test('diagnostics carry position, object, field path and hint', () => {
  const [o] = parseManifestFile({ name: 'route.yaml', content: ROUTE }).objects;
  assert.deepEqual(validateObject(o), [
    {
      code: 'WEFT_UNKNOWN_FIELD',
      severity: 'error',
      message: 'unknown field "wieght"; did you mean "weight"?',
      position: { file: 'route.yaml', line: 15, column: 7 },
      object: { kind: 'HTTPRoute', namespace: 'prod', name: 'r' },
      field: 'spec.rules[0].backendRefs[0].wieght',
    },
  ]);
});

test('without a source: no position; without a name: no object reference', () => {
  const object = { apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { ports: [{ port: 80 }] } } as unknown as KubeObject;
  assert.deepEqual(validateObject({ object }), [
    { code: 'WEFT_REQUIRED_FIELD', severity: 'error', message: 'missing required field "name"', field: 'metadata.name' },
  ]);
});

test('an error about the whole object has no field', () => {
  const d = validateObject({ object: { apiVersion: 'v1', kind: 'Nope', metadata: { name: 'x' } } as KubeObject });
  assert.equal(d.length, 1);
  assert.equal(d[0].code, 'WEFT_UNKNOWN_KIND');
  assert.equal(d[0].field, 'kind');
  assert.deepEqual(d[0].object, { kind: 'Nope', name: 'x' });
});

test('object references and identities', () => {
  assert.deepEqual(objectRefOf({ kind: 'Service', metadata: { name: 'a', namespace: 'b' } }), { kind: 'Service', namespace: 'b', name: 'a' });
  assert.deepEqual(objectRefOf({ kind: 'Namespace', metadata: { name: 'a' } }), { kind: 'Namespace', name: 'a' });
  assert.equal(objectRefOf({ kind: 'Service', metadata: { name: '' } }), undefined);
  assert.equal(objectRefOf('x'), undefined);
  assert.equal(
    objectIdentity({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'n' } }),
    objectIdentity({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'n' } }),
  );
  assert.notEqual(
    objectIdentity({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'n' } }),
    objectIdentity({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'n' } }),
  );
});
