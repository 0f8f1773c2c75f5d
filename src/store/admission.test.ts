import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { Store, StoreError } from './index.ts';
import type { AdmissionHook, AdmissionRequest } from './index.ts';

let dir: string;
let store: Store;
const seen: { operation: string; name: string; others: string[] }[] = [];

/** Numbers ConfigMaps in creation order (data.n), counting those the view shows; refuses "bad". */
const numbering: AdmissionHook = (req: AdmissionRequest) => {
  if (req.object.kind !== 'ConfigMap') return req.object;
  if (req.object.metadata.name === 'bad') throw new StoreError('Invalid', 'ConfigMap "bad" is invalid: nope');
  const others = req.view.list('', 'ConfigMap').map((o) => o.metadata.name);
  seen.push({ operation: req.operation, name: req.object.metadata.name, others });
  const data = (req.object.data ?? {}) as Record<string, string>;
  const stored = (req.stored?.data ?? {}) as Record<string, string>;
  req.object.data = { ...data, n: stored.n ?? String(others.length) };
  return req.object;
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-admission-'));
  seen.length = 0;
  ({ store } = await Store.open({ dir, admission: [numbering] }));
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

test('admission sees the earlier objects of the same batch and its result is what is stored', async () => {
  const out = await store.apply([cm('a'), cm('b'), cm('c')]);
  assert.deepEqual(out.map((o) => (o.object.data as any).n), ['0', '1', '2']);
  assert.deepEqual(seen.map((s) => s.others), [[], ['a'], ['a', 'b']]);
  assert.equal((store.get('', 'ConfigMap', 'default', 'b')?.data as any).n, '1');
});

test('re-applying content admission completes says unchanged; update and create run it too', async () => {
  await store.apply([cm('a', { x: '1' })]);
  const [again] = await store.apply([cm('a', { x: '1' })]);
  assert.equal(again.action, 'unchanged');
  assert.equal(seen.at(-1)?.operation, 'update');
  const updated = await store.update(cm('a', { x: '2' }));
  assert.deepEqual(updated.data, { x: '2', n: '0' });
  const created = await store.create(cm('z'));
  assert.equal((created.data as any).n, '1');
});

test('a refusal refuses the whole batch and writes nothing', async () => {
  await assert.rejects(store.apply([cm('a'), cm('bad')]), (e: unknown) => e instanceof StoreError && e.reason === 'Invalid');
  assert.equal(store.get('', 'ConfigMap', 'default', 'a'), undefined);
  assert.equal(store.resourceVersion, '0');
});

test('a hook that changes an object\'s identity is a bug, not a refusal', async () => {
  const other = await mkdtemp(join(tmpdir(), 'weft-admission-'));
  const renamer: AdmissionHook = (req) => ({ ...req.object, metadata: { ...req.object.metadata, name: 'other' } });
  const { store: s } = await Store.open({ dir: other, admission: [renamer] });
  try {
    await assert.rejects(s.create(cm('a')), (e: unknown) => !(e instanceof StoreError) && /identity/.test((e as Error).message));
  } finally {
    await s.close();
    await rm(other, { recursive: true, force: true });
  }
});
