import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from 'undici';
import type { AppStartOptions, RunningApp } from '../app.ts';
import { matchImage } from '../image-registry.ts';

async function start(image: string, extra: Partial<AppStartOptions> = {}): Promise<{ app: RunningApp; base: string }> {
  const spec = matchImage(image);
  assert.ok(spec?.kind === 'app');
  const app = await spec.start({ host: '127.0.0.1', ports: [0], env: {}, podName: 'echo-service-1-867d69c679-t9v4v', namespace: 'default', labels: {}, ...extra });
  return { app, base: `http://127.0.0.1:${app.ports[0]}` };
}

test('echo-basic: the JSON echo of the request, shaped and spelled as echo-basic prints it', async () => {
  const { app, base } = await start('gcr.io/k8s-staging-gateway-api/echo-basic:v20231214-v1.0.0-140-gf544a46e', {
    env: { POD_NAME: 'backend-5b7f9c9b8-x2x2x', NAMESPACE: 'gw' },
  });
  try {
    const r = await fetch(`${base}/get?x=1`, { headers: { 'x-forwarded-for': '10.0.0.1', 'X-Multi': 'a' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    const text = await r.text();
    assert.match(text, /^\{\n "path": "\/get\?x=1",\n "host": "127\.0\.0\.1:\d+",\n "method": "GET",\n "proto": "HTTP\/1\.1",\n "headers": \{\n {2}"/);
    const doc = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), ['path', 'host', 'method', 'proto', 'headers', 'namespace', 'ingress', 'service', 'pod', 'sni']);
    const headers = doc.headers as Record<string, string[]>;
    assert.deepEqual(headers['X-Forwarded-For'], ['10.0.0.1']);
    assert.deepEqual(headers['X-Multi'], ['a']);
    assert.equal(headers.Host, undefined);
    assert.deepEqual(Object.keys(headers), [...Object.keys(headers)].sort());
    assert.equal(doc.namespace, 'gw');
    assert.equal(doc.pod, 'backend-5b7f9c9b8-x2x2x');
  } finally {
    await app.close();
  }
});

test('echo-basic: /health, /status/NNN, ?delay=, X-Echo-Set-Header, and the Pod identity as fallback', async () => {
  const { app, base } = await start('registry.k8s.io/gateway-api/echo-basic:v1.5.1');
  try {
    assert.equal(await (await fetch(`${base}/health`)).text(), 'OK');
    assert.equal((await fetch(`${base}/status/418`)).status, 418);
    assert.equal((await fetch(`${base}/status/4000`)).status, 400);
    const t0 = performance.now();
    const delayed = await fetch(`${base}/?delay=150ms`, { headers: { 'x-echo-set-header': 'X-Foo: bar, X-Baz: 1' } });
    assert.ok(performance.now() - t0 >= 140);
    assert.equal(delayed.headers.get('x-foo'), 'bar');
    assert.equal(delayed.headers.get('x-baz'), '1');
    const doc = (await delayed.json()) as Record<string, string>;
    assert.equal(doc.pod, 'echo-service-1-867d69c679-t9v4v');
    assert.equal(doc.namespace, 'default');
    assert.equal((await fetch(`${base}/?delay=soon`)).status, 500);
  } finally {
    await app.close();
  }
});

test('echo-basic speaks h2c on its port, as the original does', async () => {
  const { app, base } = await start('gcr.io/k8s-staging-gateway-api/echo-basic:v1');
  const client = new Client(base, { allowH2: true, useH2c: true } as Client.Options);
  try {
    const r = await client.request({ path: '/h2', method: 'GET' });
    const doc = (await r.body.json()) as Record<string, string>;
    assert.equal(doc.proto, 'HTTP/2.0');
    assert.equal(doc.path, '/h2');
    assert.match(doc.host, /^127\.0\.0\.1:\d+$/);
  } finally {
    await client.close();
    await app.close();
  }
});

test('json-mock: / answers 200 with the echo naming the Pod; /foo is the app\'s own 404', async () => {
  const { app, base } = await start('quay.io/cilium/json-mock:v1.3.2@sha256:bc6c46c74efadb135bc996c2467cece6989302371ef4e3f068361460abaf39be', {
    env: { PORT: '8080' },
  });
  try {
    const root = await fetch(`${base}/`);
    assert.equal(root.status, 200);
    assert.equal(root.headers.get('x-powered-by'), 'Express');
    const text = await root.text();
    assert.match(text, /echo-service-1-867d69c679-t9v4v/);
    assert.equal((JSON.parse(text) as { path: string }).path, '/');
    const foo = await fetch(`${base}/foo`);
    assert.equal(foo.status, 404);
    assert.equal(await foo.text(), '{}');
    assert.deepEqual(await (await fetch(`${base}/public`)).json(), [{ id: 1, body: 'public information' }]);
    assert.deepEqual(await (await fetch(`${base}/private/1`)).json(), { id: 1, body: 'secret information' });
    assert.equal((await fetch(`${base}/public/2`)).status, 404);
    assert.deepEqual(await (await fetch(`${base}/client-ip`)).json(), { 'client-ip': '127.0.0.1' });
    assert.equal((await fetch(`${base}/auth-header-required`)).status, 401);
    assert.equal((await fetch(`${base}/__proto__`)).status, 404);
  } finally {
    await app.close();
  }
});

test('e2e echoserver: the plain-text report whose Hostname line Cilium\'s splitting example counts', async () => {
  const { app, base } = await start('gcr.io/kubernetes-e2e-test-images/echoserver:2.2', {
    podName: 'echo-1-7d8f5b8c6f-abcde',
    env: { POD_NAME: 'echo-1-7d8f5b8c6f-abcde', POD_NAMESPACE: 'default', POD_IP: '127.244.0.5', NODE_NAME: 'weft' },
  });
  try {
    const text = await (await fetch(`${base}/echo?a=1`, { method: 'POST', body: 'hi' })).text();
    assert.match(text, /^Hostname: echo-1-7d8f5b8c6f-abcde$/m);
    assert.match(text, /^\tpod namespace:\tdefault$/m);
    assert.match(text, /^\tmethod=POST$/m);
    assert.match(text, /^\treal path=\/echo$/m);
    assert.match(text, /^\tquery=a=1$/m);
    assert.match(text, /^hi$/m);
  } finally {
    await app.close();
  }
});
