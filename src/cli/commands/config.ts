/** `weft config view`: the running instance's settings, as `cilium config view` lists its own. */
import type { Command } from 'commander';
import { statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID } from '../exit-codes.ts';
import { formatTable } from '../output/printers.ts';
import { clientFor } from './common.ts';
import { CONFIG_PATH } from '../../server/endpoints.ts';


export function registerConfig(program: Command): void {
  const config = program.command('config').description('inspect the configuration of the running instance');
  config
    .command('view')
    .description('print every setting of the running instance')
    .option('-o, --output <format>', 'json')
    .action(async (opts: { output?: string }, cmd: Command) => {
      const res = await clientFor(cmd).request<Record<string, string>>('GET', CONFIG_PATH);
      if (res.status !== 200) throw new CliExit(EXIT_INVALID, `error: ${statusMessage(res.body, `config failed (${res.status})`)}`);
      if (opts.output === 'json') {
        process.stdout.write(`${JSON.stringify(res.body, null, 2)}\n`);
        return;
      }
      const keys = Object.keys(res.body).sort();
      process.stdout.write(formatTable(keys.map((k) => [k, String(res.body[k])])));
    });
  config.exitOverride();
}
