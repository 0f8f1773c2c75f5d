import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { Store } from '../store/index.ts';
import { ControllerManager } from './controller-manager.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { FakeClock } from './test-support.ts';

const cm = (name: string, owners?: KubeObject['metadata']['ownerReferences']): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ownerReferences: owners },
});

test('dependents whose owners are gone are deleted; references to kinds weft does not serve are ignored', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'weft-gc-'));
  const { store } = await Store.open({ dir });
  try {
    const [owner] = await store.apply([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'owner', namespace: 'default' }, spec: {} }]);
    const uid = owner.object.metadata.uid as string;
    const ref = { apiVersion: 'v1', kind: 'Service', name: 'owner', uid };
    await store.apply([
      cm('child', [ref]),
      cm('orphan-at-start', [{ ...ref, name: 'gone', uid: 'nope' }]),
      cm('foreign', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'x' }]),
      cm('two-owners', [ref, { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: 'k' }]),
    ]);
    const [keeper] = await store.apply([cm('keeper')]);
    await store.apply([cm('two-owners', [ref, { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: keeper.object.metadata.uid as string }])]);
    const m = new ControllerManager({ store, controllers: [new GarbageCollector(store)], clock: new FakeClock(), log: () => {} });
    m.start();
    await m.whenIdle();
    const names = () => store.list('', 'ConfigMap').map((o) => o.metadata.name);
    assert.deepEqual(names(), ['child', 'foreign', 'keeper', 'two-owners'], 'the orphan is collected at start');
    await store.delete('', 'Service', 'default', 'owner');
    await m.whenIdle();
    assert.deepEqual(names(), ['foreign', 'keeper', 'two-owners'], 'one owner left keeps an object');
    await store.delete('', 'ConfigMap', 'default', 'keeper');
    await m.whenIdle();
    assert.deepEqual(names(), ['foreign']);
    await m.stop();
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
