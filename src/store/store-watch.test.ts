import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { Store, StoreError } from './index.ts';
import type { WatchEvent } from './index.ts';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-watch-'));
  ({ store } = await Store.open({ dir }));
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function svc(name: string, labels: Record<string, string> = { app: name }, ns = 'default', port = 80): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels },
    spec: { ports: [{ port }] },
  };
}

const CM: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: {} };
const ROUTE: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'r', namespace: 'other' },
  spec: {},
};

/** "TYPE Kind ns/name@rv" */
function fmt(ev: WatchEvent): string {
  const m = ev.object.metadata;
  return `${ev.type} ${ev.object.kind} ${m.namespace ?? ''}/${m.name}@${m.resourceVersion}`;
}

function collect(opts?: Parameters<Store['watch']>[1]): { events: string[]; stop: () => void } {
  const events: string[] = [];
  const stop = store.watch((ev) => events.push(fmt(ev)), opts);
  return { events, stop };
}

test('events arrive after the write, in resourceVersion order, with frozen objects', async () => {
  const seen: WatchEvent[] = [];
  store.watch((ev) => {
    // Delivered after the write is in memory: the store already shows it.
    assert.equal(store.resourceVersion >= (ev.object.metadata.resourceVersion as string), true);
    seen.push(ev);
  });
  await store.apply([svc('a'), svc('b')]);
  await store.apply([svc('a', { app: 'a' }, 'default', 81)]);
  await store.updateStatus('', 'Service', 'default', 'b', { ok: true });
  await store.delete('', 'Service', 'default', 'a');
  assert.deepEqual(seen.map(fmt), [
    'ADDED Service default/a@1',
    'ADDED Service default/b@2',
    'MODIFIED Service default/a@3',
    'MODIFIED Service default/b@4',
    'DELETED Service default/a@5',
  ]);
  assert.ok(seen.every((ev) => Object.isFrozen(ev.object) && Object.isFrozen(ev.object.metadata)));
  assert.deepEqual(seen[4].object.spec, { ports: [{ port: 81 }] }, 'DELETED carries the last state');
});

test('an unchanged apply emits nothing', async () => {
  await store.apply([svc('a')]);
  const w = collect();
  await store.apply([svc('a')]);
  assert.deepEqual(w.events, []);
});

test('filters: group, kind, namespace', async () => {
  const services = collect({ group: '', kind: 'Service' });
  const inDefault = collect({ namespace: 'default' });
  const routes = collect({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' });
  const coreGroup = collect({ group: '' });
  await store.apply([svc('a'), CM, ROUTE, svc('b', {}, 'other')]);
  assert.deepEqual(services.events, ['ADDED Service default/a@1', 'ADDED Service other/b@4']);
  assert.deepEqual(inDefault.events, ['ADDED Service default/a@1', 'ADDED ConfigMap default/cm@2']);
  assert.deepEqual(routes.events, ['ADDED HTTPRoute other/r@3']);
  assert.deepEqual(coreGroup.events, ['ADDED Service default/a@1', 'ADDED ConfigMap default/cm@2', 'ADDED Service other/b@4']);
});

test('label selector watches see objects enter and leave the selection', async () => {
  const w = collect({ kind: 'Service', labelSelector: 'tier=web' });
  await store.apply([svc('a', { tier: 'db' })]); // not selected
  await store.apply([svc('a', { tier: 'web' })]); // enters → ADDED
  await store.apply([svc('a', { tier: 'web' }, 'default', 81)]); // stays → MODIFIED
  await store.apply([svc('a', { tier: 'db' }, 'default', 81)]); // leaves → DELETED
  await store.apply([svc('a', { tier: 'db' }, 'default', 82)]); // still out → nothing
  await store.apply([svc('a', { tier: 'web' }, 'default', 82)]); // enters again
  await store.delete('', 'Service', 'default', 'a');
  assert.deepEqual(w.events, [
    'ADDED Service default/a@2',
    'MODIFIED Service default/a@3',
    'DELETED Service default/a@4',
    'ADDED Service default/a@6',
    'DELETED Service default/a@7',
  ]);
  assert.throws(() => store.watch(() => {}, { labelSelector: 'a in (' }), (e: unknown) => {
    assert.ok(e instanceof StoreError && e.reason === 'Invalid');
    assert.match(e.message, /invalid label selector "a in \("/);
    return true;
  });
});

test('unsubscribe stops delivery, also from inside a callback', async () => {
  const events: string[] = [];
  const stop = store.watch((ev) => {
    events.push(fmt(ev));
    stop();
  });
  await store.apply([svc('a'), svc('b')]);
  await store.apply([svc('c')]);
  assert.deepEqual(events, ['ADDED Service default/a@1']);
});

test('replay from a resourceVersion, then live', async () => {
  await store.apply([svc('a'), CM]);
  const listedAt = store.resourceVersion; // "2"
  await store.apply([svc('b')]);
  await store.delete('', 'Service', 'default', 'a');
  const w = collect({ kind: 'Service', sinceResourceVersion: listedAt });
  assert.deepEqual(w.events, ['ADDED Service default/b@3', 'DELETED Service default/a@4']);
  await store.apply([svc('c')]);
  assert.deepEqual(w.events.at(-1), 'ADDED Service default/c@5');

  const fromNow = collect({ sinceResourceVersion: store.resourceVersion });
  assert.deepEqual(fromNow.events, []);
  const fromStart = collect({ sinceResourceVersion: '0', kind: 'Service', group: '' });
  assert.deepEqual(fromStart.events, ['ADDED Service default/b@3', 'ADDED Service default/c@5']);
});

test('resourceVersions that cannot be watched from: too old (Conflict), too large, garbage (Invalid)', async () => {
  await store.apply([svc('a'), svc('b')]);
  await store.close();
  ({ store } = await Store.open({ dir })); // history starts afresh at "2"
  await store.apply([svc('c')]);
  assert.deepEqual(collect({ sinceResourceVersion: '2' }).events, ['ADDED Service default/c@3']);
  assert.throws(() => store.watch(() => {}, { sinceResourceVersion: '1' }), (e: unknown) => {
    assert.ok(e instanceof StoreError);
    assert.equal(e.reason, 'Conflict');
    assert.equal(e.code, 'WEFT_ERR_STORE_CONFLICT');
    assert.equal(e.message, 'too old resource version: 1 (2)');
    return true;
  });
  assert.throws(() => store.watch(() => {}, { sinceResourceVersion: '4' }), /too large resource version: 4, current: 3/);
  assert.throws(
    () => store.watch(() => {}, { sinceResourceVersion: 'abc' }),
    (e: unknown) => e instanceof StoreError && e.reason === 'Invalid',
  );
});

test('a throwing watcher does not stop the write or the other watchers', async (t) => {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  // node:test installs its own handler; ours records the error and theirs must not see it.
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', onUncaught);
  t.after(() => {
    process.removeAllListeners('uncaughtException');
    for (const l of saved) process.on('uncaughtException', l);
  });
  const w = collect();
  store.watch(() => {
    throw new Error('watcher bug');
  });
  await store.apply([svc('a')]);
  assert.deepEqual(w.events, ['ADDED Service default/a@1']);
  assert.equal(store.get('', 'Service', 'default', 'a')?.metadata.resourceVersion, '1');
  await new Promise<void>((resolve) => process.nextTick(resolve));
  assert.equal(uncaught.length, 1);
  assert.match(String(uncaught[0]), /watcher bug/);
});
