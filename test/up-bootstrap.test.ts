// `weft up --bootstrap FILE`: a plain Envoy v3 bootstrap served by the data plane, with the admin
// endpoints on the local API, the default access log on stdout, and a broken change rejected while
// the previous snapshot keeps serving.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, startWeft, tempDir, waitFor } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

function bootstrap(upstreamPort: number, cluster = 'backend'): string {
  return `static_resources:
  listeners:
  - name: web
    address:
      socket_address: { address: 127.0.0.1, port_value: 0 }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: web
          route_config:
            name: web
            virtual_hosts:
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: / }
                route: { cluster: ${cluster} }
          http_filters:
          - name: envoy.filters.http.router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
  - name: backend
    type: STATIC
    connect_timeout: 1s
    load_assignment:
      cluster_name: backend
      endpoints:
      - lb_endpoints:
        - endpoint:
            address:
              socket_address: { address: 127.0.0.1, port_value: ${upstreamPort} }
`;
}

describe('weft up --bootstrap', () => {
  let upstream: Server;
  let upstreamPort: number;
  let state: string;
  let file: string;
  let weft: RunningWeft;
  let listenerUrl: string;
  const seen: string[] = [];

  before(async () => {
    upstream = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.setHeader('content-type', 'text/plain');
      res.end(`upstream saw ${req.method} ${req.url}\n`);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamPort = (upstream.address() as AddressInfo).port;
    state = tempDir();
    file = join(state, 'bootstrap.yaml');
    writeFileSync(file, bootstrap(upstreamPort));
    weft = await startWeft({ state, args: ['--bootstrap', file] });
    const listeners = (await (await fetch(`${weft.apiUrl}/listeners?format=json`)).json()) as any;
    const sock = listeners.listener_statuses[0].local_address.socket_address;
    listenerUrl = `http://${sock.address}:${sock.port_value}`;
  });

  after(async () => {
    assert.equal(await weft.stop(), 0);
    await new Promise((r) => upstream.close(r));
    removeDir(state);
  });

  test('proxies a request with Envoy headers, and logs it in Envoy format', async () => {
    const res = await fetch(`${listenerUrl}/hello?x=1`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'upstream saw GET /hello?x=1\n');
    assert.equal(res.headers.get('server'), 'envoy');
    assert.match(res.headers.get('x-envoy-upstream-service-time') ?? '', /^\d+$/);
    const line = await waitFor('the access log line', async () =>
      weft.stdout().split('\n').find((l) => l.includes('"GET /hello?x=1 HTTP/1.1"')),
    );
    // [START_TIME] "METHOD PATH PROTOCOL" CODE FLAGS ... DURATION ... "UPSTREAM_HOST"
    assert.match(line, /^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] "GET \/hello\?x=1 HTTP\/1\.1" 200 - 0 \d+ \d+ \d+ /);
    assert.ok(line.endsWith(`"127.0.0.1:${upstreamPort}"`), line);
  });

  test('no route → 404 NR; the admin endpoints answer', async () => {
    const prom = await (await fetch(`${weft.apiUrl}/stats/prometheus`)).text();
    assert.match(prom, /^envoy_cluster_backend_upstream_rq_total\{\} \d+$/m);
    const clusters = await (await fetch(`${weft.apiUrl}/clusters`)).text();
    assert.ok(clusters.includes(`backend::127.0.0.1:${upstreamPort}::health_flags::healthy`), clusters);
    const dump = (await (await fetch(`${weft.apiUrl}/config_dump`)).json()) as any;
    const types = dump.configs.map((c: any) => c['@type']);
    assert.ok(types.includes('type.googleapis.com/envoy.admin.v3.ListenersConfigDump'));
    assert.match(dump.configs[0].version_info, /^\d+ [0-9a-f]{64}$/);
    const info = (await (await fetch(`${weft.apiUrl}/server_info`)).json()) as any;
    assert.equal(info.state, 'LIVE');
    const stats = await (await fetch(`${weft.apiUrl}/stats`)).text();
    assert.match(stats, /^http\.web\.downstream_rq_total: \d+$/m);
  });

  test('a broken bootstrap change is rejected and the previous snapshot keeps serving', async () => {
    writeFileSync(file, bootstrap(upstreamPort, 'nowhere'));
    await waitFor('the rejection', async () => (/nowhere/.test(weft.stderr()) ? true : undefined));
    assert.match(weft.stderr(), /bootstrap\.yaml:\d+:\d+: error: .*nowhere/);
    const res = await fetch(`${listenerUrl}/still`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'upstream saw GET /still\n');
  });
});

describe('weft up --bootstrap --workers 2', () => {
  test('two worker processes serve the listener; the admin endpoints sum their stats', async () => {
    const upstream = createServer((req, res) => res.end(`ok ${req.url}`));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    const state = tempDir();
    const file = join(state, 'bootstrap.yaml');
    writeFileSync(file, bootstrap(port));
    const weft = await startWeft({ state, args: ['--bootstrap', file, '--workers', '2', '--no-access-log'] });
    try {
      const listeners = (await (await fetch(`${weft.apiUrl}/listeners?format=json`)).json()) as any;
      const sock = listeners.listener_statuses[0].local_address.socket_address;
      const url = `http://${sock.address}:${sock.port_value}`;
      const n = 40;
      for (let i = 0; i < n; i++) {
        // A new connection each time, so the kernel spreads them over both workers.
        const res = await fetch(`${url}/r${i}`, { headers: { connection: 'close' } });
        assert.equal(await res.text(), `ok /r${i}`);
      }
      const prom = await (await fetch(`${weft.apiUrl}/stats/prometheus`)).text();
      assert.match(prom, new RegExp(`^envoy_cluster_backend_upstream_rq_total\\{\\} ${n}$`, 'm'));
      const info = (await (await fetch(`${weft.apiUrl}/server_info`)).json()) as any;
      assert.equal(info.command_line_options.concurrency, 2);
      assert.equal(await weft.stop(), 0);
    } finally {
      await weft.stop();
      await new Promise((r) => upstream.close(r));
      removeDir(state);
    }
  });
});
