import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ATOMIC_TEMP_PREFIX,
  createFileExclusive,
  ensureDir,
  isAtomicTempFile,
  prepareFileAtomic,
  removeAtomicTempFiles,
  removeFileDurable,
  writeFileAtomic,
} from './atomic-file.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'weft-atomic-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('writeFileAtomic creates, then replaces, leaving no temp file behind', async () => {
  const p = join(root, 'a.txt');
  await writeFileAtomic(p, 'one');
  assert.equal(await readFile(p, 'utf8'), 'one');
  await writeFileAtomic(p, 'two');
  assert.equal(await readFile(p, 'utf8'), 'two');
  assert.deepEqual((await readdir(root)).filter(isAtomicTempFile), []);
});

test('writeFileAtomic applies the requested mode', async () => {
  const p = join(root, 'secret');
  await writeFileAtomic(p, 'token', { mode: 0o600 });
  assert.equal((await stat(p)).mode & 0o777, 0o600);
});

test('a prepared write is invisible until commit, and discard leaves the old file alone', async () => {
  const p = join(root, 'b.txt');
  await writeFileAtomic(p, 'old');
  const w = await prepareFileAtomic(p, 'new');
  assert.equal(await readFile(p, 'utf8'), 'old');
  assert.equal(await readFile(w.tempPath, 'utf8'), 'new');
  await w.discard();
  assert.equal(await readFile(p, 'utf8'), 'old');
  await assert.rejects(stat(w.tempPath), { code: 'ENOENT' });

  const w2 = await prepareFileAtomic(p, 'newer');
  await w2.commit();
  assert.equal(await readFile(p, 'utf8'), 'newer');
});

test('a failing rename keeps the old content and removes the temp file', async () => {
  const dir = join(root, 'rename-fails');
  await mkdir(join(dir, 'target.json'), { recursive: true }); // a directory where the file should go
  await assert.rejects(writeFileAtomic(join(dir, 'target.json'), '{}'));
  assert.deepEqual((await readdir(dir)).filter(isAtomicTempFile), []);
});

test('prepare fails cleanly when the directory does not exist', async () => {
  await assert.rejects(prepareFileAtomic(join(root, 'missing', 'x'), 'x'), { code: 'ENOENT' });
});

test('createFileExclusive creates once with full content, then fails with EEXIST', async () => {
  const p = join(root, 'lock');
  await createFileExclusive(p, 'pid 1\n');
  assert.equal(await readFile(p, 'utf8'), 'pid 1\n');
  await assert.rejects(createFileExclusive(p, 'pid 2\n'), { code: 'EEXIST' });
  assert.equal(await readFile(p, 'utf8'), 'pid 1\n');
  assert.deepEqual((await readdir(root)).filter(isAtomicTempFile), []);
});

test('removeFileDurable reports whether a file was there', async () => {
  const p = join(root, 'gone');
  await writeFile(p, 'x');
  assert.equal(await removeFileDurable(p), true);
  assert.equal(await removeFileDurable(p), false);
});

test('ensureDir creates nested directories and is idempotent', async () => {
  const d = join(root, 'x', 'y', 'z');
  await ensureDir(d);
  assert.ok((await stat(d)).isDirectory());
  await ensureDir(d);
  await ensureDir(join(root, 'x', 'y', 'w'), 0o700);
  assert.equal((await stat(join(root, 'x', 'y', 'w'))).mode & 0o777, 0o700);
});

test('removeAtomicTempFiles removes only temp files', async () => {
  const d = join(root, 'leftovers');
  await ensureDir(d);
  await writeFile(join(d, `${ATOMIC_TEMP_PREFIX}123-00112233aabb`), 'partial');
  await writeFile(join(d, 'keep.json'), '{}');
  await writeFile(join(d, `${ATOMIC_TEMP_PREFIX}lookalike.json`), '{}');
  assert.deepEqual(await removeAtomicTempFiles(d), [`${ATOMIC_TEMP_PREFIX}123-00112233aabb`]);
  assert.deepEqual((await readdir(d)).sort(), [`${ATOMIC_TEMP_PREFIX}lookalike.json`, 'keep.json']);
  assert.deepEqual(await removeAtomicTempFiles(join(root, 'no-such-dir')), []);
});
