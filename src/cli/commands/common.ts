/** Pieces shared by the CLI's commands. */
import type { Command } from 'commander';
import { resolveKind } from '../../api/kinds.ts';
import type { KindInfo } from '../../api/kinds.ts';
import { formatDiagnostic, sortDiagnostics } from '../../lib/diagnostic.ts';
import type { Diagnostic } from '../../lib/diagnostic.ts';
import { ApiClient, stateDir } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';

export function clientFor(cmd: Command): ApiClient {
  return ApiClient.fromStateDir(stateDir(cmd.optsWithGlobals().state as string | undefined));
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function kindOrExit(name: string): KindInfo {
  const info = resolveKind(name);
  if (!info) {
    throw new CliExit(EXIT_INVALID, `error: the server doesn't have a resource type "${name}"`);
  }
  return info;
}

/** kubectl's `kind.group` spelling used in messages (`deployment.apps`, `service`). */
export function kindRef(info: KindInfo): string {
  return info.group ? `${info.singular}.${info.group}` : info.singular;
}

export function printDiagnostics(ds: readonly Diagnostic[], out: NodeJS.WritableStream = process.stderr): void {
  for (const d of sortDiagnostics(ds)) out.write(`${formatDiagnostic(d)}\n`);
}

/** Parses kubectl durations (`30s`, `2m`, `1h`, bare seconds) into milliseconds. */
export function parseTimeout(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new CliExit(EXIT_USAGE, `error: invalid timeout "${s}" (use e.g. 30s, 2m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
}

/** Splits `KIND/NAME` or `KIND NAME...` arguments into kind + names. */
export function targetArgs(args: readonly string[]): { info: KindInfo; names: string[] } {
  if (args.length === 0) throw new CliExit(EXIT_USAGE, 'error: you must specify the type of resource');
  const [first, ...rest] = args;
  const slash = first.indexOf('/');
  if (slash >= 0) return { info: kindOrExit(first.slice(0, slash)), names: [first.slice(slash + 1), ...rest] };
  return { info: kindOrExit(first), names: rest };
}
