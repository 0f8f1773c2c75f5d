import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestFile } from './parse-file.ts';

const TWO_DOCS = `# leading comment
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - name: http
    port: 80
  - {name: https, port: 443}
---
---
# only a comment
---
~
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data:
  key: value
`;

test('multi-document YAML: objects with where they start, empty documents skipped', () => {
  const r = parseManifestFile({ name: 'm.yaml', content: TWO_DOCS });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.objects.length, 2);
  const [svc, cm] = r.objects;
  assert.deepEqual([svc.source?.file, svc.source?.line, svc.source?.column, svc.source?.documentIndex], ['m.yaml', 2, 1, 0]);
  assert.deepEqual([cm.source?.line, cm.source?.column, cm.source?.documentIndex], [17, 1, 4]);
  assert.equal(cm.object.kind, 'ConfigMap');
});

test('positionOf: a field is where its key is, an item where it starts, a missing path at its nearest ancestor', () => {
  const [svc, cm] = parseManifestFile({ name: 'm.yaml', content: TWO_DOCS }).objects;
  const at = (o: typeof svc, path: (string | number)[]) => {
    const p = o.source?.positionOf(path);
    return p ? [p.line, p.column] : undefined;
  };
  assert.deepEqual(at(svc, []), [2, 1]);
  assert.deepEqual(at(svc, ['spec']), [6, 1]);
  assert.deepEqual(at(svc, ['spec', 'ports']), [7, 3]);
  assert.deepEqual(at(svc, ['spec', 'ports', 0]), [8, 5]);
  assert.deepEqual(at(svc, ['spec', 'ports', 0, 'port']), [9, 5]);
  assert.deepEqual(at(svc, ['spec', 'ports', 1]), [10, 5]);
  assert.deepEqual(at(svc, ['spec', 'ports', 1, 'port']), [10, 19]);
  assert.deepEqual(at(svc, ['spec', 'ports', 1, 'targetPort']), [10, 5]);
  assert.deepEqual(at(svc, ['spec', 'ports', 7, 'port']), [7, 3]);
  assert.deepEqual(at(svc, ['spec', 'selector', 'app']), [6, 1]);
  assert.deepEqual(at(cm, ['metadata', 'name']), [19, 12]);
  assert.equal(svc.source?.positionOf(['spec']).file, 'm.yaml');
});

test('CRLF line endings keep lines and columns right', () => {
  const r = parseManifestFile({ name: 'w.yaml', content: 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n' });
  const p = r.objects[0].source?.positionOf(['metadata', 'name']);
  assert.deepEqual([p?.line, p?.column], [4, 3]);
  assert.equal(r.objects[0].object.metadata.name, 'x');
});

test('a syntax error drops its document only, with the parser line:column and a hint', () => {
  const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  k: a: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
  const r = parseManifestFile({ name: 'e.yaml', content });
  assert.deepEqual(
    r.objects.map((o) => o.object.metadata.name),
    ['a', 'c'],
  );
  assert.deepEqual(r.objects.map((o) => o.source?.documentIndex), [0, 2]);
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.code, 'WEFT_YAML_SYNTAX');
  assert.equal(d.severity, 'error');
  assert.deepEqual(d.position, { file: 'e.yaml', line: 8, column: 6 });
  assert.equal(d.message, 'Nested mappings are not allowed in compact mappings');
  assert.match(d.hint ?? '', /must be quoted/);
});

test('duplicate keys and tab indentation are syntax errors', () => {
  const dup = parseManifestFile({ name: 'd.yaml', content: 'a: 1\nb: 2\na: 3\n' });
  assert.deepEqual([dup.diagnostics[0].code, dup.diagnostics[0].position?.line, dup.diagnostics[0].position?.column], ['WEFT_YAML_SYNTAX', 3, 1]);
  assert.equal(dup.objects.length, 0);
  const tab = parseManifestFile({ name: 't.yaml', content: 'a:\n\tb: 1\n' });
  assert.equal(tab.diagnostics[0].position?.line, 2);
  assert.match(tab.diagnostics[0].hint ?? '', /spaces/);
});

test('YAML 1.1 scalars as kubectl (go-yaml v2) reads them', () => {
  const content = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: x}',
    'v:',
    '  on: 1',
    '  a: on',
    '  b: yes',
    '  c: Y',
    '  d: off',
    '  e: NO',
    '  f: n',
    '  quoted: "yes"',
    '  octal: 0755',
    '  hex: 0x1F',
    '  under: 1_000',
    '  clock: 12:30',
    '  date: 2024-01-01',
    '  stamp: 2024-01-01T10:00:00Z',
    '  float: 1.5',
    '  exp: 1e3',
    '  tilde: ~',
    '  empty:',
    '  version: 1.10',
  ].join('\n');
  const r = parseManifestFile({ name: 'y.yaml', content });
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.objects[0].object.v, {
    true: 1,
    a: true,
    b: true,
    c: true,
    d: false,
    e: false,
    f: false,
    quoted: 'yes',
    octal: 493,
    hex: 31,
    under: 1000,
    clock: '12:30',
    date: '2024-01-01',
    stamp: '2024-01-01T10:00:00Z',
    float: 1.5,
    exp: 1000,
    tilde: null,
    empty: null,
    version: 1.1,
  });
});

