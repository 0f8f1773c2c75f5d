/**
 * Runs the real `weft` binary (bin/weft.js → dist/, built by `npm test`) for integration tests:
 * one-shot commands with `runWeft`, and a foreground `weft up` with `startWeft`, which resolves once
 * the ready line has been printed (never sleep-and-hope).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const WEFT_BIN = join(ROOT, 'bin', 'weft.js');

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  throw new Error('dist/ is missing: run `npm run build` first (npm test does it)');
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'weft-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function runWeft(
  args: readonly string[],
  opts: { state?: string; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const full = opts.state ? ['--state', opts.state, ...args] : [...args];
    const child = spawn(process.execPath, [WEFT_BIN, ...full], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', WEFT_STATE: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`weft ${full.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export interface RunningWeft {
  readonly apiUrl: string;
  readonly state: string;
  readonly proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends the signal and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startWeft(opts: { state: string; files?: readonly string[]; args?: readonly string[]; timeoutMs?: number }): Promise<RunningWeft> {
  const args = ['--state', opts.state, 'up', '--api', '127.0.0.1:0', ...(opts.files ?? []).flatMap((f) => ['-f', f]), ...(opts.args ?? [])];
  const proc = spawn(process.execPath, [WEFT_BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`weft up did not print its ready line in time\nstdout: ${out}\nstderr: ${err}`));
    }, opts.timeoutMs ?? 20_000);
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^weft ready api=(\S+) state=(\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({
          apiUrl: m[1],
          state: m[2],
          proc,
          stdout: () => out,
          stderr: () => err,
          stop: async (signal = 'SIGTERM') => {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
            return exited;
          },
        });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`weft up exited with ${code} before it was ready\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a weft command against `state` and returns its stdout; any exit but 0 fails the test with the output. */
export async function weftOk(state: string, args: readonly string[], input?: string): Promise<string> {
  const r = await runWeft(args, { state, ...(input !== undefined ? { input } : {}) });
  if (r.code !== 0) throw new Error(`weft ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
