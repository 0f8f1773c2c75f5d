import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppStartOptions } from '../app.ts';
import { matchImage } from '../image-registry.ts';

async function start(image: string, extra: Partial<AppStartOptions> = {}) {
  const spec = matchImage(image);
  assert.ok(spec?.kind === 'app');
  const app = await spec.start({ host: '127.0.0.1', ports: [0], env: {}, podName: 'helloworld-v1-9c5dfd585-249rd', namespace: 'default', labels: {}, ...extra });
  return { app, base: `http://127.0.0.1:${app.ports[0]}` };
}

test('GET /hello answers the version from the image and the Pod name, as the tutorials show', async () => {
  const { app, base } = await start('docker.io/istio/examples-helloworld-v1');
  try {
    const r = await fetch(`${base}/hello`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'Hello version: v1, instance: helloworld-v1-9c5dfd585-249rd\n');
    assert.equal((await fetch(`${base}/health`)).status, 200);
    const missing = await fetch(`${base}/nope`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Not Found/);
    assert.equal((await fetch(`${base}/hello`, { method: 'POST' })).status, 405);
  } finally {
    await app.close();
  }
});

test('SERVICE_VERSION and HOSTNAME from the container environment win', async () => {
  const { app, base } = await start('docker.io/istio/examples-helloworld-v2', { env: { SERVICE_VERSION: 'v7', HOSTNAME: 'custom-host' } });
  try {
    assert.equal(await (await fetch(`${base}/hello`)).text(), 'Hello version: v7, instance: custom-host\n');
  } finally {
    await app.close();
  }
});
