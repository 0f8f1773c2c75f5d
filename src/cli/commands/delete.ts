/** `weft delete -f PATH` · `weft delete KIND NAME... [-n NS]`, as kubectl. */
import type { Command } from 'commander';
import { kindInfo } from '../../api/kinds.ts';
import type { KindInfo } from '../../api/kinds.ts';
import { splitApiVersion } from '../../api/object.ts';
import { hasErrors } from '../../lib/diagnostic.ts';
import { resourceUrlPath } from '../../server/paths.ts';
import type { ApiClient } from '../client.ts';
import { statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { clientFor, collect, kindRef, printDiagnostics, targetArgs } from './common.ts';

interface Target {
  info: KindInfo;
  namespace?: string;
  name: string;
}

export function registerDelete(program: Command): void {
  program
    .command('delete')
    .description('delete objects named in files, or by kind and name')
    .argument('[target...]', 'KIND NAME... or KIND/NAME')
    .option('-f, --filename <path>', 'file, directory or - for stdin; repeatable', collect)
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('--ignore-not-found', 'treat "not found" as a successful delete')
    .action(
      async (
        args: string[],
        opts: { filename?: string[]; namespace: string; ignoreNotFound?: boolean },
        cmd: Command,
      ) => {
        const targets: Target[] = [];
        if (opts.filename) {
          if (args.length > 0) throw new CliExit(EXIT_USAGE, 'error: give either -f or KIND NAME, not both');
          const { loadManifests, readManifestFiles } = await import('../../manifest/index.ts');
          const read = await readManifestFiles(opts.filename);
          const loaded = loadManifests(read.files, { defaultNamespace: opts.namespace });
          const diagnostics = [...read.diagnostics, ...loaded.diagnostics];
          if (hasErrors(diagnostics)) {
            printDiagnostics(diagnostics);
            throw new CliExit(EXIT_INVALID, '');
          }
          for (const { object } of loaded.objects) {
            const info = kindInfo(splitApiVersion(object.apiVersion).group, object.kind);
            if (info) targets.push({ info, namespace: object.metadata.namespace, name: object.metadata.name });
          }
        } else {
          const { info, names } = targetArgs(args);
          if (names.length === 0) throw new CliExit(EXIT_USAGE, 'error: resource name(s) required (or -f PATH)');
          for (const name of names) targets.push({ info, namespace: info.namespaced ? opts.namespace : undefined, name });
        }
        const client = clientFor(cmd);
        let failed = false;
        for (const t of targets) failed = !(await deleteOne(client, t, opts.ignoreNotFound === true)) || failed;
        if (failed) throw new CliExit(EXIT_INVALID, '');
      },
    );
}

async function deleteOne(client: ApiClient, t: Target, ignoreNotFound: boolean): Promise<boolean> {
  const path = resourceUrlPath(t.info, t.info.versions[0], t.namespace, t.name);
  const res = await client.request('DELETE', path);
  if (res.status === 200) {
    process.stdout.write(`${kindRef(t.info)} "${t.name}" deleted\n`);
    return true;
  }
  if (res.status === 404 && ignoreNotFound) return true;
  const reason = (res.body as { reason?: string } | undefined)?.reason ?? 'Error';
  process.stderr.write(`Error from server (${reason}): ${statusMessage(res.body, `delete failed (${res.status})`)}\n`);
  return false;
}
