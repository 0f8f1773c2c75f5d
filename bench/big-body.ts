// `npm run bench:big-body`: streams 1 GiB down and 1 GiB up through a real `weft up --bootstrap`
// and reports the time and weft's peak RSS (VmHWM). The data plane issue's bar: the proxy's RSS
// stays under 200 MB, because bodies are streamed with backpressure, never buffered.
// Sizes: BIG_BODY_BYTES (default 1 GiB). Talks to 127.0.0.1 only; bounded by the body size.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BYTES = Number(process.env.BIG_BODY_BYTES ?? 1024 ** 3);
const LIMIT_MB = 200;
const CHUNK = Buffer.alloc(256 * 1024, 'w');

function vm(pid: number, key: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Writes `total` bytes to `w`, honouring backpressure. */
function pump(w: NodeJS.WritableStream & { once: (e: 'drain', f: () => void) => unknown }, total: number, done: () => void): void {
  let sent = 0;
  const step = () => {
    while (sent < total) {
      const n = Math.min(CHUNK.length, total - sent);
      sent += n;
      if (!w.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
        w.once('drain', step);
        return;
      }
    }
    done();
  };
  step();
}

const upstream = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-length': String(BYTES), 'content-type': 'application/octet-stream' });
    pump(res, BYTES, () => res.end());
    return;
  }
  let n = 0;
  req.on('data', (c: Buffer) => (n += c.length));
  req.on('end', () => res.end(JSON.stringify({ received: n })));
});
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
const upPort = (upstream.address() as AddressInfo).port;

const state = mkdtempSync(join(tmpdir(), 'weft-big-'));
const proxyPort = 18_190 + Math.floor(Math.random() * 100);
const bootstrap = readFileSync(resolve(import.meta.dirname, 'weft-bootstrap.yaml'), 'utf8')
  .replace('port_value: 18086', `port_value: ${proxyPort}`)
  .replace('port_value: 18080', `port_value: ${upPort}`);
writeFileSync(join(state, 'bootstrap.yaml'), bootstrap);
const weft = spawn(process.execPath, [resolve(import.meta.dirname, '..', 'bin', 'weft.js'), '--state', state, 'up', '--api', '127.0.0.1:0', '--no-access-log', '--bootstrap', join(state, 'bootstrap.yaml')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((ready, fail) => {
  let out = '';
  const timer = setTimeout(() => fail(new Error('weft did not become ready in 30 s')), 30_000);
  weft.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (/^weft ready /m.test(out)) {
      clearTimeout(timer);
      ready();
    }
  });
  weft.on('exit', (code) => fail(new Error(`weft exited with ${code}`)));
});
const pid = weft.pid as number;
const before = vm(pid, 'VmRSS');

const t0 = performance.now();
const down = await new Promise<number>((done, fail) => {
  request({ host: '127.0.0.1', port: proxyPort, path: '/big', agent: false }, (res) => {
    let n = 0;
    res.on('data', (c: Buffer) => (n += c.length));
    res.on('end', () => done(n));
    res.on('error', fail);
  })
    .on('error', fail)
    .end();
});
const t1 = performance.now();
const up = await new Promise<number>((done, fail) => {
  const req = request({ host: '127.0.0.1', port: proxyPort, method: 'POST', path: '/big', agent: false, headers: { 'content-length': String(BYTES) } }, (res) => {
    let b = '';
    res.setEncoding('utf8').on('data', (d: string) => (b += d));
    res.on('end', () => done(JSON.parse(b).received as number));
  });
  req.on('error', fail);
  pump(req, BYTES, () => req.end());
});
const t2 = performance.now();
const peak = vm(pid, 'VmHWM');
weft.kill('SIGTERM');
upstream.close();
await new Promise((r) => weft.once('exit', r));
rmSync(state, { recursive: true, force: true });

const mb = BYTES / 1024 ** 2;
console.log(`download ${mb} MiB: ${down === BYTES ? 'complete' : `INCOMPLETE (${down} bytes)`} in ${((t1 - t0) / 1000).toFixed(1)} s`);
console.log(`upload   ${mb} MiB: ${up === BYTES ? 'complete' : `INCOMPLETE (${up} bytes)`} in ${((t2 - t1) / 1000).toFixed(1)} s`);
console.log(`weft RSS: ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB (limit ${LIMIT_MB} MB)`);
process.exitCode = down === BYTES && up === BYTES && peak < LIMIT_MB ? 0 : 1;
