import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { preloadSchemas } from '../api/schemas.ts';
import { loadManifests, normaliseObject } from './load.ts';

before(() =>
  preloadSchemas([
    { apiVersion: 'v1', kind: 'Service' },
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'v1', kind: 'Namespace' },
    { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool' },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
    { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'HTTPRoute' },
  ]),
);

const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

test('namespaces: default for namespaced kinds (or the one given), dropped for cluster-scoped ones', () => {
  const files = [
    { name: 'a.yaml', content: `${cm('one')}---\n${cm('two', '  namespace: prod\n')}` },
    { name: 'b.yaml', content: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  namespace: ignored\n---\napiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: pool, namespace: x}\nspec:\n  blocks: [{cidr: 10.0.0.0/24}]\n' },
  ];
  const r = loadManifests(files);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(
    r.objects.map((o) => [o.object.kind, o.object.metadata.name, o.object.metadata.namespace]),
    [
      ['ConfigMap', 'one', 'default'],
      ['ConfigMap', 'two', 'prod'],
      ['Namespace', 'prod', undefined],
      ['CiliumLoadBalancerIPPool', 'pool', undefined],
    ],
  );
  assert.equal('namespace' in r.objects[2].object.metadata, false);
  const other = loadManifests(files.slice(0, 1), { defaultNamespace: 'handson' });
  assert.deepEqual(other.objects.map((o) => o.object.metadata.namespace), ['handson', 'prod']);
});

test('objects are normalised copies: nulls dropped, the parsed input untouched', () => {
  const input = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: null }, data: null };
  const n = normaliseObject(input);
  assert.deepEqual(n, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } });
  assert.deepEqual(input.metadata, { name: 'x', labels: null });
  assert.deepEqual(normaliseObject('odd'), 'odd');
  assert.deepEqual(normaliseObject({ apiVersion: 'v1', kind: 'Unknown', metadata: { name: 'x' } }), { apiVersion: 'v1', kind: 'Unknown', metadata: { name: 'x' } });
});

test('duplicates (same group, kind, namespace, name, any version) are reported at the second, naming the first', () => {
  const route = (v: string, ns = '') => `apiVersion: gateway.networking.k8s.io/${v}\nkind: HTTPRoute\nmetadata:\n  name: r\n${ns}spec: {}\n`;
  const r = loadManifests([
    { name: 'one.yaml', content: `${cm('same')}---\n${route('v1')}` },
    { name: 'two.yaml', content: `# again\n${route('v1beta1')}---\n${route('v1', '  namespace: other\n')}---\n${cm('same', '  namespace: default\n')}` },
  ]);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.position?.file, d.position?.line, d.message]),
    [
      ['WEFT_DUPLICATE_OBJECT', 'two.yaml', 2, 'HTTPRoute default/r is already defined at one.yaml:6'],
      ['WEFT_DUPLICATE_OBJECT', 'two.yaml', 15, 'ConfigMap default/same is already defined at one.yaml:1'],
    ],
  );
  assert.deepEqual(
    r.objects.map((o) => `${o.object.kind} ${o.object.metadata.namespace}/${o.object.metadata.name}`),
    ['ConfigMap default/same', 'HTTPRoute default/r', 'HTTPRoute other/r'],
  );
});

test('every problem of the batch is reported, in file order; only valid objects are returned', () => {
  const r = loadManifests([
    { name: 'x.yaml', content: `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: x}]\n  typo: 1\n---\nkind: ConfigMap\ndata:\n  k: a: b\n---\n${cm('ok')}` },
    { name: 'y.yaml', content: 'apiVersion: nope/v1\nkind: Thing\nmetadata: {name: t}\n' },
  ]);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.position?.file, d.position?.line]),
    [
      ['WEFT_WRONG_TYPE', 'x.yaml', 5],
      ['WEFT_UNKNOWN_FIELD', 'x.yaml', 6],
      ['WEFT_YAML_SYNTAX', 'x.yaml', 10],
      ['WEFT_UNKNOWN_KIND', 'y.yaml', 2],
    ],
  );
  assert.deepEqual(r.objects.map((o) => o.object.metadata.name), ['ok']);
});

test('an invalid default namespace is reported like a written one', () => {
  const r = loadManifests([{ name: 'c.yaml', content: cm('x') }], { defaultNamespace: 'Not_Valid' });
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.field]), [['WEFT_INVALID_NAME', 'metadata.namespace']]);
});
