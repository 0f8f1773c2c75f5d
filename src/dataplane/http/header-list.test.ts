import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromUpstreamRawHeaders, headerListRemove, headerListSet, headerListToObject, toUpstreamHeaderList, type RequestHeaders } from './header-list.ts';

test('request headers to the upstream list: host first, hop-by-hop and nominated headers out, te only as trailers', () => {
  const h: RequestHeaders = {
    host: 'client.test',
    connection: 'keep-alive, X-Hop',
    'x-hop': 'gone',
    'keep-alive': 'timeout=5',
    'proxy-connection': 'keep-alive',
    'transfer-encoding': 'chunked',
    upgrade: 'h2c',
    expect: '100-continue',
    te: 'trailers, deflate',
    ':path': '/pseudo',
    'set-cookie': ['a=1', 'b=2'],
    'x-envoy-retry-on': '5xx',
    'x-removed': undefined,
    accept: '*/*',
  };
  assert.deepEqual(toUpstreamHeaderList(h, 'upstream.test', new Set(['x-envoy-retry-on'])), [
    'host', 'upstream.test',
    'te', 'trailers',
    'set-cookie', 'a=1',
    'set-cookie', 'b=2',
    'accept', '*/*',
  ]);
  assert.deepEqual(toUpstreamHeaderList({ te: 'gzip' }, 'h', undefined), ['host', 'h']);
});

test('upstream raw headers: names lower-cased, hop-by-hop dropped unless upgrading', () => {
  const raw = ['Content-Type', 'text/plain', 'Connection', 'keep-alive', 'Transfer-Encoding', 'chunked', 'Set-Cookie', 'a', 'Set-Cookie', 'b'].map((s) => Buffer.from(s));
  assert.deepEqual(fromUpstreamRawHeaders(raw, false), ['content-type', 'text/plain', 'set-cookie', 'a', 'set-cookie', 'b']);
  const up = ['Upgrade', 'websocket', 'Connection', 'Upgrade'].map((s) => Buffer.from(s));
  assert.deepEqual(fromUpstreamRawHeaders(up, true), ['upgrade', 'websocket', 'connection', 'Upgrade']);
});

test('set, remove and the HTTP/2 object form', () => {
  const l = ['a', '1', 'b', '2', 'a', '3'];
  headerListSet(l, 'a', 'x');
  assert.deepEqual(l, ['a', 'x', 'b', '2']);
  headerListSet(l, 'c', 'y');
  assert.deepEqual(l, ['a', 'x', 'b', '2', 'c', 'y']);
  headerListRemove(l, 'b');
  assert.deepEqual(l, ['a', 'x', 'c', 'y']);
  assert.deepEqual(headerListToObject(['set-cookie', 'a', 'set-cookie', 'b', 'x', '1'], 200), { ':status': 200, 'set-cookie': ['a', 'b'], x: '1' });
});
