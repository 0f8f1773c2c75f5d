/**
 * The objects' files under the state directory (layout: object-key.ts) and `meta.json`, which
 * holds the resourceVersion counter so that it never goes backwards across restarts (the objects'
 * own resourceVersions cannot tell the counter after a delete).
 *
 * A batch is written all or nothing: every new file is first written and fsynced as a temp file
 * (nothing visible has changed yet, so a failure there only removes temp files); then the temp
 * files are renamed over their targets and removed objects unlinked, the touched directories
 * fsynced and meta.json rewritten. If any step of that second phase fails, the files already
 * changed are put back from the previous objects, which the caller still holds in memory.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { KubeObject } from '../api/object.ts';
import {
  ensureDir,
  fsyncDir,
  isAtomicTempFile,
  prepareFileAtomic,
  removeAtomicTempFiles,
  removeFileDurable,
  writeFileAtomic,
} from '../lib/atomic-file.ts';
import type { PreparedWrite } from '../lib/atomic-file.ts';
import { locateJsonError } from './json-error-position.ts';
import { systemFieldsOf } from './object-content.ts';
import { keyOf, objectFilePath, OBJECTS_DIR } from './object-key.ts';
import type { ObjectKey } from './object-key.ts';
import { StoreError } from './store-error.ts';

export const META_FILE = 'meta.json';
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export type FileChange =
  | { readonly kind: 'put'; readonly key: ObjectKey; readonly object: KubeObject; readonly previous?: KubeObject }
  | { readonly kind: 'remove'; readonly key: ObjectKey; readonly previous: KubeObject };

export interface LoadedObjects {
  readonly objects: KubeObject[];
  /** The highest resourceVersion ever handed out: max(meta.json, every object's). */
  readonly resourceVersion: number;
  readonly warnings: string[];
}

function serialize(obj: unknown): string {
  return `${JSON.stringify(obj, null, 2)}\n`;
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw e;
  }
}

function describeJsonError(text: string, e: unknown): string {
  const at = locateJsonError(text);
  if (at === undefined) return `invalid JSON (${(e as Error).message})`;
  return `invalid JSON at position ${at.offset} (line ${at.line}, column ${at.column})`;
}

export class ObjectFiles {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #abs(rel: string): string {
    return join(this.#dir, ...rel.split('/'));
  }

