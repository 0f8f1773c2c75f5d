import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { Store } from '../store/index.ts';
import type { Controller } from './controller.ts';
import { ControllerManager } from './controller-manager.ts';
import { keyOfObject } from './object-refs.ts';
import { FakeClock } from './test-support.ts';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-manager-'));
  ({ store } = await Store.open({ dir }));
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v: name } });

/** A controller that records what it reconciles and can be made to fail or to block. */
class Recorder implements Controller {
  readonly name = 'recorder';
  readonly workers = 4;
  readonly triggers = [{ group: '', kind: 'ConfigMap', keysFor: (ev: { object: KubeObject }) => [keyOfObject(ev.object)] }];
  readonly seen: string[] = [];
  failuresLeft = new Map<string, number>();
  active = new Set<string>();
  overlaps = 0;
  gate: Promise<void> | undefined;
  shutdownCalls = 0;

  async reconcile(key: string): Promise<void> {
    if (this.active.has(key)) this.overlaps++;
    this.active.add(key);
    try {
      if (this.gate) await this.gate;
      const left = this.failuresLeft.get(key) ?? 0;
      if (left > 0) {
        this.failuresLeft.set(key, left - 1);
        throw new Error('boom');
      }
      this.seen.push(key);
    } finally {
      this.active.delete(key);
    }
  }

  async shutdown(): Promise<void> {
    this.shutdownCalls++;
  }
}

test('on start, every existing object is reconciled; then events drive it', async () => {
  await store.apply([cm('a'), cm('b')]);
  const r = new Recorder();
  const m = new ControllerManager({ store, controllers: [r], clock: new FakeClock(), log: () => {} });
  m.start();
  await m.whenIdle();
  assert.deepEqual([...r.seen].sort(), ['default/a', 'default/b']);
  await store.apply([cm('c')]);
  await m.whenIdle();
  assert.ok(r.seen.includes('default/c'));
  await m.stop();
  assert.equal(r.shutdownCalls, 1);
});

test('a failing reconcile is retried with backoff on the clock and logged', async () => {
  const clock = new FakeClock();
  const logs: string[] = [];
  const r = new Recorder();
  r.failuresLeft.set('default/a', 2);
  const m = new ControllerManager({ store, controllers: [r], clock, log: (l) => logs.push(l), backoff: { baseMs: 100, maxMs: 1000 } });
  m.start();
  await store.apply([cm('a')]);
  await m.whenIdle();
  assert.deepEqual(r.seen, []);
  assert.equal(m.stats()[0].delayed, 1);
  clock.advance(99);
  await m.whenIdle();
  assert.deepEqual(r.seen, []);
  clock.advance(1);
  await m.whenIdle();
  clock.advance(200);
  await m.whenIdle();
  assert.deepEqual(r.seen, ['default/a']);
  assert.equal(m.stats()[0].failuresTotal, 2);
  assert.deepEqual(logs, [
    'weft: controller recorder: default/a: boom (retry 1 in 100 ms)',
    'weft: controller recorder: default/a: boom (retry 2 in 200 ms)',
  ]);
  await m.stop();
});

test('a key is never reconciled by two workers at once; stop awaits the in-flight reconcile', async () => {
  const r = new Recorder();
  let open!: () => void;
  r.gate = new Promise((resolve) => (open = resolve));
  const m = new ControllerManager({ store, controllers: [r], clock: new FakeClock(), log: () => {} });
  m.start();
  await store.apply([cm('a')]);
  await store.apply([{ ...cm('a'), data: { v: '2' } }]);
  await store.apply([{ ...cm('a'), data: { v: '3' } }]);
  let stopped = false;
  const stopping = m.stop().then(() => (stopped = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stopped, false, 'stop waits for the reconcile');
  open();
  await stopping;
  assert.equal(r.overlaps, 0);
  assert.equal(r.shutdownCalls, 1);
});
