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
let uidCounter: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-store-'));
  uidCounter = 0;
  ({ store } = await Store.open({
    dir,
    now: () => new Date('2026-01-02T03:04:05.678Z'),
    newUid: () => `uid-${++uidCounter}`,
  }));
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function svc(name: string, port = 80, extra: Partial<KubeObject> = {}, ns = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { selector: { app: name }, ports: [{ port }] },
    ...extra,
  };
}

function route(name: string, host = 'example.com'): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'default' },
    spec: { hostnames: [host] },
  };
}

function reasonOf(reason: string) {
  return (e: unknown) => e instanceof StoreError && e.reason === reason;
}

test('create sets the system fields; get returns the frozen object', async () => {
  const created = await store.create(svc('web', 80, { status: { loadBalancer: {} } }));
  assert.deepEqual(created.metadata, {
    name: 'web',
    namespace: 'default',
    uid: 'uid-1',
    resourceVersion: '1',
    generation: 1,
    creationTimestamp: '2026-01-02T03:04:05Z',
    labels: { app: 'web' },
  });
  assert.equal(created.status, undefined, 'status is ignored on create');
  assert.equal(store.resourceVersion, '1');
  const got = store.get('', 'Service', 'default', 'web');
  assert.equal(got, created);
  assert.ok(Object.isFrozen(got) && Object.isFrozen(got?.metadata.labels) && Object.isFrozen(got?.spec));
  assert.throws(() => {
    (got as KubeObject).metadata.name = 'evil';
  }, TypeError);
  assert.equal(store.get('', 'Service', 'other', 'web'), undefined);
  assert.equal(store.get('apps', 'Service', 'default', 'web'), undefined, 'the group is part of the key');
});

test('user-supplied uid, resourceVersion-free system fields and status are ignored', async () => {
  const created = await store.create({
    ...svc('web'),
    metadata: { name: 'web', namespace: 'default', uid: 'mine', generation: 7, creationTimestamp: '1999-01-01T00:00:00Z' },
  });
  assert.equal(created.metadata.uid, 'uid-1');
  assert.equal(created.metadata.generation, 1);
  assert.equal(created.metadata.creationTimestamp, '2026-01-02T03:04:05Z');
});

test('the caller keeps ownership of its input: later edits do not reach the store', async () => {
  const input = svc('web');
  await store.create(input);
  (input.spec as { ports: { port: number }[] }).ports[0].port = 9999;
  assert.deepEqual(store.get('', 'Service', 'default', 'web')?.spec, { selector: { app: 'web' }, ports: [{ port: 80 }] });
});

test('create of an existing object is AlreadyExists; with a resourceVersion it is Invalid', async () => {
  await store.create(svc('web'));
  await assert.rejects(store.create(svc('web')), (e: unknown) => {
    assert.ok(e instanceof StoreError);
    assert.equal(e.reason, 'AlreadyExists');
    assert.equal(e.code, 'WEFT_ERR_STORE_ALREADY_EXISTS');
    assert.equal(e.message, 'services "web" already exists');
    return true;
  });
  const withRv = svc('other');
  withRv.metadata.resourceVersion = '5';
  await assert.rejects(store.create(withRv), reasonOf('Invalid'));
});

