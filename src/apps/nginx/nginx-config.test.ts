import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNginxConfig } from './nginx-config.ts';

test('the TLS passthrough tutorial\'s nginx.conf: one TLS listener with its certificate files', () => {
  const conf = `events { }
http {
  server {
    listen 443 ssl;
    server_name nginx.cilium.rocks;
    ssl_certificate /etc/nginx-server-certs/tls.crt;
    ssl_certificate_key /etc/nginx-server-certs/tls.key;
    root /usr/share/nginx/html;
    index index.html;
  }
}
`;
  assert.deepEqual(parseNginxConfig(conf), {
    ok: true,
    value: [{ port: 443, ssl: true, certificate: '/etc/nginx-server-certs/tls.crt', certificateKey: '/etc/nginx-server-certs/tls.key' }],
  });
});

test('several servers and listen forms; comments and quotes; a server without listen gets 80', () => {
  const conf = `# comment
server { listen 8080 default_server; listen [::]:8080; location / { return 200 "a;b{c}"; } }
server { listen 127.0.0.1:8443 ssl http2; ssl_certificate 'c.pem'; }
server { server_name other; }
server { listen unix:/tmp/s.sock; }`;
  assert.deepEqual(parseNginxConfig(conf), {
    ok: true,
    value: [
      { port: 8080, ssl: false },
      { port: 8443, ssl: true, certificate: 'c.pem' },
      { port: 80, ssl: false },
    ],
  });
});

test('malformed configuration reads like nginx\'s [emerg] lines', () => {
  const bad: [string, RegExp][] = [
    ['server { listen 80;', /unexpected end of file, expecting "}"/],
    ['server { listen 80 }', /unexpected "}" after "listen 80"/],
    ['}', /unexpected "}"/],
    ['server { listen nope; }', /invalid port in "nope"/],
    ['worker_processes 1', /expecting ";"/],
  ];
  for (const [text, re] of bad) {
    const r = parseNginxConfig(text);
    assert.ok(!r.ok, text);
    assert.match(r.error, /^nginx: \[emerg\] /);
    assert.match(r.error, re);
  }
});
