/**
 * `weft exec POD [-n NS] [-c CONTAINER] -- CMD...`: runs CMD on this machine as that Pod would
 * (DESIGN.md "Traffic in"): `http_proxy`/`HTTP_PROXY`/`https_proxy`/`HTTPS_PROXY` point at the
 * outbound proxy with the Pod's credentials and `no_proxy` is cleared, so `curl helloworld:5000`
 * resolves the Service as inside the cluster. POD may be `deploy/NAME` (a Running Pod of it).
 * `fortio load ...` in a fortio container runs weft's own load client. Exit code = CMD's.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runLoadCommand } from '../../apps/index.ts';
import { stateDir, statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_UNREACHABLE, EXIT_USAGE } from '../exit-codes.ts';
import { clientFor } from './common.ts';

interface PodView {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: { containers?: { name: string; image?: string }[] };
  status?: { phase?: string };
}

async function findPod(cmd: Command, ref: string, namespace: string): Promise<PodView> {
  const client = clientFor(cmd);
  const m = /^(deploy|deployment|deployments|deployment\.apps)\/(.+)$/.exec(ref);
  if (m) {
    const dep = await client.request<{ spec?: { selector?: { matchLabels?: Record<string, string> } } }>('GET', `/apis/apps/v1/namespaces/${namespace}/deployments/${m[2]}`);
    if (dep.status !== 200) throw new CliExit(EXIT_INVALID, `error: ${statusMessage(dep.body, `deployment ${m[2]} not found`)}`);
    const selector = Object.entries(dep.body.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const pods = await client.request<{ items: PodView[] }>('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`);
    const running = (pods.body.items ?? []).filter((p) => p.status?.phase === 'Running').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    if (running.length === 0) throw new CliExit(EXIT_INVALID, `error: deployment ${m[2]} has no running Pod`);
    return running[0];
  }
  const name = ref.replace(/^(po|pod|pods)\//, '');
  const pod = await client.request<PodView>('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
  if (pod.status !== 200) throw new CliExit(EXIT_INVALID, `error: ${statusMessage(pod.body, `pods "${name}" not found`)}`);
  return pod.body;
}

export function registerExec(program: Command): void {
  program
    .command('exec')
    .description('run a command on this machine as a Pod: its HTTP(S) calls go through the mesh with the Pod\'s identity')
    .argument('<pod>', 'POD or deploy/NAME')
    .argument('<command...>', 'the command, after --')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-c, --container <name>', 'container (for the image-specific commands)')
    // kubectl's -i/-t (`kubectl exec -it POD -- curl ...`, as every tutorial writes it): the command
    // runs here with this terminal's stdin and tty already, so they are accepted and change nothing.
    .option('-i, --stdin', 'pass stdin to the command (always so here)')
    .option('-t, --tty', 'stdin is a TTY (always so here when it is one)')
    .action(async (ref: string, command: string[], opts: { namespace: string; container?: string }, cmd: Command) => {
      if (command.length === 0) throw new CliExit(EXIT_USAGE, 'error: a command is needed after --');
      const pod = await findPod(cmd, ref, opts.namespace);
      const dir = stateDir(cmd.optsWithGlobals().state as string | undefined);
      let proxy: string;
      try {
        proxy = readFileSync(join(dir, 'proxy'), 'utf8').trim();
      } catch {
        throw new CliExit(EXIT_UNREACHABLE, `error: the running weft has no outbound proxy (${join(dir, 'proxy')} is missing; see weft status)`);
      }
      const ns = pod.metadata.namespace ?? opts.namespace;
      const url = `http://${encodeURIComponent(ns)}:${encodeURIComponent(pod.metadata.name)}@${proxy}`;
      const env: Record<string, string | undefined> = {
        ...process.env,
        http_proxy: url,
        HTTP_PROXY: url,
        https_proxy: url,
        HTTPS_PROXY: url,
        no_proxy: '',
        NO_PROXY: '',
        HOSTNAME: pod.metadata.name,
        POD_NAMESPACE: ns,
      };
      const containers = pod.spec?.containers ?? [];
      const container = opts.container === undefined ? containers[0] : containers.find((c) => c.name === opts.container);
      if (opts.container !== undefined && container === undefined) throw new CliExit(EXIT_INVALID, `error: container ${opts.container} is not in pod ${pod.metadata.name}`);
      // `fortio load` or `/usr/bin/fortio load`, as the tutorials run it.
      if (command[0].split('/').pop() === 'fortio' && command[1] === 'load' && /(^|\/)fortio(:|@|$)/.test(container?.image ?? '')) {
        process.exitCode = await runLoadCommand(command.slice(2), env, { write: (s) => process.stdout.write(s), writeError: (s) => process.stderr.write(s) });
        return;
      }
      process.exitCode = await new Promise<number>((resolve) => {
        // `weft ...` inside exec is this very weft, whether or not it is on PATH.
        const [file, args] = command[0] === 'weft' ? [process.execPath, [process.argv[1], ...command.slice(1)]] : [command[0], command.slice(1)];
        const child = spawn(file, args, { env, stdio: 'inherit' });
        child.on('error', (e: NodeJS.ErrnoException) => {
          process.stderr.write(`error: ${command[0]}: ${e.code === 'ENOENT' ? 'command not found' : e.message}\n`);
          resolve(127);
        });
        child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
      });
    });
}
