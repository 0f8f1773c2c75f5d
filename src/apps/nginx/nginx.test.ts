import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchImage } from '../image-registry.ts';

test('nginx: the welcome page on /, nginx\'s 404 elsewhere, server header and HEAD', async () => {
  const spec = matchImage('nginx');
  assert.ok(spec?.kind === 'app');
  const app = await spec.start({ host: '127.0.0.1', ports: [0], env: {}, podName: 'my-nginx-1', namespace: 'default', labels: {} });
  const base = `http://127.0.0.1:${app.ports[0]}`;
  try {
    const r = await fetch(`${base}/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('server') ?? '', /^nginx\//);
    assert.equal(r.headers.get('content-type'), 'text/html');
    const body = await r.text();
    assert.match(body, /<title>Welcome to nginx!<\/title>/);
    assert.equal(r.headers.get('content-length'), String(Buffer.byteLength(body)));
    assert.equal(await (await fetch(`${base}/index.html`)).text(), body);
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    const missing = await fetch(`${base}/missing`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<center><h1>404 Not Found<\/h1><\/center>/);
    assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 405);
  } finally {
    await app.close();
  }
});