test('missing or unsafe identity is Invalid, nothing is written', async () => {
  const bad: [unknown, RegExp][] = [
    [{ kind: 'Service', metadata: { name: 'x' } }, /apiVersion: Required value/],
    [{ apiVersion: 'v1', metadata: { name: 'x' } }, /kind: Required value/],
    [{ apiVersion: 'v1', kind: 'Service', metadata: {} }, /metadata.name: Required value/],
    [{ apiVersion: 'v1', kind: 'Service' }, /metadata: Required value/],
    [{ apiVersion: 'v1', kind: 'Service', metadata: { name: '../../etc' } }, /may not contain "\/"/],
    [{ apiVersion: 'v1', kind: 'Service', metadata: { name: '..' } }, /may not be "\.\."/],
    [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: '_cluster' } }, /reserved/],
    [{ apiVersion: 'core/v1', kind: 'Service', metadata: { name: 'x' } }, /reserved/],
    [{ apiVersion: 'v1', kind: 'Bad/Kind', metadata: { name: 'x' } }, /not a valid kind/],
  ];
  for (const [obj, re] of bad) {
    await assert.rejects(store.apply([obj as KubeObject]), (e: unknown) => {
      assert.ok(e instanceof StoreError, String(e));
      assert.equal(e.reason, 'Invalid');
      assert.match(e.message, re);
      return true;
    });
  }
  assert.equal(store.resourceVersion, '0');
  assert.deepEqual(store.listAll(), []);
});

test('update bumps generation only when something outside metadata and status changes', async () => {
  const v1 = await store.create(svc('web'));
  const relabelled = await store.update({ ...svc('web'), metadata: { ...svc('web').metadata, labels: { app: 'web', tier: 'x' } } });
  assert.equal(relabelled.metadata.generation, 1, 'label change keeps generation');
  assert.equal(relabelled.metadata.resourceVersion, '2');
  assert.equal(relabelled.metadata.uid, v1.metadata.uid);
  assert.equal(relabelled.metadata.creationTimestamp, v1.metadata.creationTimestamp);
  const respec = await store.update(svc('web', 8080));
  assert.equal(respec.metadata.generation, 2, 'spec change bumps generation');
  assert.equal(respec.metadata.resourceVersion, '3');

  const cm = (data: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'default' },
    data,
  });
  await store.create(cm({ a: '1' }));
  assert.equal((await store.update(cm({ a: '2' }))).metadata.generation, 2, 'data is not metadata: bumps');
});

test('update: NotFound, Conflict on a stale resourceVersion, no write when unchanged', async () => {
  await assert.rejects(store.update(svc('web')), (e: unknown) => {
    assert.ok(e instanceof StoreError && e.reason === 'NotFound');
    assert.equal(e.message, 'services "web" not found');
    return true;
  });
  const v1 = await store.create(svc('web'));
  const stale = { ...svc('web', 81), metadata: { ...svc('web').metadata, resourceVersion: '999' } };
  await assert.rejects(store.update(stale), (e: unknown) => {
    assert.ok(e instanceof StoreError && e.reason === 'Conflict');
    assert.match(e.message, /Operation cannot be fulfilled on services "web": the object has been modified/);
    return true;
  });
  const fresh = { ...svc('web', 81), metadata: { ...svc('web').metadata, resourceVersion: v1.metadata.resourceVersion } };
  assert.equal((await store.update(fresh)).metadata.resourceVersion, '2');
  const same = await store.update(svc('web', 81));
  assert.equal(same.metadata.resourceVersion, '2', 'unchanged content writes nothing');
  assert.equal(store.resourceVersion, '2');
});

test('apply: created, unchanged (key order independent), configured; status survives', async () => {
  const [c] = await store.apply([svc('web')]);
  assert.equal(c.action, 'created');
  await store.updateStatus('', 'Service', 'default', 'web', { loadBalancer: { ingress: [{ ip: '127.0.0.9' }] } });
  const rvBefore = store.resourceVersion;

  const reordered: KubeObject = {
    spec: { ports: [{ port: 80 }], selector: { app: 'web' } },
    metadata: { labels: { app: 'web' }, namespace: 'default', name: 'web', uid: 'ignored', resourceVersion: '' },
    kind: 'Service',
    apiVersion: 'v1',
    status: { something: 'else' },
  };
  const [u] = await store.apply([reordered]);
  assert.equal(u.action, 'unchanged');
  assert.equal(store.resourceVersion, rvBefore, 'unchanged writes nothing');
  assert.equal(u.object, store.get('', 'Service', 'default', 'web'));

  const [m] = await store.apply([svc('web', 90)]);
  assert.equal(m.action, 'configured');
  assert.equal(m.object.metadata.generation, 2);
  assert.deepEqual(m.object.status, { loadBalancer: { ingress: [{ ip: '127.0.0.9' }] } });
  assert.equal(Object.keys(m.object).at(-1), 'status', 'status is laid out last');
});

