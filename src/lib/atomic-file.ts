/**
 * Crash-safe file writes. A reader (or the next process after a crash) sees either the old content
 * or the new content of a file, never a mix or an empty file:
 *
 *   temp file in the same directory → write → fsync → rename over the target → fsync the directory.
 *
 * The rename is atomic within one filesystem (hence the same directory), the first fsync makes the
 * data durable before the name points at it, and the directory fsync makes the rename itself
 * durable. Temp files carry ATOMIC_TEMP_PREFIX so whoever owns a directory can remove leftovers
 * from a crash (`removeAtomicTempFiles`).
 *
 * For batches, `prepareFileAtomic` does the expensive part (write + fsync) and returns a handle
 * whose `commit()` only renames; the caller fsyncs each touched directory once (`fsyncDir`).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const ATOMIC_TEMP_PREFIX = '.weft-tmp-';

export interface AtomicWriteOptions {
  /** File mode for a new file (umask applies), e.g. 0o600 for secrets. Default 0o666 like fs.writeFile. */
  readonly mode?: number;
}

/** A temp file written and fsynced, not yet visible under its target name. */
export interface PreparedWrite {
  readonly path: string;
  readonly tempPath: string;
  /** Renames the temp file over `path`. Does not fsync the directory (see `fsyncDir`). */
  commit(): Promise<void>;
  /** Removes the temp file; never throws. Safe after a failed or without a commit. */
  discard(): Promise<void>;
}

const TEMP_NAME_RE = /^\.weft-tmp-\d+-[0-9a-f]{12}$/;

/** Whether `name` (a bare file name) is one of our temp files: `.weft-tmp-<pid>-<12 hex digits>`. */
export function isAtomicTempFile(name: string): boolean {
  return TEMP_NAME_RE.test(name);
}

function tempPathFor(path: string): string {
  return join(dirname(path), `${ATOMIC_TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

async function writeDurably(path: string, data: string | Uint8Array, flags: string, mode: number): Promise<void> {
  const fh = await open(path, flags, mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function unlinkQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // Best effort: the file may never have been created.
  }
}

/** Writes `data` to a fresh temp file next to `path` and fsyncs it. */
export async function prepareFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<PreparedWrite> {
  const tempPath = tempPathFor(path);
  try {
    await writeDurably(tempPath, data, 'wx', opts.mode ?? 0o666);
  } catch (e) {
    await unlinkQuietly(tempPath);
    throw e;
  }
  return {
    path,
    tempPath,
    commit: () => rename(tempPath, path),
    discard: () => unlinkQuietly(tempPath),
  };
}

/**
 * Makes a directory's entries (creations, renames, removals) durable. Platforms that cannot open a
 * directory for fsync (Windows) report EISDIR/EPERM/EINVAL; there is nothing more to do there.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    const code = errnoCode(e);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw e;
  } finally {
    await fh?.close();
  }
}

/** Replaces (or creates) `path` atomically and durably. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const prepared = await prepareFileAtomic(path, data, opts);
  try {
    await prepared.commit();
  } catch (e) {
    await prepared.discard();
    throw e;
  }
  await fsyncDir(dirname(path));
}

/**
 * Creates `path` with `data` only if it does not exist yet (rejects with code EEXIST otherwise), so
 * that it appears with its full content at once: the content goes to a temp file, which is then
 * hard-linked to `path` (link(2) fails with EEXIST exactly as open(O_CREAT|O_EXCL) does). On
 * filesystems without hard links it falls back to O_EXCL, where a reader may briefly see the file
 * empty.
 */
export async function createFileExclusive(
  path: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const prepared = await prepareFileAtomic(path, data, opts);
  try {
    await link(prepared.tempPath, path);
  } catch (e) {
    const code = errnoCode(e);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw e;
    await writeDurably(path, data, 'wx', opts.mode ?? 0o666);
  } finally {
    await prepared.discard();
  }
  await fsyncDir(dirname(path));
}

/** Removes `path` and makes the removal durable. Resolves false when there was no such file. */
export async function removeFileDurable(path: string): Promise<boolean> {
  try {
    await unlink(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return false;
    throw e;
  }
  await fsyncDir(dirname(path));
  return true;
}

/**
 * `mkdir -p` that also makes the new directories durable: each one created is fsynced into its
 * parent. Resolves once `dir` exists.
 */
export async function ensureDir(dir: string, mode = 0o777): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode });
  if (first === undefined) return;
  // Every directory from `first` down to `dir` is new; fsync each one's parent.
  const created: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    created.push(d);
    if (d === first || dirname(d) === d) break;
  }
  for (const d of created.reverse()) await fsyncDir(dirname(d));
}

/**
 * Removes leftover temp files (from a crash between write and rename) directly inside `dir`, and
 * returns their names. Only call it while no other writer can be using `dir`.
 */
export async function removeAtomicTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    throw e;
  }
  const removed: string[] = [];
  for (const name of names.filter(isAtomicTempFile).sort()) {
    await unlinkQuietly(join(dir, name));
    removed.push(name);
  }
  if (removed.length > 0) await fsyncDir(dir);
  return removed;
}
