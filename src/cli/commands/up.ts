/**
 * `weft up [--state DIR] [-f PATH]... [--api HOST:PORT]`: runs weft in the foreground on this machine.
 * Prints `weft ready api=URL state=DIR` on stdout once the `-f` objects are applied; SIGINT/SIGTERM
 * stop it cleanly with exit 0.
 */
import type { Command } from 'commander';
import { stateDir } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { collect } from './common.ts';

export const DEFAULT_API = '127.0.0.1:9876';

export function parseHostPort(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(s);
  if (!m) throw new CliExit(EXIT_USAGE, `error: --api wants HOST:PORT (e.g. 127.0.0.1:9876), got "${s}"`);
  const port = Number(m[3]);
  if (port > 65535) throw new CliExit(EXIT_USAGE, `error: port ${port} is out of range`);
  return { host: m[1] ?? m[2], port };
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('run weft on this machine in the foreground (store, API, controllers, data plane)')
    .option('-f, --filename <path>', 'manifests to apply at start and re-apply on change; repeatable', collect, [])
    .option('--api <host:port>', 'address of the local API (port 0 picks a free one)', DEFAULT_API)
    .option('--bootstrap <file>', 'an Envoy v3 bootstrap (static_resources) for the data plane to serve, watched like -f')
    .option('--no-access-log', "no default access log on stdout (HCMs' own access_log settings still apply)")
    .option('--workers <n>', 'data plane worker processes sharing the listening sockets (use one per core)', '1')
    .option('--proxy <host:port>', 'address of the outbound proxy weft exec uses (port 0 picks a free one)', '127.0.0.1:15001')
    .option('--service-cidr <cidr>', 'where Service ClusterIPs come from (a loopback range)', '127.96.0.0/16')
    .option('--pod-cidr <cidr>', 'where Pod IPs come from (a loopback range)', '127.244.0.0/16')
    .option('--node-address <ip>', "this node's address: NodePorts and Envoy listeners with a wildcard address (0.0.0.0, ::) bind here", '127.0.0.1')
    .option('--node-label <key=value>', "a label of this node (a CiliumEnvoyConfig's nodeSelector matches against them); repeatable", collect, [])
    .option('--no-watch', 'do not watch the -f paths for changes')
    .action(async (opts: { filename: string[]; api: string; watch: boolean; bootstrap?: string; accessLog: boolean; workers: string; proxy: string; serviceCidr: string; podCidr: string; nodeAddress: string; nodeLabel: string[] }, cmd: Command) => {
      if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(opts.nodeAddress)) {
        throw new CliExit(EXIT_USAGE, `error: --node-address wants a loopback IPv4 address (127.x.y.z), got "${opts.nodeAddress}"`);
      }
      const nodeLabels: Record<string, string> = {};
      for (const l of opts.nodeLabel) {
        const eq = l.indexOf('=');
        if (eq <= 0) throw new CliExit(EXIT_USAGE, `error: --node-label wants key=value, got "${l}"`);
        nodeLabels[l.slice(0, eq)] = l.slice(eq + 1);
      }
      const workers = Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
        throw new CliExit(EXIT_USAGE, `error: --workers wants a whole number from 1 to 64, got "${opts.workers}"`);
      }
      const { host, port } = parseHostPort(opts.api);
      const dir = stateDir(cmd.optsWithGlobals().state as string | undefined);
      // Loaded here so that every other command starts without the store, server and data plane.
      const { startStandalone } = await import('../../bin/standalone.ts');
      const { StandaloneConfigError, StandaloneManifestError } = await import('../../bin/standalone.ts');
      const { StoreError } = await import('../../store/index.ts');
      let up;
      try {
        up = await startStandalone({
          stateDir: dir,
          apiHost: host,
          apiPort: port,
          files: opts.filename,
          watch: opts.watch,
          bootstrap: opts.bootstrap,
          accessLog: opts.accessLog,
          workers,
          proxy: parseHostPort(opts.proxy),
          serviceCidr: opts.serviceCidr,
          podCidr: opts.podCidr,
          nodeAddress: opts.nodeAddress,
          nodeLabels,
        });
      } catch (e) {
        if (e instanceof StoreError && e.reason === 'Locked') throw new CliExit(EXIT_INVALID, `error: ${e.message}`);
        if (e instanceof StandaloneConfigError) throw new CliExit(EXIT_USAGE, `error: ${e.message}`);
        if (e instanceof StandaloneManifestError) throw new CliExit(EXIT_INVALID, `error: ${e.message}`);
        const code = (e as { code?: string }).code;
        if (code === 'EADDRINUSE') throw new CliExit(EXIT_INVALID, `error: the API address ${opts.api} is in use (is another weft running? try --api 127.0.0.1:0)`);
        throw e;
      }
      process.stdout.write(`weft ready api=${up.apiUrl} state=${up.stateDir}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.stderr.write(`weft: ${signal}: stopping\n`);
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          up.stop().then(resolve, (e: unknown) => {
            process.stderr.write(`weft: stop: ${(e as Error).message}\n`);
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
