/**
 * The `weft` command line (DESIGN.md "The local API and the CLI"). Verbs follow kubectl, cilium and
 * hubble. Every command but `up`, `validate` and `version --client` talks only to the local API
 * found through the state directory.
 */
import { Command, CommanderError } from 'commander';
import { registerApply } from './commands/apply.ts';
import { registerConfig } from './commands/config.ts';
import { registerCreate } from './commands/create.ts';
import { registerDelete } from './commands/delete.ts';
import { registerDescribe } from './commands/describe.ts';
import { registerExec } from './commands/exec.ts';
import { registerExplain } from './commands/explain.ts';
import { registerLabel } from './commands/label.ts';
import { registerLoad } from './commands/load.ts';
import { registerGet } from './commands/get.ts';
import { registerRun } from './commands/run.ts';
import { registerStatus } from './commands/status.ts';
import { registerUp } from './commands/up.ts';
import { registerValidate } from './commands/validate.ts';
import { registerVersion } from './commands/version.ts';
import { registerWait } from './commands/wait.ts';
import { WEFT_VERSION } from '../lib/version.ts';
import { CliExit, EXIT_OK, EXIT_USAGE } from './exit-codes.ts';


export function buildProgram(): Command {
  const program = new Command('weft')
    .description('weft: a service mesh that runs Cilium, Gateway API and Istio manifests unchanged, on one machine or many')
    .version(WEFT_VERSION, '--version', 'print the version')
    .option('--state <dir>', 'state directory of the running instance (default: $WEFT_STATE, else .weft)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [
    registerUp,
    registerApply,
    registerCreate,
    registerDelete,
    registerGet,
    registerDescribe,
    registerWait,
    registerValidate,
    registerExplain,
    registerStatus,
    registerVersion,
    registerConfig,
    registerExec,
    registerRun,
    registerLabel,
    registerLoad,
  ]) {
    register(program);
  }
  // Subcommands inherit exitOverride only when set before they were added; set it on each.
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') {
        return EXIT_OK;
      }
      return EXIT_USAGE;
    }
    if (e instanceof CliExit) {
      if (e.message) process.stderr.write(`${e.message.endsWith('\n') ? e.message : `${e.message}\n`}`);
      return e.code;
    }
    process.stderr.write(`weft: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
