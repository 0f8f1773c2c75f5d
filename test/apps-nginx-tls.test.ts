// nginx with the configuration and certificates a Pod mounts from a ConfigMap and a Secret, as in
// seed 003's TLS passthrough scenario: it serves its welcome page over TLS on the configured port.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, test } from 'node:test';
import { matchImage } from '../src/apps/image-registry.ts';
import { createTestPki } from './support/certs.ts';

const pki = createTestPki();
after(() => pki.cleanup());

function conf(port: number): string {
  return `events { }
http {
  server {
    listen ${port} ssl;
    server_name nginx.cilium.rocks;
    ssl_certificate /etc/nginx-server-certs/tls.crt;
    ssl_certificate_key /etc/nginx-server-certs/tls.key;
    root /usr/share/nginx/html;
    index index.html;
  }
}
`;
}

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/', servername: 'nginx.cilium.rocks', ca: pki.caPem, headers: { host: 'nginx.cilium.rocks' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

test('a mounted nginx.conf with "listen ... ssl" serves the welcome page over TLS', async () => {
  const cert = pki.issue('nginx.cilium.rocks');
  const spec = matchImage('nginx');
  assert.ok(spec?.kind === 'app');
  const files = new Map<string, string>([
    ['/etc/nginx/nginx.conf', conf(0)],
    ['/etc/nginx-server-certs/tls.crt', cert.certPem],
    ['/etc/nginx-server-certs/tls.key', cert.keyPem],
  ]);
  const app = await spec.start({ host: '127.0.0.1', ports: [443], env: {}, podName: 'my-nginx-1', namespace: 'default', labels: {}, files });
  try {
    assert.equal(app.ports.length, 1);
    const r = await get(app.ports[0]);
    assert.equal(r.status, 200);
    assert.match(r.body, /Welcome to nginx!/);
  } finally {
    await app.close();
  }
});

test('a missing certificate or a broken configuration makes start fail with nginx\'s message', async () => {
  const spec = matchImage('nginx');
  assert.ok(spec?.kind === 'app');
  const base = { host: '127.0.0.1', ports: [0], env: {}, podName: 'p', namespace: 'default', labels: {} };
  await assert.rejects(spec.start({ ...base, files: new Map([['/etc/nginx/nginx.conf', conf(0)]]) }), /cannot load certificate "\/etc\/nginx-server-certs\/tls\.crt"/);
  await assert.rejects(spec.start({ ...base, files: new Map([['/etc/nginx/nginx.conf', 'http { server { listen 80; }']]) }), /nginx: \[emerg\] unexpected end of file/);
});
