// `weft load` against real local servers: the counts it prints match what the server saw, through
// a plain HTTP proxy too (as under `weft exec`), and runs stay bounded by -n / -t.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { parseLoadArgs, runLoad, type LoadResult } from '../src/apps/load/index.ts';

interface Tally {
  requests: number;
  connections: number;
  byStatus: Map<number, number>;
  targets: string[];
  proxyAuth: Set<string>;
}

const servers: http.Server[] = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

async function listen(handler: (req: http.IncomingMessage, res: http.ServerResponse, tally: Tally) => void): Promise<{ url: string; tally: Tally }> {
  const tally: Tally = { requests: 0, connections: 0, byStatus: new Map(), targets: [], proxyAuth: new Set() };
  const server = http.createServer((req, res) => {
    tally.requests++;
    tally.targets.push(req.url ?? '');
    if (req.headers['proxy-authorization']) tally.proxyAuth.add(req.headers['proxy-authorization']);
    res.on('finish', () => tally.byStatus.set(res.statusCode, (tally.byStatus.get(res.statusCode) ?? 0) + 1));
    handler(req, res, tally);
  });
  server.on('connection', () => tally.connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tally };
}

async function load(argv: string[], proxy?: string): Promise<{ result: LoadResult; out: string; errOut: string }> {
  const o = parseLoadArgs(argv, proxy);
  assert.ok(o.ok, o.ok ? '' : o.error);
  let out = '';
  let errOut = '';
  const result = await runLoad(o.value, { write: (t) => (out += t), writeError: (t) => (errOut += t) });
  return { result, out, errOut };
}