test('apply of a batch: one resourceVersion per changed object, outcomes in input order', async () => {
  await store.apply([svc('a')]);
  const outcomes = await store.apply([svc('b'), svc('a'), route('r'), svc('a2', 1, {}, 'kube-system')]);
  assert.deepEqual(
    outcomes.map((o) => [o.action, o.object.metadata.name, o.object.metadata.resourceVersion]),
    [
      ['created', 'b', '2'],
      ['unchanged', 'a', '1'],
      ['created', 'r', '3'],
      ['created', 'a2', '4'],
    ],
  );
  assert.equal(store.resourceVersion, '4');
  assert.equal(outcomes[2].object.apiVersion, 'gateway.networking.k8s.io/v1', 'version kept as sent');
});

test('apply refuses a batch with a stale resourceVersion or a duplicate, writing nothing', async () => {
  await store.apply([svc('a')]);
  const stale = { ...svc('a', 5), metadata: { ...svc('a').metadata, resourceVersion: '77' } };
  await assert.rejects(store.apply([svc('new1'), stale]), reasonOf('Conflict'));
  await assert.rejects(store.apply([svc('new2'), svc('new2')]), reasonOf('Invalid'));
  assert.equal(store.get('', 'Service', 'default', 'new1'), undefined);
  assert.equal(store.get('', 'Service', 'default', 'new2'), undefined);
  assert.equal(store.resourceVersion, '1');
});

test('the same name under another apiVersion of the group is the same object', async () => {
  await store.apply([route('r')]);
  const older = { ...route('r'), apiVersion: 'gateway.networking.k8s.io/v1beta1' };
  const [o] = await store.apply([older]);
  assert.equal(o.action, 'configured');
  assert.equal(o.object.apiVersion, 'gateway.networking.k8s.io/v1beta1');
  assert.equal(o.object.metadata.generation, 1, 'apiVersion alone is not a spec change');
  assert.equal(store.list('gateway.networking.k8s.io', 'HTTPRoute').length, 1);
});

test('dryRun computes outcomes and objects but writes and emits nothing', async () => {
  await store.apply([svc('a')]);
  const events: WatchEvent[] = [];
  store.watch((ev) => events.push(ev));
  const outcomes = await store.apply([svc('a', 81), svc('b')], { dryRun: true });
  assert.deepEqual(outcomes.map((o) => o.action), ['configured', 'created']);
  assert.equal(outcomes[0].object.metadata.generation, 2);
  assert.equal(outcomes[1].object.metadata.uid, 'uid-2');
  assert.equal((await store.create(svc('c'), { dryRun: true })).metadata.name, 'c');
  assert.equal((await store.update(svc('a', 82), { dryRun: true })).metadata.generation, 2);
  assert.equal((await store.delete('', 'Service', 'default', 'a', { dryRun: true })).metadata.name, 'a');
  assert.equal(store.resourceVersion, '1');
  assert.deepEqual(store.get('', 'Service', 'default', 'a')?.spec, svc('a').spec);
  assert.equal(store.get('', 'Service', 'default', 'b'), undefined);
  assert.equal(store.get('', 'Service', 'default', 'c'), undefined);
  assert.deepEqual(events, []);
});

test('delete returns the object with the delete\'s resourceVersion; then NotFound', async () => {
  await store.apply([svc('a'), svc('b')]);
  const gone = await store.delete('', 'Service', 'default', 'a');
  assert.equal(gone.metadata.name, 'a');
  assert.equal(gone.metadata.resourceVersion, '3');
  assert.equal(store.resourceVersion, '3');
  assert.equal(store.get('', 'Service', 'default', 'a'), undefined);
  await assert.rejects(store.delete('', 'Service', 'default', 'a'), reasonOf('NotFound'));
  const [again] = await store.apply([svc('a')]);
  assert.equal(again.action, 'created');
  assert.notEqual(again.object.metadata.uid, gone.metadata.uid, 'a re-created object is a new object');
});

