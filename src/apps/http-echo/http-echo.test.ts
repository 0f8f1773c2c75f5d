import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchImage } from '../image-registry.ts';
import { parseHttpEchoFlags } from './http-echo.ts';

test('flags as Go parses them: -text=x, -text x, --listen=:8080, -status-code', () => {
  assert.deepEqual(parseHttpEchoFlags(['-text=blue']), { text: 'blue', statusCode: 200 });
  assert.deepEqual(parseHttpEchoFlags(['-listen', ':8080', '--text', 'hello world']), { text: 'hello world', listenPort: 8080, statusCode: 200 });
  assert.deepEqual(parseHttpEchoFlags(['/http-echo', '-status-code=418', '-listen=0.0.0.0:9000']), { listenPort: 9000, statusCode: 418 });
  assert.deepEqual(parseHttpEchoFlags(['-status-code=abc']), { statusCode: 200 });
});

test('hashicorp/http-echo answers its -text on every path, on the pod IP and the -listen port', async () => {
  const spec = matchImage('docker.io/hashicorp/http-echo:1.0', { args: ['-listen=:0', '-text=yellow'] });
  assert.ok(spec !== undefined && spec.kind === 'app');
  assert.deepEqual(spec.defaultPorts({}), [5678], 'port 0 is not a real -listen port; the default stays');
  const app = await spec.start({ host: '127.0.0.1', ports: [0], env: {}, podName: 'p', namespace: 'default', labels: {} });
  try {
    const r = await fetch(`http://127.0.0.1:${app.ports[0]}/color`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'yellow\n');
    const h = await fetch(`http://127.0.0.1:${app.ports[0]}/health`);
    assert.deepEqual(await h.json(), { status: 'ok' });
  } finally {
    await app.close();
  }
});
