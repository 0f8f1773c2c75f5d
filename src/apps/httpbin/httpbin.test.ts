import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningApp } from '../app.ts';
import { matchImage } from '../image-registry.ts';

async function start(image: string): Promise<{ app: RunningApp; base: string }> {
  const spec = matchImage(image);
  assert.ok(spec?.kind === 'app');
  const app = await spec.start({ host: '127.0.0.1', ports: [0], env: {}, podName: 'httpbin-1', namespace: 'default', labels: {} });
  return { app, base: `http://127.0.0.1:${app.ports[0]}` };
}

test('httpbin (python flavour): /get, /headers, /ip, /user-agent, /uuid, /anything', async () => {
  const { app, base } = await start('docker.io/kong/httpbin');
  try {
    const get = (await (await fetch(`${base}/get?a=1&a=2&b=x`, { headers: { 'x-test': 'yes', 'user-agent': 'curl/8.0' } })).json()) as Record<string, any>;
    assert.deepEqual(get.args, { a: ['1', '2'], b: 'x' });
    assert.equal(get.headers['X-Test'], 'yes');
    assert.equal(get.origin, '127.0.0.1');
    assert.match(get.url, /^http:\/\/127\.0\.0\.1:\d+\/get\?a=1&a=2&b=x$/);
    assert.deepEqual(Object.keys(get), ['args', 'headers', 'origin', 'url']);
    assert.equal(((await (await fetch(`${base}/headers`, { headers: { 'x-a': 'b' } })).json()) as any).headers['X-A'], 'b');
    assert.deepEqual(await (await fetch(`${base}/ip`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).json(), { origin: '10.1.2.3' });
    assert.deepEqual(await (await fetch(`${base}/user-agent`, { headers: { 'user-agent': 'curl/8.0' } })).json(), { 'user-agent': 'curl/8.0' });
    assert.match(((await (await fetch(`${base}/uuid`)).json()) as any).uuid, /^[0-9a-f-]{36}$/);
    const any = (await (await fetch(`${base}/anything/x`, { method: 'PUT', body: '{"k":1}', headers: { 'content-type': 'application/json' } })).json()) as any;
    assert.equal(any.method, 'PUT');
    assert.deepEqual(any.json, { k: 1 });
    assert.equal(any.data, '{"k":1}');
    const post = (await (await fetch(`${base}/post`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).json()) as any;
    assert.deepEqual(post.form, { a: '1' });
    assert.equal((await fetch(`${base}/get`, { method: 'POST' })).status, 405);
  } finally {
    await app.close();
  }
});

test('httpbin: /status, bounded /delay and /bytes, 404', async () => {
  const { app, base } = await start('kennethreitz/httpbin');
  try {
    assert.equal((await fetch(`${base}/status/503`)).status, 503);
    assert.ok([201, 202].includes((await fetch(`${base}/status/201,202`)).status));
    assert.equal((await fetch(`${base}/status/abc`)).status, 400);
    const t0 = performance.now();
    assert.equal((await fetch(`${base}/delay/0.2`)).status, 200);
    assert.ok(performance.now() - t0 >= 190);
    assert.equal((await (await fetch(`${base}/bytes/64`)).arrayBuffer()).byteLength, 64);
    assert.equal((await (await fetch(`${base}/bytes/10000000`)).arrayBuffer()).byteLength, 100 * 1024);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
  } finally {
    await app.close();
  }
});

test('go-httpbin flavour: list values and the method in /get; default port 8080', async () => {
  const spec = matchImage('mccutchen/go-httpbin:v2.15.0');
  assert.ok(spec?.kind === 'app');
  assert.deepEqual(spec.defaultPorts({}), [8080]);
  const { app, base } = await start('mccutchen/go-httpbin:v2.15.0');
  try {
    const get = (await (await fetch(`${base}/get?a=1`, { headers: { 'x-test': 'yes' } })).json()) as Record<string, any>;
    assert.deepEqual(get.args, { a: ['1'] });
    assert.deepEqual(get.headers['X-Test'], ['yes']);
    assert.equal(get.method, 'GET');
  } finally {
    await app.close();
  }
});
