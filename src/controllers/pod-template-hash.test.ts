import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fnv1a32, podTemplateHash, safeEncodeString } from './pod-template-hash.ts';

test('FNV-1a 32 matches the reference vectors', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(fnv1a32(enc('')), 0x811c9dc5);
  assert.equal(fnv1a32(enc('a')), 0xe40c292c);
  assert.equal(fnv1a32(enc('foobar')), 0xbf9cf968);
});

test('SafeEncodeString maps digits onto the name alphabet as Kubernetes does', () => {
  // '0' is 48: 48 % 27 = 21 → '4'; '6' is 54 → 0 → 'b'; '9' is 57 → 3 → 'f'.
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('the hash is stable for equal templates, whatever the key order, and changes with them', () => {
  const a = { metadata: { labels: { app: 'web', v: '1' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const b = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { v: '1', app: 'web' } } };
  assert.equal(podTemplateHash(a), podTemplateHash(b));
  assert.match(podTemplateHash(a), /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  assert.notEqual(podTemplateHash(a), podTemplateHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }));
  assert.notEqual(podTemplateHash(a), podTemplateHash(a, 1));
});
