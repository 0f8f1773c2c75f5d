import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { ok } from '../lib/result.ts';
import type { Snapshot } from '../model/index.ts';
import { Store } from '../store/index.ts';
import { standaloneIngest } from './ingesters.ts';
import { Reconciler } from './reconciler.ts';

const svc = (ip: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: ip, ports: [{ port: 80 }] } }) as KubeObject;
const slice = (ips: string[]): KubeObject =>
  ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ port: 8080 }],
    endpoints: ips.map((ip) => ({ addresses: [ip] })),
  }) as unknown as KubeObject;

test('publishes on relevant changes only, once per distinct content', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-rec-'));
  const { store } = await Store.open({ dir });
  const published: Snapshot[] = [];
  const rec = new Reconciler({ store, ingest: standaloneIngest(), publish: async (s) => (published.push(s), ok(undefined)), log: () => {} });
  try {
    await rec.start();
    assert.equal(published.length, 1);
    assert.equal(published[0].listeners.length, 0);

    await store.apply([svc('127.96.0.7'), slice(['127.244.0.2', '127.244.0.3'])]);
    await rec.reconcileNow();
    assert.equal(published.length, 2);
    assert.deepEqual(published[1].listeners.map((l) => l.name), ['service/default/web:80']);

    // A ConfigMap is not an input: no reconcile; the same content again: no publish.
    await store.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { a: 'b' } } as KubeObject]);
    await rec.whenSettled();
    await rec.reconcileNow();
    assert.equal(published.length, 2);

    // A burst of writes is debounced into one snapshot.
    await store.apply([slice(['127.244.0.2'])]);
    await store.apply([slice(['127.244.0.4'])]);
    await new Promise<void>((r) => setImmediate(r));
    await rec.whenSettled();
    assert.equal(published.length, 3);
    assert.equal(rec.state.published, 3);
    assert.match(rec.state.message, /^1 listeners, 1 clusters; snapshot 3/);
  } finally {
    await rec.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a config the data plane refuses is left out, the rest served, and it is tried again later', async () => {
  const { parse } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const seedFile = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'seeds', '004_ead56103dfc75f11-01-admin-listener.yaml');
  const admin = parse(readFileSync(seedFile, 'utf8')) as KubeObject;
  const dir = mkdtempSync(join(tmpdir(), 'weft-rec-'));
  const { store } = await Store.open({ dir });
  let portBusy = true;
  const published: Snapshot[] = [];
  const outcomes: { excluded: number; serving: boolean }[] = [];
  const rec = new Reconciler({
    store,
    ingest: standaloneIngest(),
    retryExcludedMs: 30,
    publish: async (s) => {
      const l = s.listeners.find((x) => x.name === '/envoy-admin-listener/envoy-admin-listener');
      if (l !== undefined && portBusy) {
        return { ok: false, error: [{ code: 'WEFT_IO', severity: 'error', message: 'cannot listen: EADDRINUSE', object: { kind: 'CiliumClusterwideEnvoyConfig', name: 'envoy-admin-listener' } }] };
      }
      published.push(s);
      return ok(undefined);
    },
    onReconciled: (o) => {
      outcomes.push({ excluded: o.excluded.size, serving: o.serving });
    },
    log: () => {},
  });
  try {
    await store.apply([svc('127.96.0.7'), slice(['127.244.0.2']), admin]);
    await rec.start();
    // Served without the config that could not bind; the Service's listener is there.
    assert.deepEqual(published.at(-1)?.listeners.map((l) => l.name), ['service/default/web:80']);
    assert.deepEqual(outcomes.at(-1), { excluded: 1, serving: true });
    portBusy = false;
    const deadline = Date.now() + 5_000;
    while (!published.at(-1)?.listeners.some((l) => l.name === '/envoy-admin-listener/envoy-admin-listener') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(published.at(-1)?.listeners.map((l) => l.name), ['/envoy-admin-listener/envoy-admin-listener', 'service/default/web:80']);
    assert.deepEqual(outcomes.at(-1), { excluded: 0, serving: true });
  } finally {
    await rec.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
