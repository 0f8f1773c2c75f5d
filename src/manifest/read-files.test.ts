import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { schemaValidator } from '../api/schemas.ts';
import { loadManifests } from './load.ts';
import { readManifestFiles } from './read-files.ts';

let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-read-'));
  await mkdir(join(dir, 'tree', 'sub', 'deeper'), { recursive: true });
  await mkdir(join(dir, 'tree', 'empty'));
  await mkdir(join(dir, 'outside'));
  const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;
  await writeFile(join(dir, 'tree', 'b.yaml'), cm('b'));
  await writeFile(join(dir, 'tree', 'a.yml'), cm('a'));
  await writeFile(join(dir, 'tree', 'c.json'), '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "c"}}');
  await writeFile(join(dir, 'tree', 'notes.txt'), 'not a manifest');
  await writeFile(join(dir, 'tree', 'sub', 'z.yaml'), cm('zed'));
  await writeFile(join(dir, 'tree', 'sub', 'deeper', 'y.yaml'), cm('why'));
  await writeFile(join(dir, 'outside', 'o.yaml'), cm('o'));
  await writeFile(join(dir, 'single.txt'), cm('single'));
  await symlink(join(dir, 'outside'), join(dir, 'tree', 'linked-dir'));
  await symlink(join(dir, 'outside', 'o.yaml'), join(dir, 'tree', 'linked.yaml'));
});

after(() => rm(dir, { recursive: true, force: true }));

test('a directory is read recursively: manifest extensions only, lexical order, symlinked dirs not followed', async () => {
  const r = await readManifestFiles([join(dir, 'tree')]);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(
    r.files.map((f) => f.name.slice(dir.length + 1)),
    ['tree/a.yml', 'tree/b.yaml', 'tree/c.json', 'tree/linked.yaml', 'tree/sub/deeper/y.yaml', 'tree/sub/z.yaml'],
  );
  assert.match(r.files[0].content, /name: a/);
});

test('a file named explicitly is read whatever its extension; names stay as given', async () => {
  const rel = join(dir, 'single.txt');
  const r = await readManifestFiles([rel]);
  assert.deepEqual(r.files.map((f) => f.name), [rel]);
});

test('missing paths are diagnostics, the rest is still read', async () => {
  const missing = join(dir, 'nope.yaml');
  const r = await readManifestFiles([missing, join(dir, 'single.txt')]);
  assert.deepEqual(r.diagnostics, [{ code: 'WEFT_IO', severity: 'error', message: `the path "${missing}" does not exist` }]);
  assert.equal(r.files.length, 1);
});

test('a directory without manifests is a warning', async () => {
  const r = await readManifestFiles([join(dir, 'tree', 'empty')]);
  assert.deepEqual(r.files, []);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['WEFT_IO', 'warning']]);
});

test("'-' reads the given stdin stream as <stdin>", async () => {
  const stdin = Readable.from([Buffer.from('apiVersion: v1\nkind: Config'), Buffer.from('Map\nmetadata: {name: from-stdin}\n')]);
  const r = await readManifestFiles(['-'], { stdin });
  assert.deepEqual(r.files, [{ name: '<stdin>', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-stdin}\n' }]);
});

test('the schema validators the files need are loaded, so loadManifests can run on the result', async () => {
  const file = join(dir, 'netpol.yaml');
  await writeFile(file, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec:\n  podSelector: {}\n');
  assert.equal(schemaValidator('networking.k8s.io', 'v1', 'NetworkPolicy'), undefined);
  const skipped = await readManifestFiles([file], { preloadSchemas: false });
  assert.equal(skipped.files.length, 1);
  assert.equal(schemaValidator('networking.k8s.io', 'v1', 'NetworkPolicy'), undefined);
  const r = await readManifestFiles([file, join(dir, 'tree')]);
  assert.ok(schemaValidator('networking.k8s.io', 'v1', 'NetworkPolicy'));
  const loaded = loadManifests(r.files);
  assert.deepEqual(loaded.diagnostics, []);
  assert.deepEqual(loaded.objects.map((o) => o.object.metadata.name), ['deny', 'a', 'b', 'c', 'o', 'why', 'zed']);
});
