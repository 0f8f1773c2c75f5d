/**
 * The `weft load` command and `fortio load` under `weft exec`, ready for the CLI to call: parse
 * fortio's flags, take the proxy from the environment (what `weft exec` sets), run, and return the
 * exit code (0 done, 1 refused or failed to start, 2 usage error, as Go's flag package exits).
 */
import { parseLoadArgs, proxyFromEnv } from './options.ts';
import { runLoad, type LoadIo } from './runner.ts';

export const LOAD_USAGE = `usage: weft load [flags] URL
  -c int           connections (default 4)
  -qps float       queries per second, 0 for as fast as possible (default 8)
  -n int           exact number of calls (default: run for -t)
  -t duration      how long to run when -n is not given (default 5s)
  -H "Name: value" extra request header (repeatable)
  -timeout dur     per request (default 3s)
  -payload-size n  POST a body of n bytes;  -payload "text" POST that text
  -p "50,75,90,99,99.9"  percentiles to report;  -r 0.001  histogram resolution (s)
  -allow-initial-errors, -k (insecure TLS), -uniform, -jitter, -nocatchup
Requests go through $http_proxy when set (as under weft exec).
`;

export async function runLoadCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: LoadIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help') || argv.includes('-help')) {
    io.write(LOAD_USAGE);
    return 0;
  }
  const first = parseLoadArgs(argv);
  if (!first.ok) {
    io.writeError(`${first.error}\n${LOAD_USAGE}`);
    return 2;
  }
  const proxy = proxyFromEnv(first.value.url, env);
  const options = proxy ? { ...first.value, proxy } : first.value;
  return (await runLoad(options, io)).exitCode;
}

/**
 * The load arguments of a command that runs fortio's client (`fortio load ...`,
 * `/usr/bin/fortio load ...`), or undefined for any other command.
 */
export function fortioLoadArgs(command: readonly string[]): string[] | undefined {
  const [bin, sub, ...rest] = command;
  if (bin === undefined || (bin.split('/').pop() ?? '') !== 'fortio' || sub !== 'load') return undefined;
  return rest;
}