test('a Namespace can be deleted (its objects stay; cascading is not the store\'s job)', async () => {
  await store.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, svc('a', 80, {}, 'team')]);
  await store.delete('', 'Namespace', undefined, 'team');
  assert.equal(store.get('', 'Namespace', undefined, 'team'), undefined);
  assert.equal(store.list('', 'Service', { namespace: 'team' }).length, 1);
});

test('updateStatus replaces status only, never bumps generation, skips no-op writes', async () => {
  await store.apply([route('r')]);
  const s1 = await store.updateStatus('gateway.networking.k8s.io', 'HTTPRoute', 'default', 'r', { parents: [1] });
  assert.deepEqual(s1.status, { parents: [1] });
  assert.equal(s1.metadata.generation, 1);
  assert.equal(s1.metadata.resourceVersion, '2');
  assert.deepEqual(s1.spec, route('r').spec);
  const same = await store.updateStatus('gateway.networking.k8s.io', 'HTTPRoute', 'default', 'r', { parents: [1] });
  assert.equal(same, s1, 'an equal status writes nothing');
  const cleared = await store.updateStatus('gateway.networking.k8s.io', 'HTTPRoute', 'default', 'r', undefined);
  assert.equal(cleared.status, undefined);
  assert.equal(cleared.metadata.resourceVersion, '3');
  await assert.rejects(store.updateStatus('', 'Service', 'default', 'nope', {}), reasonOf('NotFound'));
});

test('list: by kind, namespace and label selector, sorted by namespace then name', async () => {
  await store.apply([
    svc('zeta', 1, {}, 'b-ns'),
    svc('alpha', 1, {}, 'b-ns'),
    svc('mid', 1, {}, 'a-ns'),
    route('r'),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a-ns' } },
  ]);
  const names = (objs: KubeObject[]) => objs.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  assert.deepEqual(names(store.list('', 'Service')), ['a-ns/mid', 'b-ns/alpha', 'b-ns/zeta']);
  assert.deepEqual(names(store.list('', 'Service', { namespace: 'b-ns' })), ['b-ns/alpha', 'b-ns/zeta']);
  assert.deepEqual(names(store.list('', 'Service', { labelSelector: 'app in (zeta,mid)' })), ['a-ns/mid', 'b-ns/zeta']);
  assert.deepEqual(names(store.list('', 'Service', { labelSelector: 'app!=mid', namespace: 'a-ns' })), []);
  assert.deepEqual(store.list('', 'Pod'), []);
  assert.throws(() => store.list('', 'Service', { labelSelector: 'app in' }), reasonOf('Invalid'));
  assert.deepEqual(
    store.listAll().map((o) => `${o.kind} ${o.metadata.name}`),
    ['Namespace a-ns', 'Service mid', 'Service alpha', 'Service zeta', 'HTTPRoute r'],
  );
  const listed = store.list('', 'Service');
  listed.pop(); // callers get their own array
  assert.equal(store.list('', 'Service').length, 3);
});

test('writes run in call order, each seeing the previous one', async () => {
  const results = await Promise.allSettled([
    store.create(svc('x')),
    store.create(svc('x')),
    store.update(svc('x', 2)),
    store.delete('', 'Service', 'default', 'x'),
    store.update(svc('x', 3)),
  ]);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as StoreError).reason)),
    ['ok', 'AlreadyExists', 'ok', 'ok', 'NotFound'],
  );
  assert.equal(store.resourceVersion, '3');
});

test('after close, writes are refused and close is idempotent', async () => {
  await store.close();
  await store.close();
  await assert.rejects(store.apply([svc('a')]), /closed/);
});
