/** `weft validate -f PATH`: offline checking of manifests; exit 1 when anything is invalid. */
import type { Command } from 'commander';
import { hasErrors } from '../../lib/diagnostic.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { collect, printDiagnostics } from './common.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check manifests offline (schema, names, fields) and print every problem with file:line:column')
    .requiredOption('-f, --filename <path>', 'file, directory (recursive) or - for stdin; repeatable', collect)
    .option('-n, --namespace <ns>', 'namespace for objects that name none', 'default')
    .option('-o, --output <format>', 'text (default) or json')
    .action(async (opts: { filename: string[]; namespace: string; output?: string }) => {
      if (opts.output !== undefined && opts.output !== 'json' && opts.output !== 'text') {
        throw new CliExit(EXIT_USAGE, `error: unknown output format "${opts.output}" (text or json)`);
      }
      const { loadManifests, readManifestFiles } = await import('../../manifest/index.ts');
      const read = await readManifestFiles(opts.filename);
      const loaded = loadManifests(read.files, { defaultNamespace: opts.namespace });
      const { checkEnvoyConfigs } = await import('../../controlplane/index.ts');
      const diagnostics = [...read.diagnostics, ...loaded.diagnostics, ...checkEnvoyConfigs(loaded.objects)];
      const failed = hasErrors(diagnostics);
      if (opts.output === 'json') {
        const objects = loaded.objects.map((o) => ({
          apiVersion: o.object.apiVersion,
          kind: o.object.kind,
          namespace: o.object.metadata.namespace,
          name: o.object.metadata.name,
          file: o.source?.file,
          line: o.source?.line,
        }));
        process.stdout.write(`${JSON.stringify({ valid: !failed, objects, diagnostics }, null, 2)}\n`);
      } else {
        printDiagnostics(diagnostics);
        const errors = diagnostics.filter((d) => d.severity === 'error').length;
        const summary = failed
          ? `${errors} error${errors === 1 ? '' : 's'} in ${read.files.length} file${read.files.length === 1 ? '' : 's'}`
          : `${loaded.objects.length} object${loaded.objects.length === 1 ? '' : 's'} in ${read.files.length} file${read.files.length === 1 ? '' : 's'}: valid`;
        (failed ? process.stderr : process.stdout).write(`${summary}\n`);
      }
      if (failed) throw new CliExit(EXIT_INVALID, '');
    });
}
