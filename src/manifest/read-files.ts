/**
 * Reading manifest inputs as kubectl's `-f` does: a file (any extension), a directory (recursive;
 * `.yaml`, `.yml` and `.json` files in lexical order; symlinked directories are not followed), or
 * `-` for stdin. A path that cannot be read becomes a Diagnostic, never a throw.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { preloadSchemas } from '../api/schemas.ts';
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { parseManifestFile } from './parse-file.ts';
import type { ManifestFile } from './types.ts';

export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

export interface ReadOptions {
  /** What `-` reads; process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
  /**
   * Load the schema validators of the kinds in the files, so that `loadManifests` can validate
   * them (default true). A caller that only ships the files elsewhere can skip the cost.
   */
  preloadSchemas?: boolean;
}

export interface ReadResult {
  files: ManifestFile[];
  diagnostics: Diagnostic[];
}

function ioError(message: string, hint?: string): Diagnostic {
  return hint ? { code: DIAGNOSTIC_CODES.IO, severity: 'error', message, hint } : { code: DIAGNOSTIC_CODES.IO, severity: 'error', message };
}

function hasManifestExtension(name: string): boolean {
  return MANIFEST_EXTENSIONS.some((ext) => name.endsWith(ext));
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Manifest file paths under `dir`, sorted the way kubectl walks them. */
async function listDirectory(dir: string, out: string[]): Promise<void> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await listDirectory(p, out);
    else if (hasManifestExtension(e.name) && (e.isFile() || (e.isSymbolicLink() && (await stat(p).then((s) => s.isFile(), () => false))))) out.push(p);
  }
}

async function readPath(path: string, files: ManifestFile[], diagnostics: Diagnostic[]): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    diagnostics.push(code === 'ENOENT' ? ioError(`the path "${path}" does not exist`) : ioError(`cannot read "${path}": ${(e as Error).message}`));
    return;
  }
  const names: string[] = [];
  if (isDir) {
    try {
      await listDirectory(path, names);
    } catch (e) {
      diagnostics.push(ioError(`cannot read the directory "${path}": ${(e as Error).message}`));
      return;
    }
    if (names.length === 0) {
      diagnostics.push({ ...ioError(`no ${MANIFEST_EXTENSIONS.join(', ')} files under "${path}"`), severity: 'warning' });
    }
  } else {
    names.push(path);
  }
  for (const name of names) {
    try {
      files.push({ name, content: await readFile(name, 'utf8') });
    } catch (e) {
      diagnostics.push(ioError(`cannot read "${name}": ${(e as Error).message}`));
    }
  }
}

/** Loads the schema validators the objects in `files` need (see `api/schemas.ts`). */
export async function preloadManifestSchemas(files: readonly ManifestFile[]): Promise<void> {
  await preloadSchemas(files.flatMap((f) => parseManifestFile(f).objects.map((o) => o.object)));
}

/**
 * Reads files / directories (recursive, .yaml/.yml/.json, sorted) / '-' (stdin), in the order
 * given. A missing or unreadable path is a Diagnostic. Unless `preloadSchemas: false`, also loads
 * the schema validators the files need, so `loadManifests` can run on the result.
 */
export async function readManifestFiles(paths: readonly string[], opts: ReadOptions = {}): Promise<ReadResult> {
  const files: ManifestFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    if (path === '-') {
      try {
        files.push({ name: '<stdin>', content: await readStream(opts.stdin ?? process.stdin) });
      } catch (e) {
        diagnostics.push(ioError(`cannot read stdin: ${(e as Error).message}`));
      }
      continue;
    }
    await readPath(path, files, diagnostics);
  }
  if (opts.preloadSchemas !== false) await preloadManifestSchemas(files);
  return { files, diagnostics };
}
