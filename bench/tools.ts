/**
 * The external programs the bench drives, where they are, their versions, and the one command that
 * installs the missing ones (all come from Debian).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type ToolName = 'nginx' | 'wrk' | 'haproxy' | 'caddy' | 'taskset' | 'chrt';

/** Debian package of each tool. */
export const DEBIAN_PACKAGE: Readonly<Record<ToolName, string>> = {
  nginx: 'nginx',
  wrk: 'wrk',
  haproxy: 'haproxy',
  caddy: 'caddy',
  taskset: 'util-linux',
  chrt: 'util-linux',
};

/** sbin directories are searched too: nginx and haproxy live there and a user's PATH may omit them. */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

export function findExecutable(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  const dirs = [...pathEnv.split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The single command that installs the given tools. */
export function installCommand(missing: readonly ToolName[]): string {
  const pkgs = [...new Set(missing.map((t) => DEBIAN_PACKAGE[t]))];
  return `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
}

const VERSION_ARGS: Readonly<Record<ToolName, { args: string[]; re: RegExp }>> = {
  nginx: { args: ['-v'], re: /nginx\/(\S+)/ },
  wrk: { args: ['-v'], re: /wrk (\S+)/ },
  haproxy: { args: ['-v'], re: /HAProxy version (\S+)/ },
  caddy: { args: ['version'], re: /^v?(\d\S*)/m },
  taskset: { args: ['--version'], re: /(\d+\.\d+(?:\.\d+)?)/ },
  chrt: { args: ['--version'], re: /(\d+\.\d+(?:\.\d+)?)/ },
};

/** The tool's version as it prints it, or `?`. */
export function toolVersion(name: ToolName, path: string): string {
  const { args, re } = VERSION_ARGS[name];
  const r = spawnSync(path, args, { encoding: 'utf8', timeout: 5000 });
  const m = re.exec(`${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  return m ? m[1] : '?';
}

export interface Toolbox {
  readonly paths: ReadonlyMap<ToolName, string>;
  readonly versions: ReadonlyMap<ToolName, string>;
  readonly missing: readonly ToolName[];
}

export function detectTools(names: readonly ToolName[]): Toolbox {
  const paths = new Map<ToolName, string>();
  const versions = new Map<ToolName, string>();
  const missing: ToolName[] = [];
  for (const name of names) {
    const p = findExecutable(name);
    if (p === undefined) {
      missing.push(name);
      continue;
    }
    paths.set(name, p);
    versions.set(name, toolVersion(name, p));
  }
  return { paths, versions, missing };
}
