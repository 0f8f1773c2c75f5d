import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { KubeObject } from '../api/object.ts';
import { Store, StoreError } from './index.ts';
import type { WatchEvent } from './index.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-persist-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function svc(name: string, port = 80, ns = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { ports: [{ port }] } };
}

const GATEWAY_CLASS: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: { name: 'weft' },
  spec: { controllerName: 'weft.dev/gateway-controller' },
};

async function readJson(rel: string): Promise<KubeObject> {
  return JSON.parse(await readFile(join(dir, rel), 'utf8')) as KubeObject;
}

async function filesUnder(rel: string): Promise<string[]> {
  const entries = await readdir(join(dir, rel), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();
}

test('layout: one file per object, meta.json holds the counter, private modes', async () => {
  const { store } = await Store.open({ dir: join(dir, 'state') });
  dir = join(dir, 'state');
  await store.apply([svc('web'), GATEWAY_CLASS]);
  assert.deepEqual(await filesUnder('objects'), [
    'objects/core/Service/default/web.json',
    'objects/gateway.networking.k8s.io/GatewayClass/_cluster/weft.json',
  ]);
  assert.deepEqual(await readJson('objects/core/Service/default/web.json'), store.get('', 'Service', 'default', 'web'));
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')), { resourceVersion: '2' });
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  assert.equal((await stat(join(dir, 'objects/core/Service/default/web.json'))).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, 'lock'))).mode & 0o777, 0o600);
  const lock = JSON.parse(await readFile(join(dir, 'lock'), 'utf8')) as { pid: number; startedAt: string };
  assert.equal(lock.pid, process.pid);
  assert.ok(!Number.isNaN(Date.parse(lock.startedAt)));
  await store.delete('gateway.networking.k8s.io', 'GatewayClass', undefined, 'weft');
  assert.deepEqual(await filesUnder('objects'), ['objects/core/Service/default/web.json']);
  await store.close();
  await assert.rejects(stat(join(dir, 'lock')), { code: 'ENOENT' }, 'close removes the lock');
});

test('reopen: every object comes back with uid, resourceVersion, generation, status; the counter never goes back', async () => {
  const first = await Store.open({ dir });
  assert.deepEqual(first.warnings, []);
  await first.store.apply([svc('a'), svc('b'), GATEWAY_CLASS]);
  await first.store.apply([svc('a', 81)]);
  await first.store.updateStatus('', 'Service', 'default', 'a', { loadBalancer: {} });
  await first.store.delete('', 'Service', 'default', 'b'); // the last write leaves no object behind
  const before = first.store.listAll();
  const rv = first.store.resourceVersion;
  assert.equal(rv, '6');
  await first.store.close();

  const second = await Store.open({ dir });
  assert.deepEqual(second.warnings, []);
  assert.deepEqual(second.store.listAll(), before);
  assert.equal(second.store.resourceVersion, rv);
  const a = second.store.get('', 'Service', 'default', 'a');
  assert.equal(a?.metadata.generation, 2);
  assert.deepEqual(a?.status, { loadBalancer: {} });
  assert.ok(Object.isFrozen(a));
  const [c] = await second.store.apply([svc('c')]);
  assert.equal(c.object.metadata.resourceVersion, '7');
  await second.store.close();
});

test('a second open while the directory is held is refused, naming the pid', async () => {
  const { store } = await Store.open({ dir });
  await assert.rejects(Store.open({ dir }), (e: unknown) => {
    assert.ok(e instanceof StoreError);
    assert.equal(e.reason, 'Locked');
    assert.equal(e.code, 'WEFT_ERR_STORE_LOCKED');
    assert.equal(e.holderPid, process.pid);
    assert.equal(e.message, `state directory ${dir} is in use by weft (pid ${process.pid})`);
    return true;
  });
  await store.close();
  const again = await Store.open({ dir });
  assert.deepEqual(again.warnings, []);
  await again.store.close();
});

