import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeRequestPath, removeDotSegments, type PathNormalization } from './path-normalizer.ts';

const EDGE: PathNormalization = { normalizePath: true, mergeSlashes: true, escapedSlashesAction: 'REJECT_REQUEST' };

test('an ordinary path comes back as the same string', () => {
  const p = '/api/v1/users?id=1&x=/../';
  assert.equal(normalizeRequestPath(p, EDGE), p);
});

test('dot-segments, repeated slashes and encoded dots are resolved (edge defaults)', () => {
  const cases: [string, string][] = [
    ['/a/./b', '/a/b'],
    ['/a/b/../c', '/a/c'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/a/%2e%2e/b', '/b'],
    ['/a/%2E/b', '/a/b'],
    ['//a///b', '/a/b'],
    ['/a/b/..', '/a/'],
    ['/a/.', '/a/'],
    ['/%7euser/%41bc', '/~user/Abc'],
    ['/x%3ay', '/x%3Ay'],
    ['/a/../b?q=/../x', '/b?q=/../x'],
    ['/100%', '/100%'],
  ];
  for (const [input, want] of cases) assert.equal(normalizeRequestPath(input, EDGE), want, input);
});

test('escaped slashes, backslashes, fragments, NUL and control bytes are refused', () => {
  for (const p of ['/a%2Fb', '/a%2fb', '/a%5Cb', '/a%5cb']) {
    assert.deepEqual(normalizeRequestPath(p, EDGE), { kind: 'reject', details: 'escaped_slashes_in_url_path' }, p);
  }
  for (const p of ['/a\\b', '/a%00b', '/a\tb', '/caf\u00e9']) {
    assert.deepEqual(normalizeRequestPath(p, EDGE), { kind: 'reject', details: 'path_normalization_failed' }, p);
  }
  assert.deepEqual(normalizeRequestPath('/a#frag', EDGE), { kind: 'reject', details: 'fragment_in_url_path' });
  assert.deepEqual(normalizeRequestPath('/a/./b?x#frag', EDGE), { kind: 'reject', details: 'fragment_in_url_path' });
});

test('the escaped-slashes actions other than reject', () => {
  const keep: PathNormalization = { ...EDGE, escapedSlashesAction: 'KEEP_UNCHANGED' };
  assert.equal(normalizeRequestPath('/a%2fb/../c', keep), '/c');
  assert.equal(normalizeRequestPath('/a%2fb/c', keep), '/a%2Fb/c');
  const forward: PathNormalization = { ...EDGE, escapedSlashesAction: 'UNESCAPE_AND_FORWARD' };
  assert.equal(normalizeRequestPath('/a%2Fb%5cc', forward), '/a/b/c');
  assert.equal(normalizeRequestPath('/a%2F..%2Fb', forward), '/b');
  const redirect: PathNormalization = { ...EDGE, escapedSlashesAction: 'UNESCAPE_AND_REDIRECT' };
  assert.deepEqual(normalizeRequestPath('/a%2Fb?x=1', redirect), { kind: 'redirect', location: '/a/b?x=1' });
});

test('normalisation off leaves dot-segments and slashes alone', () => {
  const off: PathNormalization = { normalizePath: false, mergeSlashes: false, escapedSlashesAction: 'KEEP_UNCHANGED' };
  assert.equal(normalizeRequestPath('//a/../b%2f', off), '//a/../b%2f');
  const mergeOnly: PathNormalization = { ...off, mergeSlashes: true };
  assert.equal(normalizeRequestPath('//a//b', mergeOnly), '/a/b');
});

test('removeDotSegments follows RFC 3986 5.2.4 examples', () => {
  assert.equal(removeDotSegments('/a/b/c/./../../g'), '/a/g');
  assert.equal(removeDotSegments('/mid/content=5/../6'), '/mid/6');
  assert.equal(removeDotSegments('/..'), '/');
});
