import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { recordAccess } from './access-tracker.ts';
import { preloadSchemas, schemaValidator } from './schemas.ts';

/** A stand-in for a compiled validator: `spec` is closed (a, b, list[] of closed {x}), `labels` a map, `open` untouched. */
function fakeValidate(data: any): boolean {
  if (data.spec !== undefined) {
    const s = data.spec;
    void s.a;
    void s.b;
    if (Array.isArray(s.list)) for (const item of s.list) void item.x;
  }
  if (data.labels !== undefined) for (const k in data.labels) void data.labels[k];
  void data.open;
  return true;
}

test('keys a closed node never asked for are unknown; known names come along', () => {
  const rec = recordAccess({ spec: { a: 1, c: 2 }, open: { anything: 1 } });
  fakeValidate(rec.proxy);
  const unknown = rec.unknownFields();
  assert.deepEqual(
    unknown.map((u) => [u.path, u.key]),
    [[['spec', 'c'], 'c']],
  );
  assert.deepEqual(unknown[0].known, ['a', 'b', 'list']);
});

test('nested objects inside arrays are checked with their index in the path', () => {
  const rec = recordAccess({ spec: { list: [{ x: 1 }, { x: 2, y: 3 }] } });
  fakeValidate(rec.proxy);
  assert.deepEqual(
    rec.unknownFields().map((u) => u.path),
    [['spec', 'list', 1, 'y']],
  );
});

test('enumerated maps and never-read nodes are open', () => {
  const rec = recordAccess({ labels: { anything: 'x', more: 'y' }, open: { free: { deeper: 1 } } });
  fakeValidate(rec.proxy);
  assert.deepEqual(rec.unknownFields(), []);
});

test('a top-level key the validator never reads is unknown at the root', () => {
  const rec = recordAccess({ spec: {}, extra: true });
  fakeValidate(rec.proxy);
  assert.deepEqual(
    rec.unknownFields().map((u) => u.key),
    ['extra'],
  );
});

test('`in` checks count as reads (a validator testing presence with `in`)', () => {
  const rec = recordAccess({ spec: { a: 1, q: 2 } });
  const p = rec.proxy as { spec: { a?: number } };
  assert.equal(p.spec.a, 1);
  assert.equal('q' in p.spec, true);
  assert.deepEqual(rec.unknownFields(), []);
});

test('the proxy is transparent: the validator sees the same values and shapes', () => {
  const data = { spec: { list: [1, 2], n: null } };
  const rec = recordAccess(data);
  const p = rec.proxy as typeof data;
  assert.equal(Array.isArray(p.spec.list), true);
  assert.equal(p.spec.list.length, 2);
  assert.equal(p.spec.n, null);
  assert.deepEqual(JSON.parse(JSON.stringify(p)), data);
});

before(() => preloadSchemas([{ apiVersion: 'v1', kind: 'Service' }, { apiVersion: 'cilium.io/v2', kind: 'CiliumEnvoyConfig' }]));

test('with a real validator: unknown fields at several depths of a Service, none in its maps', () => {
  const v = schemaValidator('', 'v1', 'Service');
  assert.ok(v);
  const rec = recordAccess({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', labels: { 'app.kubernetes.io/name': 'x' }, annotaions: {} },
    spec: { selector: { any: 'label' }, ports: [{ port: 80, prot: 'TCP' }], typo: 1 },
  });
  assert.equal(v.validate(rec.proxy), true);
  const paths = rec.unknownFields().map((u) => u.path.join('.')).sort();
  assert.deepEqual(paths, ['metadata.annotaions', 'spec.ports.0.prot', 'spec.typo']);
});

test("with a real validator: a CiliumEnvoyConfig's resources[] are open (preserve-unknown-fields)", () => {
  const v = schemaValidator('cilium.io', 'v2', 'CiliumEnvoyConfig');
  assert.ok(v);
  const rec = recordAccess({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumEnvoyConfig',
    metadata: { name: 'c' },
    spec: { resources: [{ '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener', filter_chains: [{ anything: 1 }] }], servics: [] },
  });
  v.validate(rec.proxy);
  assert.deepEqual(
    rec.unknownFields().map((u) => u.path.join('.')),
    ['spec.servics'],
  );
});
