import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from 'undici';
import type { RunningApp } from '../app.ts';
import { matchImage } from '../image-registry.ts';
import { echoChance, echoDelay, echoSize, echoStatus, MAX_ECHO_DELAY_MS } from './echo-params.ts';

async function start(): Promise<{ app: RunningApp; base: string }> {
  const spec = matchImage('fortio/fortio:latest_release');
  assert.ok(spec?.kind === 'app');
  const app = await spec.start({ host: '127.0.0.1', ports: [0], env: {}, podName: 'fortio-deploy-74ffb9b4d6-w6tzv', namespace: 'default', labels: {} });
  return { app, base: `http://127.0.0.1:${app.ports[0]}` };
}

test('echo parameters parse as fortio parses them', () => {
  const roll = (v: number) => () => v;
  assert.equal(echoStatus('503'), 503);
  assert.equal(echoStatus('abc'), 400);
  assert.equal(echoStatus('503:20,429:10', roll(10)), 503);
  assert.equal(echoStatus('503:20,429:10', roll(25)), 429);
  assert.equal(echoStatus('503:20,429:10', roll(50)), 200);
  assert.equal(echoStatus('503:80,429:30'), 400, 'over 100 %');
  assert.equal(echoDelay('250ms'), 250);
  assert.equal(echoDelay('10s'), MAX_ECHO_DELAY_MS);
  assert.equal(echoDelay('10ms:50,1s:5', roll(52)), 1000);
  assert.equal(echoDelay('bogus'), 0);
  assert.equal(echoSize(''), -1);
  assert.equal(echoSize('1024'), 1024);
  assert.equal(echoSize('512:20', roll(90)), -1);
  assert.equal(echoSize('999999999'), 256 * 1024);
  assert.equal(echoChance('true'), true);
  assert.equal(echoChance('false'), false);
  assert.equal(echoChance('30', roll(40)), false);
});

test('fortio server: echo with status, size, header and delay; /debug; /fortio/', async () => {
  const { app, base } = await start();
  try {
    const echoed = await fetch(`${base}/`, { method: 'POST', body: 'payload!', headers: { 'content-type': 'text/x-test' } });
    assert.equal(echoed.status, 200);
    assert.equal(echoed.headers.get('content-type'), 'text/x-test');
    assert.equal(await echoed.text(), 'payload!');
    assert.equal((await fetch(`${base}/any/path?status=503`)).status, 503);
    const sized = await fetch(`${base}/?size=1000&header=X-Extra:yes`);
    assert.equal((await sized.arrayBuffer()).byteLength, 1000);
    assert.equal(sized.headers.get('x-extra'), 'yes');
    const t0 = performance.now();
    await (await fetch(`${base}/?delay=200ms`)).text();
    assert.ok(performance.now() - t0 >= 190);
    const debug = await (await fetch(`${base}/debug?x=1`, { headers: { 'x-b': '2', 'x-a': '1' } })).text();
    assert.match(debug, /^Φορτίο version \S+ echo debug server up for \S+ on fortio-deploy-74ffb9b4d6-w6tzv - request from 127\.0\.0\.1:\d+\n\nGET \/debug\?x=1 HTTP\/1\.1\n\nheaders:\n\nHost: 127\.0\.0\.1:\d+\n/);
    assert.ok(debug.indexOf('X-A: 1') < debug.indexOf('X-B: 2'), 'headers sorted');
    assert.match(debug, /\n\nbody:\n\n\n$/);
    assert.match(await (await fetch(`${base}/fortio/`)).text(), /Φορτίο/);
    assert.equal((await fetch(`${base}/debug/echo/x?status=429`)).status, 429);
  } finally {
    await app.close();
  }
});

test('fortio server speaks h2c on the same port', async () => {
  const { app, base } = await start();
  const client = new Client(base, { allowH2: true, useH2c: true } as Client.Options);
  try {
    const r = await client.request({ path: '/?status=202', method: 'GET' });
    assert.equal(r.statusCode, 202);
    await r.body.text();
  } finally {
    await client.close();
    await app.close();
  }
});
