import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import {
  ForeignCpuMeter,
  clockTicksPerSecond,
  isAlive,
  parseMachineCpu,
  parseProcStat,
  parseVmHwmKb,
  processTree,
  processTreeIdentities,
  stealPercent,
  treeCpuTicks,
  treePeakRssKb,
} from './proc-stats.ts';

test('parseProcStat counts fields from the last parenthesis (command names may hold spaces and parens)', () => {
  const line = '4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 900 0 0 0 125 31 7 2 20 0 3 0 88123 1000 200 18446744073709551615';
  assert.deepEqual(parseProcStat(line), { pid: 4242, ppid: 17, utime: 125, stime: 31, cutime: 7, cstime: 2, starttime: 88123 });
  assert.equal(parseProcStat('garbage'), undefined);
  assert.equal(parseProcStat('1 (x) S 0 1'), undefined);
});

test('parseVmHwmKb and parseMachineCpu read what the kernel prints', () => {
  assert.equal(parseVmHwmKb('Name:\tnginx\nVmPeak:\t  20000 kB\nVmHWM:\t    5760 kB\nVmRSS:\t 5000 kB\n'), 5760);
  assert.equal(parseVmHwmKb('Name:\tkthreadd\n'), undefined);
  const cpu = parseMachineCpu('cpu  100 5 50 800 10 1 2 32 0 0\ncpu0 50 2 25 400 5 0 1 16 0 0\n');
  assert.deepEqual(cpu, { total: 1000, idle: 810, steal: 32 });
  assert.equal(stealPercent({ total: 1000, idle: 0, steal: 10 }, { total: 2000, idle: 0, steal: 60 }), 5);
  assert.equal(stealPercent(cpu, cpu), undefined);
});

test('a real process tree: descendants found, CPU time grows, peak RSS read, identity survives', async () => {
  // A parent that starts a busy child, then both wait to be killed.
  const script = `
    const { spawn } = require('node:child_process');
    const c = spawn(process.execPath, ['-e', 'const e = Date.now() + 300; while (Date.now() < e); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    c.on('spawn', () => console.log(String(c.pid)));
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [chunk] = (await once(parent.stdout, 'data')) as [Buffer];
    const childPid = Number(chunk.toString().trim());
    const tree = processTree(parent.pid as number);
    assert.deepEqual(tree, [parent.pid, childPid]);
    assert.ok(treePeakRssKb(parent.pid as number) > 10_000);
    const ids = processTreeIdentities(parent.pid as number);
    assert.ok(ids.every(isAlive));
    // The child burns 300 ms of CPU; wait (bounded) until the tree shows at least 100 ms of it.
    const needed = clockTicksPerSecond() / 10;
    let ticks = 0;
    for (let i = 0; i < 50 && ticks < needed; i++) {
      ticks = treeCpuTicks(parent.pid as number);
      if (ticks < needed) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(ticks >= needed, `ticks ${ticks}`);
    process.kill(childPid, 'SIGKILL');
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    assert.ok(!isAlive(ids[0]));
  } finally {
    parent.kill('SIGKILL');
  }
});

test('ForeignCpuMeter counts CPU burnt outside the watched tree', async () => {
  const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await once(idle, 'spawn');
    const meter = new ForeignCpuMeter(idle.pid as number);
    meter.start();
    // This busy process is the test's child, not the watched process's: it is foreign to it.
    const busy = spawn(process.execPath, ['-e', 'const e = Date.now() + 400; while (Date.now() < e);'], { stdio: 'ignore' });
    await once(busy, 'exit');
    const foreign = meter.stop();
    assert.ok(foreign >= 0.25, `foreign CPU ${foreign} s`);
  } finally {
    idle.kill('SIGKILL');
  }
});
