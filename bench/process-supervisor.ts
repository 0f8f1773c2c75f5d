/**
 * Starts the bench's child processes, remembers each by PID, and stops them with their whole
 * process tree (TERM, then KILL after a grace period). `stopAllNow` is the synchronous last resort
 * for `process.on('exit')`, so an interrupted run leaves nothing behind.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { isAlive, processTreeIdentities } from './proc-stats.ts';
import type { ProcessIdentity } from './proc-stats.ts';

const TAIL_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 3000;

export interface StartOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** stdout and stderr are appended here (and a tail of each is kept in memory). */
  readonly logFile: string;
}

/** A started child. `exit` resolves once it has exited, with its code or signal. */
export class Supervised {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #stdout = '';
  #stderr = '';
  #exited = false;
  #lineListeners: Array<(line: string) => void> = [];
  #partial = '';

  constructor(name: string, child: ChildProcess, log: WriteStream) {
    this.name = name;
    this.child = child;
    this.exit = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.#exited = true;
        resolve({ code, signal });
      });
      child.on('error', () => {
        this.#exited = true;
        resolve({ code: null, signal: null });
      });
    });
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      log.write(d);
      this.#stdout = (this.#stdout + d).slice(-TAIL_LIMIT);
      this.#emitLines(d);
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      log.write(d);
      this.#stderr = (this.#stderr + d).slice(-TAIL_LIMIT);
    });
    this.exit.then(() => log.end());
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.#exited;
  }

  get stdoutTail(): string {
    return this.#stdout;
  }

  get stderrTail(): string {
    return this.#stderr;
  }

  /** Resolves with the first stdout line matching `re`, or undefined on exit or timeout. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string | undefined> {
    const seen = this.#stdout.split('\n').find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const done = (v: string | undefined): void => {
        clearTimeout(timer);
        this.#lineListeners = this.#lineListeners.filter((l) => l !== onLine);
        resolve(v);
      };
      const onLine = (line: string): void => {
        if (re.test(line)) done(line);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.#lineListeners.push(onLine);
      this.exit.then(() => done(undefined));
    });
  }

  #emitLines(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) for (const l of [...this.#lineListeners]) l(line);
  }
}

export class ProcessSupervisor {
  #running = new Set<Supervised>();
  #closing = false;

  /** Starts a child; refused (throws) once `stopAll` has been called, so an interrupted run starts nothing new. */
  start(name: string, command: string, args: readonly string[], opts: StartOptions): Supervised {
    if (this.#closing) throw new Error(`not starting ${name}: the bench is stopping`);
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const s = new Supervised(name, child, log);
    this.#running.add(s);
    s.exit.then(() => this.#running.delete(s));
    return s;
  }

  /**
   * Runs a bounded one-shot command (a load generator) to its end: it is stopped after `timeoutMs`.
   * Resolves with its exit code (null when stopped or killed) and output.
   */
  async run(
    name: string,
    command: string,
    args: readonly string[],
    opts: StartOptions & { readonly timeoutMs: number },
  ): Promise<{ code: number | null; timedOut: boolean; stdout: string; stderr: string }> {
    const s = this.start(name, command, args, opts);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      s.exit.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), opts.timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) await this.stop(s);
    const { code } = await s.exit;
    return { code: timedOut ? null : code, timedOut, stdout: s.stdoutTail, stderr: s.stderrTail };
  }

  /** TERM the process tree, wait up to the grace period for the root to exit, then KILL what is left. */
  async stop(s: Supervised): Promise<void> {
    const pid = s.pid;
    if (pid === undefined || s.exited) return;
    const tree = processTreeIdentities(pid);
    signalAll(tree, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      s.exit,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    // Whatever is left of the tree (a root ignoring TERM, or a descendant that outlived it) is
    // killed; identities (PID + start time) make sure a reused PID is never hit.
    signalAll(tree, 'SIGKILL');
    await s.exit;
  }

  async stopAll(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.#running].map((s) => this.stop(s)));
  }

  /** Synchronous: KILL every tree still running (for `process.on('exit')`). */
  stopAllNow(): void {
    for (const s of this.#running) {
      if (s.pid !== undefined && !s.exited) signalAll(processTreeIdentities(s.pid), 'SIGKILL');
    }
  }
}

function signalAll(ids: readonly ProcessIdentity[], signal: NodeJS.Signals): void {
  for (const id of ids) {
    if (!isAlive(id)) continue;
    try {
      process.kill(id.pid, signal);
    } catch {
      // already gone
    }
  }
}
