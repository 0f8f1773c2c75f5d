/**
 * Where a buffered sink's bytes go: a file (appended, reopened for log rotation) or an already
 * open descriptor (stdout, stderr). Writes go through libuv's thread pool, so a slow disk or a
 * full pipe blocks a pool thread, never the event loop; the sink above drops lines meanwhile.
 */
import { write as fsWrite } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { err, ok, type Result } from '../../lib/result.ts';

export interface SinkTarget {
  /** For messages: the path, or `stdout`. */
  readonly description: string;
  /** Writes all of `data` (looping over partial writes). */
  write(data: Buffer): Promise<void>;
  /** Opens the path again (after logrotate renamed it); a no-op for descriptors. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await handle.write(data, off, data.length - off);
    off += bytesWritten;
  }
}

class FileTarget implements SinkTarget {
  readonly description: string;
  #handle: FileHandle;

  constructor(
    readonly path: string,
    handle: FileHandle,
  ) {
    this.description = path;
    this.#handle = handle;
  }

  write(data: Buffer): Promise<void> {
    return writeAll(this.#handle, data);
  }

  async reopen(): Promise<void> {
    // Open the new file first: if that fails the old one keeps receiving lines.
    const next = await open(this.path, 'a', 0o644);
    const old = this.#handle;
    this.#handle = next;
    await old.close();
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

/** Opens (creating if needed) `path` for appending. */
export async function openFileTarget(path: string): Promise<Result<SinkTarget, Error>> {
  try {
    return ok(new FileTarget(path, await open(path, 'a', 0o644)));
  } catch (e) {
    return err(e as Error);
  }
}

function writeFd(fd: number, data: Buffer, off: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fsWrite(fd, data, off, data.length - off, null, (e, n) => (e ? reject(e) : resolve(n)));
  });
}

const RETRY_MS = 5;
/** A pipe that stays full this long fails the batch (counted as write_failed by the sink). */
const MAX_RETRIES = 2000;

/** A descriptor the process already holds (1 = stdout, 2 = stderr); never closed here. */
export function fdTarget(fd: number, description: string): SinkTarget {
  return {
    description,
    async write(data) {
      let off = 0;
      let retries = 0;
      while (off < data.length) {
        try {
          off += await writeFd(fd, data, off);
        } catch (e) {
          // A non-blocking pipe that is full: wait a little for the reader, a bounded number of times.
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || ++retries > MAX_RETRIES) throw e;
          await new Promise((r) => setTimeout(r, RETRY_MS));
        }
      }
    },
    reopen: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