  /** Reads every object file. A file that cannot be used is named in a warning and skipped. */
  async load(): Promise<LoadedObjects> {
    const warnings: string[] = [];
    let leftovers = (await removeAtomicTempFiles(this.#dir)).length;
    let resourceVersion = await this.#readMeta(warnings);
    const objects: KubeObject[] = [];
    const files: string[] = [];
    leftovers += await this.#walk(OBJECTS_DIR, 0, files, warnings);
    for (const rel of files) {
      const obj = await this.#readObject(rel, warnings);
      if (obj === undefined) continue;
      objects.push(obj);
      resourceVersion = Math.max(resourceVersion, Number(obj.metadata.resourceVersion));
    }
    if (leftovers > 0) {
      warnings.push(`removed ${leftovers} leftover temporary file(s) of a write interrupted by a crash`);
    }
    return { objects, resourceVersion, warnings };
  }

  async #readMeta(warnings: string[]): Promise<number> {
    let text: string;
    try {
      text = await readFile(join(this.#dir, META_FILE), 'utf8');
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return 0;
      warnings.push(`${META_FILE}: ${(e as Error).message}; resourceVersion recovered from the objects`);
      return 0;
    }
    try {
      const rv = (JSON.parse(text) as { resourceVersion?: unknown }).resourceVersion;
      if (typeof rv === 'string' && /^\d+$/.test(rv)) return Number(rv);
      warnings.push(`${META_FILE}: resourceVersion is missing or not a number; recovered from the objects`);
    } catch (e) {
      warnings.push(`${META_FILE}: ${describeJsonError(text, e)}; resourceVersion recovered from the objects`);
    }
    return 0;
  }

  /**
   * Collects object files (relative paths) at depth 4 under objects/ (group/kind/namespace/file),
   * removing leftover temp files on the way; resolves how many it removed.
   */
  async #walk(rel: string, depth: number, out: string[], warnings: string[]): Promise<number> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.#abs(rel), { withFileTypes: true });
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') warnings.push(`${rel}: cannot read directory (${(e as Error).message}); skipped`);
      return 0;
    }
    let removed = 0;
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = `${rel}/${entry.name}`;
      if (entry.isFile() && isAtomicTempFile(entry.name)) {
        await unlink(this.#abs(child)).catch(() => {});
        removed++;
      } else if (depth < 3 && entry.isDirectory()) {
        removed += await this.#walk(child, depth + 1, out, warnings);
      } else if (depth === 3 && entry.isFile() && entry.name.endsWith('.json')) {
        out.push(child);
      } else {
        warnings.push(`${child}: not where an object file belongs (${OBJECTS_DIR}/GROUP/KIND/NAMESPACE/NAME.json); ignored`);
      }
    }
    return removed;
  }

  async #readObject(rel: string, warnings: string[]): Promise<KubeObject | undefined> {
    let text: string;
    try {
      text = await readFile(this.#abs(rel), 'utf8');
    } catch (e) {
      warnings.push(`${rel}: cannot read (${(e as Error).message}); skipped`);
      return undefined;
    }
    let obj: KubeObject;
    try {
      obj = JSON.parse(text) as KubeObject;
    } catch (e) {
      warnings.push(`${rel}: ${describeJsonError(text, e)}; skipped`);
      return undefined;
    }
    let key: ObjectKey;
    try {
      key = keyOf(obj);
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      warnings.push(`${rel}: not a valid object (${e.message}); skipped`);
      return undefined;
    }
    if (systemFieldsOf(obj) === undefined) {
      warnings.push(`${rel}: metadata.uid, resourceVersion, generation or creationTimestamp missing or invalid; skipped`);
      return undefined;
    }
    const expected = objectFilePath(key);
    if (expected !== rel) {
      warnings.push(`${rel}: holds ${obj.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}, whose file is ${expected}; skipped`);
      return undefined;
    }
    return obj;
  }

  /** Writes a batch all or nothing and records `resourceVersion` as the counter. */
  async commit(changes: readonly FileChange[], resourceVersion: number): Promise<void> {
    const prepared = await this.#prepare(changes);
    const done: FileChange[] = [];
    let step = '';
    try {
      const dirs = new Set<string>();
      for (const c of changes) {
        const rel = objectFilePath(c.key);
        step = rel;
        if (c.kind === 'put') await prepared.get(c)!.commit();
        else await unlinkIfPresent(this.#abs(rel));
        done.push(c);
        dirs.add(dirname(this.#abs(rel)));
      }
      step = 'syncing directories';
      for (const d of dirs) await fsyncDir(d);
      step = META_FILE;
      await writeFileAtomic(join(this.#dir, META_FILE), serialize({ resourceVersion: String(resourceVersion) }), {
        mode: FILE_MODE,
      });
    } catch (e) {
      await Promise.all([...prepared.values()].map((p) => p.discard()));
      throw await this.#rollback(done, this.#failure(step, e));
    }
  }

  #failure(step: string, e: unknown): Error {
    return new Error(`state directory ${this.#dir}: ${step}: ${(e as Error).message}`, { cause: e });
  }

  async #prepare(changes: readonly FileChange[]): Promise<Map<FileChange, PreparedWrite>> {
    const prepared = new Map<FileChange, PreparedWrite>();
    let rel = '';
    try {
      for (const c of changes) {
        if (c.kind !== 'put') continue;
        rel = objectFilePath(c.key);
        const abs = this.#abs(rel);
        await ensureDir(dirname(abs), DIR_MODE);
        prepared.set(c, await prepareFileAtomic(abs, serialize(c.object), { mode: FILE_MODE }));
      }
      return prepared;
    } catch (e) {
      await Promise.all([...prepared.values()].map((p) => p.discard()));
      throw this.#failure(rel, e);
    }
  }

  /** Puts back what `done` changed, newest first; resolves the error to throw. */
  async #rollback(done: readonly FileChange[], failure: Error): Promise<Error> {
    const problems: string[] = [];
    for (const c of [...done].reverse()) {
      const rel = objectFilePath(c.key);
      try {
        if (c.previous === undefined) await removeFileDurable(this.#abs(rel));
        else await writeFileAtomic(this.#abs(rel), serialize(c.previous), { mode: FILE_MODE });
      } catch (e) {
        problems.push(`${rel}: ${(e as Error).message}`);
      }
    }
    if (problems.length === 0) return failure;
    return new Error(
      `${failure.message}; restoring the previous files also failed (${problems.join('; ')}): ` +
        'the state directory may hold part of this batch after a restart',
      { cause: failure },
    );
  }
}
