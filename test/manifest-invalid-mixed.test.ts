// One file, five documents: a YAML syntax error, an HTTPRoute with an unknown field and a Service
// whose port is the string "eighty", between two valid objects. Every problem must be reported
// with its exact place, and the valid documents must load clean on their own.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { before, test } from 'node:test';
import { formatDiagnostic } from '../src/lib/diagnostic.ts';
import { loadManifests, preloadManifestSchemas, readManifestFiles } from '../src/manifest/index.ts';
import type { ManifestFile } from '../src/manifest/index.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FILE = relative(ROOT, resolve(import.meta.dirname, 'fixtures', 'manifests', 'invalid-mixed.yaml'));

let file: ManifestFile;

before(async () => {
  process.chdir(ROOT);
  const read = await readManifestFiles([FILE]);
  assert.deepEqual(read.diagnostics, []);
  file = read.files[0];
});

test('all three problems are reported, each with its line:column and field path', () => {
  const r = loadManifests([file]);
  assert.deepEqual(r.diagnostics.map(formatDiagnostic), [
    `${FILE}:20:13: error: Nested mappings are not allowed in compact mappings\n    hint: a value that contains ": " must be quoted; otherwise check the indentation`,
    `${FILE}:33:7: error: HTTPRoute default/web-route: spec.rules[0].backendRefs[0].weighted_cluster: unknown field "weighted_cluster"\n` +
      '    hint: known fields here: filters, group, kind, name, namespace, port, weight',
    `${FILE}:41:5: error: Service default/api: spec.ports[0].port: must be integer, got string "eighty"`,
  ]);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.field]),
    [
      ['WEFT_YAML_SYNTAX', undefined],
      ['WEFT_UNKNOWN_FIELD', 'spec.rules[0].backendRefs[0].weighted_cluster'],
      ['WEFT_WRONG_TYPE', 'spec.ports[0].port'],
    ],
  );
});

test('the valid documents come through; alone, they load clean', async () => {
  const r = loadManifests([file]);
  assert.deepEqual(
    r.objects.map((o) => `${o.object.kind} ${o.object.metadata.namespace}/${o.object.metadata.name}:${o.source?.line}`),
    ['Service default/web:3', 'Gateway default/web-gateway:43'],
  );
  const docs = readFileSync(FILE, 'utf8').split(/^---$/m);
  assert.equal(docs.length, 5);
  const valid: ManifestFile = { name: 'valid-only.yaml', content: [docs[0], docs[4]].join('---') };
  await preloadManifestSchemas([valid]);
  const alone = loadManifests([valid]);
  assert.deepEqual(alone.diagnostics, []);
  assert.deepEqual(
    alone.objects.map((o) => o.object.metadata.name),
    ['web', 'web-gateway'],
  );
});
