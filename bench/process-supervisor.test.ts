import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isAlive, processTreeIdentities } from './proc-stats.ts';
import { ProcessSupervisor } from './process-supervisor.ts';

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-sup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A parent that ignores SIGTERM, starts a child that ignores it too, then prints a ready line.
const STUBBORN = `
  process.on('SIGTERM', () => {});
  const { spawn } = require('node:child_process');
  const c = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
  c.on('spawn', () => console.log('ready child=' + c.pid));
  setInterval(() => {}, 1000);`;

test('stop() ends the whole tree, even processes that ignore SIGTERM', async () => {
  const sup = new ProcessSupervisor();
  const s = sup.start('stubborn', process.execPath, ['-e', STUBBORN], { logFile: join(dir, 'stubborn.log') });
  const line = await s.waitForLine(/^ready child=\d+$/, 10_000);
  assert.ok(line, 'ready line');
  const ids = processTreeIdentities(s.pid as number);
  assert.equal(ids.length, 2);
  await sup.stop(s);
  assert.ok(s.exited);
  assert.deepEqual(ids.filter(isAlive), []);
  assert.match(readFileSync(join(dir, 'stubborn.log'), 'utf8'), /ready child=/);
});

test('waitForLine gives up when the process exits; stderr is kept for the reason', async () => {
  const sup = new ProcessSupervisor();
  const s = sup.start('fails', process.execPath, ['-e', 'console.error("error: unknown option"); process.exit(2)'], { logFile: join(dir, 'fails.log') });
  assert.equal(await s.waitForLine(/^weft ready/, 10_000), undefined);
  assert.equal((await s.exit).code, 2);
  assert.match(s.stderrTail, /unknown option/);
});

test('run() returns output and code, and stops a command that outlives its time', async () => {
  const sup = new ProcessSupervisor();
  const quick = await sup.run('quick', process.execPath, ['-e', 'console.log("done")'], { logFile: join(dir, 'q.log'), timeoutMs: 10_000 });
  assert.deepEqual(quick, { code: 0, timedOut: false, stdout: 'done\n', stderr: '' });
  const slow = await sup.run('slow', process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { logFile: join(dir, 's.log'), timeoutMs: 200 });
  assert.equal(slow.timedOut, true);
  assert.equal(slow.code, null);
});
