/** `weft apply -f PATH|- [--dry-run]`: server-side validated, all-or-nothing batch apply. */
import type { Command } from 'commander';
import type { Diagnostic } from '../../lib/diagnostic.ts';
import { hasErrors } from '../../lib/diagnostic.ts';
import { APPLY_PATH } from '../../server/endpoints.ts';
import { statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { clientFor, collect, printDiagnostics } from './common.ts';
import { resolveKind } from '../../api/kinds.ts';
import { splitApiVersion } from '../../api/object.ts';

interface ApplyItem {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  action: 'created' | 'configured' | 'unchanged';
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('create or update objects from files, a directory (recursive) or stdin; an invalid batch changes nothing')
    .requiredOption('-f, --filename <path>', 'file, directory or - for stdin; repeatable', collect)
    .option('-n, --namespace <ns>', 'namespace for objects that name none')
    .option('--dry-run [mode]', 'validate and report without changing anything (server|client|none)')
    .option('-o, --output <format>', 'name or json')
    .action(async (opts: { filename: string[]; namespace?: string; dryRun?: string | boolean; output?: string }, cmd: Command) => {
      const dryRun = opts.dryRun === true || opts.dryRun === 'server' || opts.dryRun === 'client';
      if (typeof opts.dryRun === 'string' && !['server', 'client', 'none'].includes(opts.dryRun)) {
        throw new CliExit(EXIT_USAGE, `error: Invalid dry-run value (${opts.dryRun}). Must be "none", "server", or "client".`);
      }
      // The server validates (and loads the schemas it needs); reading the files is all the CLI does.
      const { readManifestFiles } = await import('../../manifest/index.ts');
      const read = await readManifestFiles(opts.filename, { preloadSchemas: false });
      if (hasErrors(read.diagnostics)) {
        printDiagnostics(read.diagnostics);
        throw new CliExit(EXIT_INVALID, '');
      }
      const client = clientFor(cmd);
      const res = await client.request<{ items?: ApplyItem[]; diagnostics?: Diagnostic[] }>('POST', APPLY_PATH, {
        files: read.files,
        dryRun,
        namespace: opts.namespace,
      });
      if (res.status === 422) {
        printDiagnostics(res.body.diagnostics ?? []);
        throw new CliExit(EXIT_INVALID, 'error: the batch is invalid; nothing was applied');
      }
      if (res.status !== 200) throw new CliExit(EXIT_INVALID, `error: ${statusMessage(res.body, `apply failed (${res.status})`)}`);
      printDiagnostics(res.body.diagnostics ?? []);
      const items = res.body.items ?? [];
      if (opts.output === 'json') {
        process.stdout.write(`${JSON.stringify({ items }, null, 2)}\n`);
        return;
      }
      const suffix = dryRun ? (opts.dryRun === 'client' ? ' (dry run)' : ' (server dry run)') : '';
      for (const it of items) {
        const ref = itemRef(it);
        process.stdout.write(opts.output === 'name' ? `${ref}\n` : `${ref} ${it.action}${suffix}\n`);
      }
    });
}

function itemRef(it: { apiVersion: string; kind: string; name: string }): string {
  const { group } = splitApiVersion(it.apiVersion);
  const info = resolveKind(group ? `${it.kind}.${group}` : it.kind);
  const kind = info ? (info.group ? `${info.singular}.${info.group}` : info.singular) : it.kind.toLowerCase();
  return `${kind}/${it.name}`;
}