test('merge keys and aliases resolve; fields inside them are placed at the anchor', () => {
  const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nbase: &b\n  one: 1\ndata:\n  <<: *b\n  two: "2"\n';
  const [o] = parseManifestFile({ name: 'a.yaml', content }).objects;
  assert.deepEqual(o.object.data, { one: 1, two: '2' });
  const p = o.source?.positionOf(['data', 'one']);
  assert.deepEqual([p?.line, p?.column], [5, 3]);
});

test('objects are plain JSON data', () => {
  const [o] = parseManifestFile({ name: 'p.yaml', content: TWO_DOCS }).objects;
  assert.deepEqual(JSON.parse(JSON.stringify(o.object)), o.object);
  assert.equal(Object.getPrototypeOf(o.object), Object.prototype);
  assert.equal(Object.getPrototypeOf((o.object.spec as { ports: unknown[] }).ports), Array.prototype);
});

test('types JSON cannot hold are refused: infinities, and YAML-only tags stay unresolved', () => {
  const inf = parseManifestFile({ name: 'i.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nv:\n  n: .inf\n' });
  assert.equal(inf.objects.length, 0);
  assert.deepEqual([inf.diagnostics[0].code, inf.diagnostics[0].position?.line, inf.diagnostics[0].position?.column], ['WEFT_INVALID_VALUE', 5, 3]);
  const bin = parseManifestFile({ name: 'b.yaml', content: 'apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata:\n  k: !!binary aGVsbG8=\n' });
  assert.equal(bin.objects[0].object.data && (bin.objects[0].object.data as Record<string, unknown>).k, 'aGVsbG8=');
  assert.deepEqual(bin.diagnostics.map((d) => [d.code, d.severity]), [['WEFT_YAML_SYNTAX', 'warning']]);
});

test('a document that is not a mapping is not an object', () => {
  const r = parseManifestFile({ name: 's.yaml', content: '- a\n- b\n---\njust text\n' });
  assert.equal(r.objects.length, 0);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.position?.line, d.message]),
    [
      ['WEFT_NOT_AN_OBJECT', 1, 'a manifest must be an object (a YAML mapping), got a list'],
      ['WEFT_NOT_AN_OBJECT', 4, 'a manifest must be an object (a YAML mapping), got a string'],
    ],
  );
});

test('kind: List (and FooList) become their items, each with its own position', () => {
  const content = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- apiVersion: v1',
    '  kind: ConfigMap',
    '  metadata: {name: a}',
    '- apiVersion: v1',
    '  kind: ServiceList',
    '  items:',
    '  - apiVersion: v1',
    '    kind: Service',
    '    metadata: {name: b}',
    '- 42',
  ].join('\n');
  const r = parseManifestFile({ name: 'l.yaml', content });
  assert.deepEqual(
    r.objects.map((o) => [o.object.metadata.name, o.source?.line, o.source?.column, o.source?.documentIndex]),
    [
      ['a', 4, 3, 0],
      ['b', 10, 5, 0],
    ],
  );
  const p = r.objects[1].source?.positionOf(['metadata', 'name']);
  assert.deepEqual([p?.line, p?.column], [12, 16]);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.position?.line, d.position?.column]), [['WEFT_NOT_AN_OBJECT', 13, 3]]);
});

test('JSON files: an object, an array, a List; positions of fields', () => {
  const content = '[\n  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},\n  {\n    "apiVersion": "v1",\n    "kind": "List",\n    "items": [{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "b"}}]\n  }\n]\n';
  const r = parseManifestFile({ name: 'x.json', content });
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(
    r.objects.map((o) => [o.object.kind, o.source?.line, o.source?.column]),
    [
      ['ConfigMap', 2, 3],
      ['Secret', 6, 15],
    ],
  );
  const p = r.objects[0].source?.positionOf(['metadata', 'name']);
  assert.deepEqual([p?.line, p?.column], [2, content.split('\n')[1].indexOf('"name"') + 1]);
});

test('a JSON syntax error has its line:column; JSON-looking YAML still parses as YAML', () => {
  const bad = parseManifestFile({ name: 'bad.json', content: '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap"\n  "metadata": {}\n}\n' });
  assert.equal(bad.objects.length, 0);
  assert.deepEqual(bad.diagnostics, [
    { code: 'WEFT_JSON_SYNTAX', severity: 'error', message: "expected ',' or '}'", position: { file: 'bad.json', line: 4, column: 3 } },
  ]);
  const stdin = parseManifestFile({ name: '<stdin>', content: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "s"}}' });
  assert.equal(stdin.objects[0].object.metadata.name, 's');
  const flow = parseManifestFile({ name: '<stdin>', content: '{apiVersion: v1, kind: ConfigMap, metadata: {name: f}}\n' });
  assert.deepEqual(flow.diagnostics, []);
  assert.equal(flow.objects[0].object.metadata.name, 'f');
});
