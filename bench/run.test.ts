// End to end: `npm run bench` with tiny durations against real nginx and wrk (skipped where they
// are not installed), and the missing-tool path. Bounded: every child has a timeout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from './targets/start-target.ts';
import { findExecutable } from './tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function bench(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'run.ts')], {
      cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`bench timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const haveTools = findExecutable('nginx') !== undefined && findExecutable('wrk') !== undefined;

test('a short run measures direct and the undici proxy, reports weft either way, and writes the JSON', { skip: haveTools ? false : 'needs nginx and wrk' }, async () => {
  const results = join(dir, 'latest.json');
  const r = await bench({
    BENCH_SECONDS: '1', BENCH_WARMUP: '0', BENCH_RATE: '200', BENCH_RATE_CONNS: '4', BENCH_RATE_SECONDS: '1',
    BENCH_TARGETS: 'direct node-undici weft', BENCH_RESULTS: results, BENCH_BASE_PORT: '28380', BENCH_WEFT_START_SECONDS: '20',
  }, 120_000);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^target\s+req\/s\s+p50 ms\s+p99 ms\s+p50@200 ms\s+p99@200 ms/m);
  assert.match(r.stdout, /^direct\s+\d+/m);
  assert.match(r.stdout, /^node-undici\s+\d+/m);
  assert.match(r.stdout, /^weft\s+(\d+|\s*not available \(.+\))/m);
  const json = JSON.parse(readFileSync(results, 'utf8')) as {
    schema: string; rows: Array<{ label: string; requestsPerSecond: number; ratioToDirect: number; fixedRateP99Ms: number; cpuMicrosPerRequest: number; peakRssMb: number }>;
  };
  assert.equal(json.schema, 'weft-bench/1');
  const undici = json.rows.find((x) => x.label === 'node-undici');
  assert.ok(undici && undici.requestsPerSecond > 0 && undici.ratioToDirect > 0);
  assert.ok(undici.fixedRateP99Ms > 0 && undici.cpuMicrosPerRequest > 0 && undici.peakRssMb > 10);
});

// Stands in for weft: checks the command line the bench gives weft, reads the two ports from the
// rendered bootstrap, proxies with node:http, and prints weft's ready line.
const FAKE_WEFT = `
const http = require('node:http');
const fs = require('node:fs');
const a = process.argv.slice(2);
const opt = (n) => a[a.indexOf(n) + 1];
if (a[0] !== 'up' || opt('--api') !== '127.0.0.1:0' || !fs.existsSync(opt('--state')) || opt('--workers') !== '1') {
  console.error('error: unexpected arguments ' + a.join(' ')); process.exit(2);
}
const [listen, upstream] = [...fs.readFileSync(opt('--bootstrap'), 'utf8').matchAll(/port_value: (\\d+)/g)].map((m) => Number(m[1]));
const agent = new http.Agent({ keepAlive: true });
const server = http.createServer((req, res) => {
  http.get({ host: '127.0.0.1', port: upstream, path: req.url, agent }, (up) => {
    res.writeHead(up.statusCode, { 'content-type': up.headers['content-type'], 'content-length': up.headers['content-length'] });
    up.pipe(res);
  }).on('error', () => { res.writeHead(502); res.end(); });
});
server.listen(listen, '127.0.0.1', () => console.log('weft ready api=http://127.0.0.1:1 state=' + opt('--state')));
`;

test('the weft slot: bootstrap ports, --workers, ready line, then measured like the others', { skip: haveTools ? false : 'needs nginx and wrk' }, async () => {
  const fake = join(dir, 'fake-weft.cjs');
  writeFileSync(fake, FAKE_WEFT);
  const results = join(dir, 'weft.json');
  const r = await bench({
    BENCH_SECONDS: '1', BENCH_WARMUP: '0', BENCH_RATE: '100', BENCH_RATE_CONNS: '2', BENCH_RATE_SECONDS: '1',
    BENCH_TARGETS: 'weft', BENCH_RESULTS: results, BENCH_BASE_PORT: '28480', WEFT_BIN: fake, WEFT_WORKERS: '1',
  }, 60_000);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^weft\s+\d+/m);
  const json = JSON.parse(readFileSync(results, 'utf8')) as { rows: Array<{ label: string; requestsPerSecond: number; errors: number }> };
  assert.equal(json.rows[0].label, 'weft');
  assert.ok(json.rows[0].requestsPerSecond > 0);
  assert.equal(json.rows[0].errors, 0);
});

test('a weft that cannot start is reported with its reason and the run goes on', { skip: haveTools ? false : 'needs nginx and wrk' }, async () => {
  const fake = join(dir, 'failing-weft.cjs');
  writeFileSync(fake, "console.error(\"error: unknown option '--bootstrap'\"); process.exit(2);");
  const r = await bench({ BENCH_TARGETS: 'weft', BENCH_RESULTS: join(dir, 'none.json'), BENCH_BASE_PORT: '28580', WEFT_BIN: fake }, 30_000);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /weft: not available \(exited with code 2: error: unknown option '--bootstrap'\)/);
  assert.match(r.stdout, /^weft\s+not available/m);
});

test('a missing load generator is named with the one command that installs it', async () => {
  const r = await bench({ PATH: join(dir, 'empty-path') }, 30_000);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /wrk not found; install with:\n {2}apt-get update && apt-get install -y .*wrk/);
});