test('weft load -c 4 -n 200: fortio-style counts that match what the server saw', async () => {
  const { url, tally } = await listen((req, res) => {
    const n = tally.requests;
    res.writeHead(n % 10 === 0 ? 503 : 200, { 'content-type': 'text/plain' });
    res.end('hello\n');
  });
  const { result, out } = await load(['-c', '4', '-qps', '0', '-n', '200', `${url}/echo`]);
  assert.equal(result.exitCode, 0);
  assert.equal(tally.requests, 200);
  const ok = tally.byStatus.get(200) ?? 0;
  const unavailable = tally.byStatus.get(503) ?? 0;
  assert.equal(ok + unavailable, 200);
  assert.equal(unavailable, 20);
  assert.match(out, /^Fortio \S+ running at 0 queries per second, \d+->\d+ procs, for 200 calls: http:\/\/127\.0\.0\.1:\d+\/echo$/m);
  assert.match(out, /^Starting at max qps with 4 thread\(s\) \[gomax \d+\] for exactly 200 calls \(50 per thread \+ 0\)$/m);
  assert.match(out, /^Ended after \S+ : 200 calls\. qps=\S+$/m);
  assert.ok(out.includes(`Code 200 : ${ok} (${(ok / 2).toFixed(1)} %)\n`), out);
  assert.ok(out.includes(`Code 503 : ${unavailable} (${(unavailable / 2).toFixed(1)} %)\n`), out);
  assert.match(out, /^Error cases : count 20 avg /m);
  assert.match(out, /^# target 99\.9% \S+$/m);
  assert.match(out, /^\[3\] {3}1 socket used, resolved to 127\.0\.0\.1:\d+, connection timing : count 1 avg /m);
  assert.ok(out.includes(`Sockets used: ${tally.connections} (for perfect keepalive, would be 4)\n`), out);
  assert.equal(tally.connections, 4);
  assert.match(out, /^Uniform: false, Jitter: false, Catchup allowed: true$/m);
  assert.match(out, /^Response Header Sizes : count 200 avg /m);
  assert.match(out, /^Response Body\/Total Sizes : count 200 avg /m);
  assert.match(out, /^All done 200 calls \(plus 0 warmup\) \d+\.\d{3} ms avg, \d+\.\d qps$/m);
  assert.deepEqual([...result.codes].sort(), [[200, ok], [503, unavailable]].sort());
});

test('through an HTTP proxy: absolute-form requests carrying the proxy credentials', async () => {
  const target = await listen((_req, res) => res.end('ok'));
  const proxy = await listen((req, res) => {
    // A tiny forward proxy: absolute-form in, origin-form out.
    const u = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = http.request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  const proxyUrl = proxy.url.replace('http://', 'http://client-pod:s3cret@');
  const { result, out } = await load(['-c', '2', '-qps', '0', '-n', '10', `${target.url}/via?x=1`], proxyUrl);
  assert.equal(result.exitCode, 0);
  assert.equal(proxy.tally.requests, 10);
  assert.equal(target.tally.requests, 10);
  assert.ok(proxy.tally.targets.every((t) => t === `${target.url}/via?x=1`), proxy.tally.targets.join(','));
  assert.deepEqual([...proxy.tally.proxyAuth], [`Basic ${Buffer.from('client-pod:s3cret').toString('base64')}`]);
  assert.ok(out.includes('Code 200 : 10 (100.0 %)'), out);
  assert.ok(out.includes(`resolved to ${proxy.url.slice('http://'.length)}`), out);
});

test('a paced run for a duration warms up each connection and stops near the deadline', async () => {
  const { url, tally } = await listen((_req, res) => res.end('x'));
  const t0 = performance.now();
  const { result, out } = await load(['-c', '2', '-qps', '20', '-t', '500ms', url]);
  const took = performance.now() - t0;
  assert.equal(result.exitCode, 0);
  assert.equal(result.warmup, 2);
  assert.equal(result.calls, 10);
  assert.equal(tally.requests, 12);
  assert.ok(took >= 450 && took < 3000, `took ${took} ms`);
  assert.match(out, /^Starting at 20 qps with 2 thread\(s\) \[gomax \d+\] for 500ms : 5 calls each \(total 10\)$/m);
  assert.match(out, /^(Sleep times : count \d+|Aggregated Sleep Time : count \d+)/m);
  assert.match(out, /^All done 10 calls \(plus 2 warmup\)/m);
});

test('timeouts and refused connections count as code -1; a failing warm-up aborts the run', async () => {
  const { url } = await listen((req, res) => {
    if (req.url === '/hang') return; // never answers
    res.writeHead(500).end();
  });
  const hung = await load(['-c', '1', '-qps', '0', '-n', '3', '-timeout', '100ms', `${url}/hang`]);
  assert.equal(hung.result.codes.get(-1), 3);
  assert.ok(hung.out.includes('Code  -1 : 3 (100.0 %)'), hung.out);
  assert.match(hung.out, /^Sockets used: 3 /m);
  const refused = await load(['-c', '1', '-qps', '0', '-n', '2', 'http://127.0.0.1:1/']);
  assert.equal(refused.result.codes.get(-1), 2);
  const warm = await load(['-c', '2', '-qps', '0', '-t', '1s', `${url}/err`]);
  assert.equal(warm.result.exitCode, 1);
  assert.match(warm.errOut, /Aborting because of error 500/);
  const allowed = await load(['-c', '1', '-qps', '0', '-t', '100ms', '-allow-initial-errors', `${url}/err`]);
  assert.equal(allowed.result.exitCode, 0);
  assert.ok((allowed.result.codes.get(500) ?? 0) > 0);
});

test('an abort signal stops a run early and still prints the report', async () => {
  const { url } = await listen((_req, res) => res.end('x'));
  const o = parseLoadArgs(['-c', '2', '-qps', '5', '-t', '30s', url]);
  assert.ok(o.ok);
  const controller = new AbortController();
  let out = '';
  const t0 = performance.now();
  const running = runLoad(o.value, { write: (t) => (out += t), writeError: () => {}, signal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  const result = await running;
  assert.ok(performance.now() - t0 < 5000);
  assert.equal(result.exitCode, 0);
  assert.match(out, /^All done \d+ calls/m);
});

test('against weft\'s own fortio server: ?status=503:30 yields both codes, 200 calls in all', async () => {
  const { matchImage } = await import('../src/apps/image-registry.ts');
  const spec = matchImage('fortio/fortio:latest_release');
  assert.ok(spec?.kind === 'app');
  const app = await spec.start({ host: '127.0.0.1', ports: [0], env: {}, podName: 'fortio-1', namespace: 'default', labels: {} });
  try {
    const { result, out } = await load(['-c', '4', '-qps', '0', '-n', '200', `http://127.0.0.1:${app.ports[0]}/?status=503:30`]);
    const ok = result.codes.get(200) ?? 0;
    const failed = result.codes.get(503) ?? 0;
    assert.equal(ok + failed, 200);
    assert.ok(ok > 80 && failed > 20, `200: ${ok}, 503: ${failed}`);
    assert.match(out, /^Code 503 : \d+ \(\d+\.\d %\)$/m);
  } finally {
    await app.close();
  }
});
