import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { StatStore } from '../stats/stat-store.ts';
import { createAccessLogStats } from './access-log-stats.ts';
import { AccessLogger, createAccessLogger, createFileSink, reopenOnSignal } from './access-logger.ts';
import { BufferedSink } from './buffered-sink.ts';
import { compileAccessLogFilter } from './filter.ts';
import { compileAccessLogFormat } from './formatter.ts';
import type { SinkTarget } from './sink-target.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-access-log-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An in-memory target; `stall()` makes writes wait until `release()`. */
class MemoryTarget implements SinkTarget {
  readonly description = 'memory';
  readonly writes: string[] = [];
  #stalled: (() => void)[] | undefined;
  #waiters: (() => void)[] = [];
  reopened = 0;
  closed = false;
  failNext = false;

  stall(): void {
    this.#stalled = [];
  }

  release(): void {
    const pending = this.#stalled ?? [];
    this.#stalled = undefined;
    for (const r of pending) r();
  }

  /** Resolves after the next completed write. */
  nextWrite(): Promise<void> {
    return new Promise((r) => this.#waiters.push(r));
  }

  async write(data: Buffer): Promise<void> {
    if (this.#stalled) await new Promise<void>((r) => this.#stalled?.push(r));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.writes.push(data.toString('utf8'));
    const w = this.#waiters;
    this.#waiters = [];
    for (const r of w) r();
  }

  async reopen(): Promise<void> {
    this.reopened++;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('lines stay in memory until the buffer passes flushBytes', async () => {
  const t = new MemoryTarget();
  const sink = new BufferedSink(t, { flushBytes: 100, flushIntervalMs: 60_000 });
  sink.write(`${'a'.repeat(39)}\n`);
  sink.write(`${'b'.repeat(39)}\n`);
  await turn();
  assert.equal(t.writes.length, 0, 'no write per line');
  const written = t.nextWrite();
  sink.write(`${'c'.repeat(39)}\n`);
  await written;
  assert.equal(t.writes.length, 1, 'one batched write');
  assert.equal(t.writes[0].split('\n').length - 1, 3);
  await sink.close();
});

test('the interval flushes a partly filled buffer', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const store = new StatStore();
    const stats = createAccessLogStats(store);
    const t = new MemoryTarget();
    const sink = new BufferedSink(t, { flushBytes: 1 << 20, flushIntervalMs: 1000, stats });
    sink.write('one\n');
    const written = t.nextWrite();
    mock.timers.tick(1000);
    await written;
    await sink.flush(); // the write's bookkeeping runs after the target resolves
    assert.deepEqual(t.writes, ['one\n']);
    assert.equal(stats.flushedByTimer.value, 1);
    assert.equal(stats.writeBuffered.value, 1);
    assert.equal(stats.writeCompleted.value, 1);
    assert.equal(stats.writeTotalBuffered.value, 0);
    await sink.close();
  } finally {
    mock.timers.reset();
  }
});

test('close writes what is left; lines after close are dropped and counted', async () => {
  const store = new StatStore();
  const stats = createAccessLogStats(store);
  const warnings: string[] = [];
  const t = new MemoryTarget();
  const sink = new BufferedSink(t, { flushIntervalMs: 60_000, stats, warn: (m) => warnings.push(m) });
  sink.write('last\n');
  await sink.close();
  assert.deepEqual(t.writes, ['last\n']);
  assert.equal(t.closed, true);
  sink.write('late\n');
  assert.equal(stats.dropped.value, 1);
  assert.equal(warnings.length, 1);
});

test('a sink that falls behind drops lines, counts them in access_log.dropped and warns once', async () => {
  const store = new StatStore();
  const stats = createAccessLogStats(store);
  const warnings: string[] = [];
  const t = new MemoryTarget();
  t.stall();
  const sink = new BufferedSink(t, { flushBytes: 10, maxBufferedBytes: 100, flushIntervalMs: 60_000, stats, warn: (m) => warnings.push(m) });
  const line = `${'x'.repeat(19)}\n`; // 20 bytes
  for (let i = 0; i < 50; i++) sink.write(line);
  // 100 bytes fit (one batch in flight + what waits behind it); the other 45 lines are dropped.
  assert.equal(sink.droppedLines, 45);
  assert.equal(stats.dropped.value, 45);
  assert.equal((store.get('access_log.dropped') as { value: number }).value, 45);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /falling behind/);
  assert.ok(sink.bufferedBytes <= 100);
  t.release();
  await sink.flush();
  assert.equal(t.writes.join('').length, 5 * 20, 'the kept lines are written');
  sink.write(line);
  await sink.flush();
  assert.equal(sink.droppedLines, 45, 'once caught up, lines are accepted again');
  assert.equal(warnings.length, 1, 'still only one warning');
  await sink.close();
});

test('a failed write is counted and warned about once, and the sink keeps going', async () => {
  const store = new StatStore();
  const stats = createAccessLogStats(store);
  const warnings: string[] = [];
  const t = new MemoryTarget();
  const sink = new BufferedSink(t, { flushIntervalMs: 60_000, stats, warn: (m) => warnings.push(m) });
  t.failNext = true;
  sink.write('lost\n');
  await sink.flush();
  sink.write('kept\n');
  await sink.flush();
  assert.equal(stats.writeFailed.value, 1);
  assert.deepEqual(t.writes, ['kept\n']);
  assert.equal(warnings.length, 1);
  await sink.close();
});

test('file sink: rename + reopen sends new lines to the new file (logrotate)', async () => {
  const path = join(dir, 'access.log');
  const r = await createFileSink(path, { flushIntervalMs: 60_000 });
  assert.ok(r.ok);
  const sink = r.value;
  sink.write('a\n');
  sink.write('b\n');
  await sink.flush();
  await rename(path, `${path}.1`);
  sink.write('c\n'); // buffered before the reopen: still belongs to the old file
  await sink.reopen();
  sink.write('d\n');
  sink.write('e\n');
  await sink.close();
  assert.equal(await readFile(`${path}.1`, 'utf8'), 'a\nb\nc\n');
  assert.equal(await readFile(path, 'utf8'), 'd\ne\n');
});

test('file sink: a path that cannot be opened is an error value', async () => {
  const r = await createFileSink(join(dir, 'no-such-dir', 'x.log'));
  assert.equal(r.ok, false);
});

test('reopenOnSignal reopens every sink on SIGUSR1 and can be removed', () => {
  let reopened = 0;
  const fake = { reopen: async () => void reopened++ };
  const off = reopenOnSignal(() => [fake, fake]);
  process.emit('SIGUSR1', 'SIGUSR1');
  assert.equal(reopened, 2);
  off();
  assert.equal(process.listenerCount('SIGUSR1'), 0);
});

test('AccessLogger: format, filter and sink together', async () => {
  const fmt = compileAccessLogFormat({ format: { kind: 'textFormat', textFormat: '%REQ(:METHOD)% %REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_HOST% %DURATION%\n' } });
  const filter = compileAccessLogFilter({ kind: 'statusCodeFilter', op: 'GE', value: 500 });
  assert.ok(fmt.ok && filter.ok);
  const t = new MemoryTarget();
  const sink = new BufferedSink(t, { flushIntervalMs: 60_000 });
  const logger = new AccessLogger(fmt.value, sink, filter.value);
  const base = { startTimeMs: 0, bytesReceived: 0, bytesSent: 0, method: 'GET', path: '/x' };
  logger.log({ ...base, responseCode: 200, responseFlags: 0, upstreamHost: '127.0.0.1:1', durationMs: 1 });
  logger.log({ ...base, responseCode: 503, responseFlags: 2, durationMs: 12 });
  await sink.close();
  assert.deepEqual(t.writes, ['GET /x 503 UH - 12\n']);
});

test('createAccessLogger compiles format and filter together, or reports the error', () => {
  const t = new MemoryTarget();
  const sink = new BufferedSink(t, { flushIntervalMs: 60_000 });
  const good = createAccessLogger(sink, {}, { kind: 'notHealthCheckFilter' });
  assert.ok(good.ok);
  const badFormat = createAccessLogger(sink, { format: { kind: 'textFormat', textFormat: '%NOPE%' } });
  assert.equal(badFormat.ok, false);
  const badFilter = createAccessLogger(sink, {}, { kind: 'responseFlagFilter', flags: ['ZZ'] });
  assert.equal(badFilter.ok, false);
  void sink.close();
});

test('stdout sink writes batched lines to fd 1', async () => {
  const code = `
    import { createStdoutSink } from ${JSON.stringify(new URL('./access-logger.ts', import.meta.url).href)};
    const sink = createStdoutSink({ flushBytes: 64 });
    for (let i = 0; i < 20; i++) sink.write('line ' + i + '\\n');
    await sink.close();
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let errText = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (errText += d));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(exitCode, 0, errText);
  assert.deepEqual(
    out.trimEnd().split('\n'),
    Array.from({ length: 20 }, (_, i) => `line ${i}`),
  );
});
