/**
 * What the kernel says about the processes under test (Linux /proc): the process tree under a PID,
 * its CPU time (utime+stime, plus that of reaped children) and its peak RSS (VmHWM), and the
 * machine-wide CPU counters used to report steal time (other guests taking this VM's CPUs).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** Clock ticks (see `clockTicksPerSecond`). */
  readonly utime: number;
  readonly stime: number;
  /** CPU time of children this process has waited for. */
  readonly cutime: number;
  readonly cstime: number;
  /** Start time after boot, in ticks: with the PID, identifies a process across PID reuse. */
  readonly starttime: number;
}

/**
 * Parses one `/proc/<pid>/stat` line. The command name (field 2) is in parentheses and may itself
 * contain spaces and parentheses, so fields are counted from the last `)`.
 */
export function parseProcStat(line: string): ProcStat | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(line.slice(0, open).trim());
  // After ")": state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) flags(9) minflt(10)
  // cminflt(11) majflt(12) cmajflt(13) utime(14) stime(15) cutime(16) cstime(17) priority(18)
  // nice(19) num_threads(20) itrealvalue(21) starttime(22) ...
  const f = line.slice(close + 2).split(' ');
  if (f.length < 20) return undefined;
  const n = (i: number): number => Number(f[i - 3]);
  const stat = { pid, ppid: n(4), utime: n(14), stime: n(15), cutime: n(16), cstime: n(17), starttime: n(22) };
  return Object.values(stat).every(Number.isFinite) ? stat : undefined;
}

/** `VmHWM` (peak resident set) of a `/proc/<pid>/status` text, in KiB. */
export function parseVmHwmKb(status: string): number | undefined {
  const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // the process exited between listing and reading
  }
}

export interface ProcessIdentity {
  readonly pid: number;
  readonly starttime: number;
}

/** True while the process with this identity is still alive (not a reused PID, not a zombie). */
export function isAlive(id: ProcessIdentity): boolean {
  const st = readStat(id.pid);
  if (!st || st.starttime !== id.starttime) return false;
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${id.pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** `root` and its live descendants with their start times, parents before children. */
export function processTreeIdentities(root: number): ProcessIdentity[] {
  const out: ProcessIdentity[] = [];
  for (const pid of processTree(root)) {
    const st = readStat(pid);
    if (st) out.push({ pid, starttime: st.starttime });
  }
  return out;
}

function readAllStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st) out.push(st);
  }
  return out;
}

function treeOf(stats: readonly ProcStat[], root: number): number[] {
  const children = new Map<number, number[]>();
  for (const st of stats) {
    const list = children.get(st.ppid);
    if (list) list.push(st.pid);
    else children.set(st.ppid, [st.pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0 && out.length < 100_000) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** `root` and all its live descendants, parents before children. */
export function processTree(root: number): number[] {
  return treeOf(readAllStats(), root);
}

/** Kernel threads: kthreadd (PID 2) and its children. */
const KTHREADD = 2;

/**
 * CPU ticks of every user-space process outside `root`'s tree, keyed by PID and start time; reaped
 * children are included through their parent's cutime/cstime.
 */
function foreignTicks(root: number): Map<string, number> {
  const stats = readAllStats();
  const bench = new Set(treeOf(stats, root));
  const out = new Map<string, number>();
  for (const st of stats) {
    if (bench.has(st.pid) || st.pid === KTHREADD || st.ppid === KTHREADD) continue;
    out.set(`${st.pid}:${st.starttime}`, st.utime + st.stime + st.cutime + st.cstime);
  }
  return out;
}

/** CPU time of a process tree in clock ticks: utime+stime+cutime+cstime summed over its processes. */
export function treeCpuTicks(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    const st = readStat(pid);
    if (st) total += st.utime + st.stime + st.cutime + st.cstime;
  }
  return total;
}

/** Peak RSS of a process tree in KiB: VmHWM summed over its processes. */
export function treePeakRssKb(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    try {
      total += parseVmHwmKb(readFileSync(`/proc/${pid}/status`, 'utf8')) ?? 0;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

let ticksPerSecond: number | undefined;

/** `getconf CLK_TCK` (100 on every Linux this runs on; asked once rather than assumed). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 });
    const n = Number(r.stdout?.trim());
    ticksPerSecond = Number.isInteger(n) && n > 0 ? n : 100;
  }
  return ticksPerSecond;
}

/** The aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal. */
export interface MachineCpu {
  readonly total: number;
  /** idle + iowait */
  readonly idle: number;
  readonly steal: number;
}

export function parseMachineCpu(procStat: string): MachineCpu | undefined {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (v.length < 8 || !v.every(Number.isFinite)) return undefined;
  return { total: v.reduce((a, b) => a + b, 0), idle: v[3] + v[4], steal: v[7] };
}

export function readMachineCpu(): MachineCpu | undefined {
  try {
    return parseMachineCpu(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds that user-space processes outside `benchRoot`'s tree used between `start()` and
 * `stop()`: other work on the machine, which skews every figure. Kernel threads are left out (they
 * mostly carry the bench's own loopback traffic). A process started and reaped inside the window
 * counts through its parent's cutime, which can also bring in time from before the window, so the
 * sum is capped by the machine's busy time (not idle, not stolen) minus the bench's own.
 */
export class ForeignCpuMeter {
  readonly #root: number;
  #before = new Map<string, number>();
  #machine: MachineCpu | undefined;
  #bench = 0;

  constructor(benchRoot: number) {
    this.#root = benchRoot;
  }

  start(): void {
    this.#before = foreignTicks(this.#root);
    this.#machine = readMachineCpu();
    this.#bench = treeCpuTicks(this.#root);
  }

  stop(): number {
    let ticks = 0;
    for (const [id, t] of foreignTicks(this.#root)) ticks += Math.max(0, t - (this.#before.get(id) ?? 0));
    const a = this.#machine;
    const b = readMachineCpu();
    if (a && b) {
      const busy = b.total - b.idle - b.steal - (a.total - a.idle - a.steal);
      ticks = Math.min(ticks, Math.max(0, busy - (treeCpuTicks(this.#root) - this.#bench)));
    }
    return ticks / clockTicksPerSecond();
  }
}

/**
 * Waits, one second at a time and at most `maxSeconds`, until processes outside `benchRoot`'s tree
 * use less than `thresholdPercent` of a core. Resolves with the last reading (% of a core).
 */
export async function waitForQuiet(benchRoot: number, maxSeconds: number, thresholdPercent = 10): Promise<number> {
  const meter = new ForeignCpuMeter(benchRoot);
  let last = Number.NaN;
  for (let i = 0; i < maxSeconds; i++) {
    meter.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    last = meter.stop() * 100;
    if (last < thresholdPercent) break;
  }
  return last;
}

/** Percentage of CPU time stolen by the hypervisor between two readings. */
export function stealPercent(a: MachineCpu | undefined, b: MachineCpu | undefined): number | undefined {
  if (!a || !b || b.total <= a.total) return undefined;
  return ((b.steal - a.steal) * 100) / (b.total - a.total);
}
