/** `weft load [fortio load flags] URL`: weft's fortio-compatible load client (also `fortio load` under `weft exec`). */
import type { Command } from 'commander';
import { runLoadCommand } from '../../apps/index.ts';

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description('fortio-compatible load generator: -c, -qps (0 = max), -n, -t, then the URL; prints fortio-style summaries')
    .helpOption(false)
    .allowUnknownOption(true)
    .argument('[args...]', 'fortio load flags and the URL')
    .action(async (args: string[]) => {
      const code = await runLoadCommand(args, process.env, {
        write: (s: string) => process.stdout.write(s),
        writeError: (s: string) => process.stderr.write(s),
      });
      process.exitCode = code;
    });
}
