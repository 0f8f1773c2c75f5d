/**
 * The state directory's lock: `DIR/lock` holds `{"pid": N, "startedAt": "..."}` of the process
 * that owns the directory, so two weft instances never share one.
 *
 * - The file is created exclusively with its content in place (`createFileExclusive`: O_EXCL
 *   semantics, never observed empty).
 * - On EEXIST the holder's pid is probed with `process.kill(pid, 0)`: alive (or EPERM: alive but
 *   not ours) → StoreError Locked naming the pid; dead → the lock is stale (kill -9, power loss)
 *   and is taken over, which the caller reports as a warning.
 * - Our own pid in the lock is stale unless this process holds the directory open right now: in
 *   a container weft is often pid 1 on every start, and the previous start left that lock behind.
 * - Take-over is serialised by a short-lived `lock.takeover` file, itself created exclusively, so
 *   two processes that both find a stale lock cannot both end up holding it.
 * A pid reused by an unrelated live process looks alive; the message names the pid so the user can
 * check and remove the file.
 */
import { readFile, realpath, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileExclusive, removeFileDurable } from '../lib/atomic-file.ts';
import { StoreError } from './store-error.ts';

export const LOCK_FILE = 'lock';
const TAKEOVER_FILE = 'lock.takeover';
const MAX_ATTEMPTS = 5;

/** Directories (real paths) this process holds open. */
const HELD_HERE = new Set<string>();

interface LockHolder {
  readonly pid: number;
  readonly startedAt?: string;
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as { pid?: unknown; startedAt?: unknown };
    if (typeof v.pid !== 'number' || !Number.isSafeInteger(v.pid) || v.pid <= 0) return undefined;
    return { pid: v.pid, startedAt: typeof v.startedAt === 'string' ? v.startedAt : undefined };
  } catch {
    return undefined;
  }
}

/** Reads a lock-like file: its raw text (to compare before removing it), or undefined if gone. */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Whether another process holds a lock naming `pid`. Our own pid counts as dead: acquire() has
 * already reserved the directory within this process, so a lock naming us is a previous life's.
 */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

function lockedError(dir: string, pid: number): StoreError {
  return new StoreError('Locked', `state directory ${dir} is in use by weft (pid ${pid})`, { holderPid: pid });
}

export class StateLock {
  readonly #dir: string;
  readonly #realDir: string;
  readonly #content: string;
  #held = true;

  private constructor(dir: string, realDir: string, content: string) {
    this.#dir = dir;
    this.#realDir = realDir;
    this.#content = content;
  }

  /** Takes the lock of an existing directory. Warnings say when a stale lock was taken over. */
  static async acquire(dir: string, now: Date): Promise<{ lock: StateLock; warnings: string[] }> {
    const realDir = await realpath(dir);
    const content = `${JSON.stringify({ pid: process.pid, startedAt: now.toISOString() })}\n`;
    // Reserve the directory within this process first (synchronously after the check), so two
    // opens in one process cannot race each other through the file system.
    if (HELD_HERE.has(realDir)) throw lockedError(dir, process.pid);
    HELD_HERE.add(realDir);
    try {
      const warnings = await acquireFile(dir, content);
      return { lock: new StateLock(dir, realDir, content), warnings };
    } catch (e) {
      HELD_HERE.delete(realDir);
      throw e;
    }
  }

  /** Removes the lock file if it is still ours. Idempotent. */
  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    try {
      const path = join(this.#dir, LOCK_FILE);
      if ((await readText(path)) === this.#content) await removeFileDurable(path);
    } finally {
      HELD_HERE.delete(this.#realDir);
    }
  }
}

async function acquireFile(dir: string, content: string): Promise<string[]> {
  const lockPath = join(dir, LOCK_FILE);
  const warnings: string[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      await createFileExclusive(lockPath, content, { mode: 0o600 });
      return warnings;
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw e;
    }
    const text = await readText(lockPath);
    if (text === undefined) continue; // released meanwhile: try again
    const holder = parseHolder(text);
    if (holder !== undefined && isAlive(holder.pid)) throw lockedError(dir, holder.pid);
    if (await takeOver(dir, text, content)) {
      warnings.push(
        holder === undefined
          ? `state directory ${dir}: the lock file was unreadable; took it over`
          : `state directory ${dir} was locked by pid ${holder.pid}, which is no longer running; took the lock over`,
      );
    }
  }
  throw new StoreError('Locked', `state directory ${dir}: could not take the lock after ${MAX_ATTEMPTS} attempts`);
}

/**
 * Removes a stale lock whose content is still `staleText`, under the take-over guard. Resolves
 * whether it removed it (false: someone else changed the lock first; the caller just retries).
 */
async function takeOver(dir: string, staleText: string, guardContent: string): Promise<boolean> {
  const guardPath = join(dir, TAKEOVER_FILE);
  try {
    await createFileExclusive(guardPath, guardContent, { mode: 0o600 });
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw e;
    const guardText = await readText(guardPath);
    const guard = parseHolder(guardText ?? '');
    if (guard !== undefined && isAlive(guard.pid)) throw lockedError(dir, guard.pid);
    // The guard's owner died mid-take-over; clear its guard if nobody replaced it meanwhile.
    if (guardText !== undefined && (await readText(guardPath)) === guardText) await unlink(guardPath).catch(() => {});
    return false;
  }
  try {
    if ((await readText(join(dir, LOCK_FILE))) !== staleText) return false;
    await removeFileDurable(join(dir, LOCK_FILE));
    return true;
  } finally {
    await removeFileDurable(guardPath);
  }
}
