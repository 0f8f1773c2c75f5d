import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { WatchHub } from './watch-hub.ts';
import type { RecordedEvent, WatchEvent } from './watch-hub.ts';

function ev(rv: number, name = `o${rv}`): RecordedEvent {
  const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion: String(rv) } };
  return { type: 'ADDED', object, resourceVersion: rv };
}

function names(events: WatchEvent[]): string[] {
  return events.map((e) => e.object.metadata.name);
}

test('the history keeps the last N events; the replay window moves with it', () => {
  const hub = new WatchHub(10, 3);
  assert.equal(hub.oldestReplayable, 10);
  hub.publish([ev(11), ev(12)]);
  assert.equal(hub.oldestReplayable, 10, 'nothing evicted yet');
  hub.publish([ev(13), ev(14), ev(15)]);
  assert.equal(hub.oldestReplayable, 12, 'events 11 and 12 are gone; 13..15 replayable after 12');
  const got: WatchEvent[] = [];
  hub.subscribe((e) => got.push(e), {}, { sinceResourceVersion: 12 });
  assert.deepEqual(names(got), ['o13', 'o14', 'o15']);
  // Many more publishes: the buffer compacts and the window keeps moving.
  for (let rv = 16; rv < 40; rv++) hub.publish([ev(rv)]);
  assert.equal(hub.oldestReplayable, 36);
  const late: WatchEvent[] = [];
  hub.subscribe((e) => late.push(e), {}, { sinceResourceVersion: 37 });
  assert.deepEqual(names(late), ['o38', 'o39']);
  assert.equal(got.length, 3 + 24, 'the first subscriber got every live event');
});

test('a subscriber added during delivery replays the batch once, without duplicates', () => {
  const hub = new WatchHub(0);
  const second: WatchEvent[] = [];
  let added = false;
  hub.subscribe(() => {
    if (added) return;
    added = true;
    hub.subscribe((e) => second.push(e), {}, { sinceResourceVersion: 0 });
  }, {});
  hub.publish([ev(1), ev(2)]);
  hub.publish([ev(3)]);
  assert.deepEqual(names(second), ['o1', 'o2', 'o3']);
});

test('initial objects are delivered as ADDED through the filter, then live events', () => {
  const hub = new WatchHub(5);
  const got: WatchEvent[] = [];
  const initial = [ev(1, 'cm-a').object, { ...ev(2, 'svc').object, kind: 'Service' }];
  const stop = hub.subscribe((e) => got.push(e), { kind: 'ConfigMap' }, { initial });
  hub.publish([ev(6)]);
  stop();
  hub.publish([ev(7)]);
  assert.deepEqual(got.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED cm-a', 'ADDED o6']);
});