/** Starts a child process that opens the store, applies one object and reports "ready". */
async function startHolder(): Promise<{ child: ReturnType<typeof spawn>; uid: string }> {
  const storeUrl = pathToFileURL(join(import.meta.dirname, 'index.ts')).href;
  const code = `
    import { Store } from ${JSON.stringify(storeUrl)};
    const { store } = await Store.open({ dir: process.env.WEFT_TEST_DIR });
    const [o] = await store.apply([{ apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'from-child', namespace: 'default' }, data: { k: 'v' } }]);
    process.stdout.write('ready ' + o.object.metadata.uid + '\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: REPO_ROOT,
    env: { ...process.env, WEFT_TEST_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([status]) => {
    throw new Error(`holder exited early (${status})`);
  });
  const ready = (async () => {
    for await (const line of lines) if (line.startsWith('ready ')) return line.slice(6);
    throw new Error('holder closed stdout before it was ready');
  })();
  const uid = await Promise.race([ready, exited]);
  exited.catch(() => {});
  return { child, uid };
}

test('kill -9: a live holder locks others out; after SIGKILL the lock is taken over and nothing is lost', async () => {
  const { child, uid } = await startHolder();
  try {
    await assert.rejects(Store.open({ dir }), (e: unknown) => {
      assert.ok(e instanceof StoreError && e.reason === 'Locked');
      assert.equal(e.holderPid, child.pid);
      assert.match(e.message, new RegExp(`is in use by weft \\(pid ${child.pid}\\)$`));
      return true;
    });
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit').catch(() => {});
  }
  const { store, warnings } = await Store.open({ dir });
  assert.deepEqual(warnings, [
    `state directory ${dir} was locked by pid ${child.pid}, which is no longer running; took the lock over`,
  ]);
  const cm = store.get('', 'ConfigMap', 'default', 'from-child');
  assert.equal(cm?.metadata.uid, uid);
  assert.equal(cm?.metadata.resourceVersion, '1');
  assert.equal(cm?.metadata.generation, 1);
  assert.equal(store.resourceVersion, '1');
  const lock = JSON.parse(await readFile(join(dir, 'lock'), 'utf8')) as { pid: number };
  assert.equal(lock.pid, process.pid);
  await store.close();
});

test('a lock naming our own pid but not held here is stale (a container restarted as pid 1)', async () => {
  await writeFile(join(dir, 'lock'), JSON.stringify({ pid: process.pid, startedAt: 'earlier' }));
  const { store, warnings } = await Store.open({ dir });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /which is no longer running; took the lock over/);
  await store.close();
});

test('an unreadable lock is taken over with a warning; a live take-over guard locks out', async () => {
  await writeFile(join(dir, 'lock'), 'garbage');
  const { store, warnings } = await Store.open({ dir });
  assert.deepEqual(warnings, [`state directory ${dir}: the lock file was unreadable; took it over`]);
  await store.close();

  // Another process (our parent stands in for one: alive, not us) is in the middle of a take-over.
  await writeFile(join(dir, 'lock'), JSON.stringify({ pid: 999999999 }));
  await writeFile(join(dir, 'lock.takeover'), JSON.stringify({ pid: process.ppid }));
  await assert.rejects(Store.open({ dir }), (e: unknown) => e instanceof StoreError && e.holderPid === process.ppid);
  // Its owner died: the guard is cleared and the stale lock taken over.
  await writeFile(join(dir, 'lock.takeover'), JSON.stringify({ pid: 999999999 }));
  const third = await Store.open({ dir });
  assert.equal(third.warnings.length, 1);
  await assert.rejects(stat(join(dir, 'lock.takeover')), { code: 'ENOENT' });
  await third.store.close();
});

test('load: corrupt and misplaced files are skipped with a warning naming them; the rest loads', async () => {
  const first = await Store.open({ dir });
  await first.store.apply([svc('good'), svc('broken'), svc('moved')]);
  await first.store.close();

  await writeFile(join(dir, 'objects/core/Service/default/broken.json'), '{"apiVersion": "v1", "kind": }');
  await writeFile(join(dir, 'objects/core/Service/default/moved-copy.json'), await readFile(join(dir, 'objects/core/Service/default/moved.json')));
  await writeFile(join(dir, 'objects/core/Service/default/bare.json'), JSON.stringify(svc('bare')));
  await writeFile(join(dir, 'objects/core/Service/default/notes.txt'), 'hello');
  await writeFile(join(dir, 'objects/core/Service/default/.weft-tmp-4242-0123456789ab'), '{"half": ');
  await mkdir(join(dir, 'objects/core/Service/default/subdir'));

  const { store, warnings } = await Store.open({ dir });
  assert.deepEqual(warnings, [
    'objects/core/Service/default/notes.txt: not where an object file belongs (objects/GROUP/KIND/NAMESPACE/NAME.json); ignored',
    'objects/core/Service/default/subdir: not where an object file belongs (objects/GROUP/KIND/NAMESPACE/NAME.json); ignored',
    'objects/core/Service/default/bare.json: metadata.uid, resourceVersion, generation or creationTimestamp missing or invalid; skipped',
    'objects/core/Service/default/broken.json: invalid JSON at position 29 (line 1, column 30); skipped',
    'objects/core/Service/default/moved-copy.json: holds Service default/moved, whose file is objects/core/Service/default/moved.json; skipped',
    'removed 1 leftover temporary file(s) of a write interrupted by a crash',
  ]);
  assert.deepEqual(store.list('', 'Service').map((o) => o.metadata.name), ['good', 'moved']);
  assert.equal(store.resourceVersion, '3', 'the counter includes the skipped object\'s version via meta.json');
  await assert.rejects(stat(join(dir, 'objects/core/Service/default/.weft-tmp-4242-0123456789ab')), { code: 'ENOENT' });
  await store.close();
});

test('load: a corrupt meta.json is recovered from the objects', async () => {
  const first = await Store.open({ dir });
  await first.store.apply([svc('a'), svc('b')]);
  await first.store.close();
  await writeFile(join(dir, 'meta.json'), '{');
  const { store, warnings } = await Store.open({ dir });
  assert.deepEqual(warnings, ['meta.json: invalid JSON at position 1 (line 1, column 2); resourceVersion recovered from the objects']);
  assert.equal(store.resourceVersion, '2');
  await store.close();
});

test('a batch whose commit fails half-way is rolled back: files, memory, counter, no events', async () => {
  const { store } = await Store.open({ dir });
  await store.apply([svc('existing', 80)]);
  const before = await readFile(join(dir, 'objects/core/Service/default/existing.json'), 'utf8');
  const events: WatchEvent[] = [];
  store.watch((ev) => events.push(ev));
  // A directory where the third object's file must go: its rename fails after the first two
  // objects' renames have succeeded.
  await mkdir(join(dir, 'objects/core/Service/default/blocked.json'));

  await assert.rejects(store.apply([svc('fresh'), svc('existing', 81), svc('blocked')]), (e: unknown) => {
    assert.match((e as Error).message, /objects\/core\/Service\/default\/blocked\.json/);
    return true;
  });
  assert.equal(await readFile(join(dir, 'objects/core/Service/default/existing.json'), 'utf8'), before);
  await assert.rejects(stat(join(dir, 'objects/core/Service/default/fresh.json')), { code: 'ENOENT' });
  assert.deepEqual(
    (await readdir(join(dir, 'objects/core/Service/default'))).sort(),
    ['blocked.json', 'existing.json'],
    'no temp file left behind',
  );
  assert.equal(store.get('', 'Service', 'default', 'fresh'), undefined);
  assert.deepEqual(store.get('', 'Service', 'default', 'existing')?.spec, { ports: [{ port: 80 }] });
  assert.equal(store.resourceVersion, '1');
  assert.deepEqual(events, []);

  await rm(join(dir, 'objects/core/Service/default/blocked.json'), { recursive: true });
  const outcomes = await store.apply([svc('fresh'), svc('existing', 81), svc('blocked')]);
  assert.deepEqual(outcomes.map((o) => o.object.metadata.resourceVersion), ['2', '3', '4'], 'no version was used up');
  await store.close();
});

test('a batch whose files cannot be prepared changes nothing', async () => {
  const { store } = await Store.open({ dir });
  await store.apply([svc('a')]);
  await writeFile(join(dir, 'objects/core/Secret'), 'a file where the Secret directory should be');
  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' } };
  await assert.rejects(store.apply([svc('a', 99), secret]), /objects\/core\/Secret\/default\/s\.json/);
  assert.deepEqual(store.get('', 'Service', 'default', 'a')?.spec, { ports: [{ port: 80 }] });
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'objects/core/Service/default/a.json'), 'utf8')).spec, {
    ports: [{ port: 80 }],
  });
  assert.deepEqual(await readdir(join(dir, 'objects/core/Service/default')), ['a.json']);
  assert.equal(store.resourceVersion, '1');
  await store.close();
});

test('names too long for a file name are stored under a shortened, hashed name and load back', async () => {
  const long = `n${'x'.repeat(251)}z`; // 253 characters, the Kubernetes maximum
  const { store } = await Store.open({ dir });
  await store.apply([svc(long), svc(`${long.slice(0, -1)}y`)]);
  const files = await readdir(join(dir, 'objects/core/Service/default'));
  assert.equal(files.length, 2);
  assert.ok(files.every((f) => Buffer.byteLength(f) <= 255 && /~[0-9a-f]{16}\.json$/.test(f)));
  await store.close();
  const again = await Store.open({ dir });
  assert.deepEqual(again.warnings, []);
  assert.equal(again.store.get('', 'Service', 'default', long)?.metadata.name, long);
  await again.store.close();
});
