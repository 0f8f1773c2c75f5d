// Access logs through observe/'s formatters and sinks: Envoy's default line, a configured text
// format to a file, JSON to stdout, and the tcp_proxy's connection line. Each line carries the
// method, path, status, response flags, upstream host and duration.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import type { AccessLog } from '../src/model/index.ts';
import { newFilterChain, newListener } from '../src/model/index.ts';
import { httpRequest, readUntil } from './support/http-client.ts';
import {
  httpListener,
  inlineHcm,
  LogCapture,
  prefixRoute,
  refusedPort,
  snapshotOf,
  startHttpUpstream,
  startTcpEchoUpstream,
  staticCluster,
  type Upstream,
} from './support/upstreams.ts';

describe('access logs', () => {
  let up: Upstream;
  let echo: Upstream;
  let dp: DataPlane;
  let dir: string;
  const stdout = new LogCapture();

  before(async () => {
    up = await startHttpUpstream('backend');
    echo = await startTcpEchoUpstream('echo');
    dir = mkdtempSync(join(tmpdir(), 'weft-access-log-'));
    const fileLog: AccessLog = {
      name: 'envoy.access_loggers.file',
      typedConfig: {
        kind: 'file',
        path: join(dir, 'access.log'),
        logFormat: { format: { kind: 'textFormat', textFormat: '%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_HOST% %DURATION%\n' } },
      },
    };
    const jsonLog: AccessLog = {
      name: 'envoy.access_loggers.stdout',
      filter: { kind: 'statusCodeFilter', op: 'GE', value: 500 },
      typedConfig: {
        kind: 'stdout',
        logFormat: { format: { kind: 'jsonFormat', jsonFormat: { method: '%REQ(:METHOD)%', path: '%REQ(:PATH)%', status: '%RESPONSE_CODE%', flags: '%RESPONSE_FLAGS%', upstream: '%UPSTREAM_HOST%', duration: '%DURATION%' } } },
      },
    };
    dp = new DataPlane({ defaultAccessLog: true, accessLogStdout: stdout });
    const r = await dp.apply(
      snapshotOf({
        listeners: [
          httpListener('default-log', inlineHcm([prefixRoute('/down', 'down'), prefixRoute('/', 'backend')])),
          httpListener('file-log', inlineHcm([prefixRoute('/old', 'backend', { prefixRewrite: '/new' }), prefixRoute('/', 'backend')], { accessLog: [fileLog] }), { ip: '127.0.0.2' }),
          httpListener('json-log', inlineHcm([prefixRoute('/down', 'down'), prefixRoute('/', 'backend')], { accessLog: [jsonLog] }), { ip: '127.0.0.3' }),
          newListener({
            name: 'tcp',
            address: { kind: 'socketAddress', address: '127.0.0.4', portValue: 0 },
            filterChains: [newFilterChain({ filters: [{ kind: 'tcpProxy', name: 'tcp', typedConfig: { statPrefix: 'tcp_echo', clusterSpecifier: { kind: 'cluster', cluster: 'echo' as never }, accessLog: [] } }] })],
          }),
        ],
        clusters: [staticCluster('backend', [up.address]), staticCluster('down', [`127.0.0.1:${await refusedPort()}`]), staticCluster('echo', [echo.address])],
      }),
    );
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await up.close();
    await echo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("Envoy's default format to stdout when the HCM configures none", async () => {
    const port = dp.boundAddress('default-log')!.port;
    await httpRequest({ port, path: '/items?id=7', headers: { 'user-agent': 'test-agent/1', 'x-request-id': 'req-1', host: 'shop.test' } });
    const line = await stdout.waitFor((l) => l.includes('req-1'));
    const m = /^\[(\S+)\] "GET \/items\?id=7 HTTP\/1\.1" 200 - 0 (\d+) (\d+) (\d+) "-" "test-agent\/1" "req-1" "shop\.test" "(127\.0\.0\.1:\d+)"\n$/.exec(line);
    assert.ok(m, line);
    assert.ok(!Number.isNaN(Date.parse(m[1])), 'START_TIME is a timestamp');
    assert.ok(Number(m[2]) > 0, 'bytes sent');
    assert.equal(m[5], up.address, 'upstream host');
    await httpRequest({ port, path: '/down' });
    const failed = await stdout.waitFor((l) => l.includes('"GET /down HTTP/1.1"'));
    assert.match(failed, /" 503 UF 0 91 \d+ - /);
  });

  test('a configured text format to a file, with the original path of a rewrite', async () => {
    const port = dp.boundAddress('file-log')!.port;
    await httpRequest({ host: '127.0.0.2', port, path: '/old/page' });
    await dp.flushAccessLogs();
    const lines = readFileSync(join(dir, 'access.log'), 'utf8').trim().split('\n');
    const line = lines.find((l) => l.startsWith('GET /old/page'));
    assert.ok(line, lines.join('\n'));
    assert.match(line, new RegExp(`^GET /old/page 200 - ${up.address.replace(/\./g, '\\.')} \\d+$`));
  });

  test('JSON to stdout, through the access log filter', async () => {
    const port = dp.boundAddress('json-log')!.port;
    await httpRequest({ host: '127.0.0.3', port, path: '/fine' });
    await httpRequest({ host: '127.0.0.3', port, path: '/down' });
    const line = await stdout.waitFor((l) => l.startsWith('{') && l.includes('/down'));
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual({ ...entry, duration: typeof entry.duration }, { method: 'GET', path: '/down', status: 503, flags: 'UF', upstream: entry.upstream, duration: 'number' });
    assert.ok(!stdout.lines.some((l) => l.startsWith('{') && l.includes('/fine')), 'the filter kept the 200 out');
  });

  test('tcp_proxy logs one line per connection with the upstream host', async () => {
    const port = dp.boundAddress('tcp')!.port;
    const s = net.connect(port, '127.0.0.4');
    await readUntil(s, (t) => t.includes('\n'));
    s.end();
    await new Promise<void>((resolve) => s.once('close', () => resolve()));
    const line = await stdout.waitFor((l) => l.includes(`"${echo.address}"`));
    assert.match(line, /^\[\S+\] "- - -" 0 - \d+ \d+ \d+ /);
  });
});
