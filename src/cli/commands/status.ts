/** `weft status`: the health of each component, the way `cilium status` shows it. */
import type { Command } from 'commander';
import { statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID } from '../exit-codes.ts';
import { clientFor } from './common.ts';
import { STATUS_PATH } from '../../server/endpoints.ts';
import type { StatusReport } from '../../server/endpoints.ts';


export function formatStatus(r: StatusReport): string {
  const width = Math.max(...r.components.map((c) => c.name.length)) + 2;
  const lines = r.components.map((c) => `${`${c.name}:`.padEnd(width)}${c.state}${c.message ? `   ${c.message}` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show the health of every component of the running instance')
    .option('-o, --output <format>', 'json')
    .action(async (opts: { output?: string }, cmd: Command) => {
      const res = await clientFor(cmd).request<StatusReport>('GET', STATUS_PATH);
      if (res.status !== 200) throw new CliExit(EXIT_INVALID, `error: ${statusMessage(res.body, `status failed (${res.status})`)}`);
      process.stdout.write(opts.output === 'json' ? `${JSON.stringify(res.body, null, 2)}\n` : formatStatus(res.body));
      if (res.body.components.some((c) => c.state === 'Error')) throw new CliExit(EXIT_INVALID, '');
    });
}
