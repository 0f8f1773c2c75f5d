/** `weft version [--client]`: client and server versions, as kubectl version. */
import type { Command } from 'commander';
import { WEFT_VERSION } from '../../lib/version.ts';
import { clientFor } from './common.ts';
import { STATUS_PATH } from '../../server/endpoints.ts';
import type { StatusReport } from '../../server/endpoints.ts';

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('print the client and server versions')
    .option('--client', 'client version only (no running instance needed)')
    .option('-o, --output <format>', 'json|yaml')
    .action(async (opts: { client?: boolean; output?: string }, cmd: Command) => {
      const out: { clientVersion: string; serverVersion?: string } = { clientVersion: WEFT_VERSION };
      const print = () => {
        if (opts.output === 'json') process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        else if (opts.output === 'yaml') {
          process.stdout.write(`clientVersion: ${out.clientVersion}\n${out.serverVersion ? `serverVersion: ${out.serverVersion}\n` : ''}`);
        } else {
          process.stdout.write(`Client Version: v${out.clientVersion}\n`);
          if (out.serverVersion) process.stdout.write(`Server Version: v${out.serverVersion}\n`);
        }
      };
      if (opts.client) return print();
      try {
        const res = await clientFor(cmd).request<StatusReport>('GET', STATUS_PATH);
        out.serverVersion = res.body.version;
      } finally {
        print();
      }
    });
}
