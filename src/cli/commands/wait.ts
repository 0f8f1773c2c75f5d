/**
 * `weft wait --for=condition=NAME[=STATUS] KIND/NAME [-n NS] [--timeout 30s]`, as kubectl wait; also
 * `--for=delete` and `--for=jsonpath='{.status.phase}'=Running`. Exit 0 when met, 1 on timeout.
 */
import type { Command } from 'commander';
import type { Condition, KubeObject } from '../../api/object.ts';
import { resourceUrlPath } from '../../server/paths.ts';
import { statusMessage } from '../client.ts';
import type { ApiClient } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { compileJsonPath } from '../output/jsonpath.ts';
import { clientFor, kindRef, parseTimeout, targetArgs } from './common.ts';

type WaitFor =
  | { kind: 'condition'; type: string; status: string }
  | { kind: 'delete' }
  | { kind: 'jsonpath'; render: (o: unknown) => string; value: string | undefined };

export function parseWaitFor(s: string): WaitFor {
  if (s === 'delete') return { kind: 'delete' };
  let m = /^condition=([^=]+)(?:=(.*))?$/.exec(s);
  if (m) return { kind: 'condition', type: m[1], status: m[2] ?? 'True' };
  m = /^jsonpath=(\{.*\}|[^=]+)(?:=(.*))?$/.exec(s);
  if (m) return { kind: 'jsonpath', render: compileJsonPath(m[1]), value: m[2] };
  throw new CliExit(EXIT_USAGE, `error: unrecognized condition: "${s}" (use condition=NAME[=STATUS], delete, or jsonpath=TEMPLATE=VALUE)`);
}

function met(w: WaitFor, o: KubeObject | undefined): boolean {
  switch (w.kind) {
    case 'delete':
      return o === undefined;
    case 'condition': {
      const cs = ((o?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
      const c = cs.find((x) => x.type.toLowerCase() === w.type.toLowerCase());
      return c !== undefined && c.status.toLowerCase() === w.status.toLowerCase();
    }
    case 'jsonpath': {
      if (!o) return false;
      let got: string;
      try {
        got = w.render(o);
      } catch {
        return false;
      }
      return w.value === undefined ? got !== '' : got === w.value;
    }
  }
}

async function fetchObject(client: ApiClient, path: string): Promise<KubeObject | undefined> {
  const res = await client.request<KubeObject>('GET', path);
  if (res.status === 200) return res.body;
  if (res.status === 404) return undefined;
  throw new CliExit(EXIT_INVALID, `error: ${statusMessage(res.body, `get failed (${res.status})`)}`);
}

export function registerWait(program: Command): void {
  program
    .command('wait')
    .description('wait for a condition on one or more objects, as kubectl wait')
    .argument('<target...>', 'KIND/NAME or KIND NAME...')
    .requiredOption('--for <condition>', 'condition=NAME[=STATUS], delete, or jsonpath=TEMPLATE=VALUE')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('--timeout <duration>', 'give up after this long (e.g. 30s, 2m)', '30s')
    .action(async (args: string[], opts: { for: string; namespace: string; timeout: string }, cmd: Command) => {
      const w = parseWaitFor(opts.for);
      const timeoutMs = parseTimeout(opts.timeout);
      const { info, names } = targetArgs(args);
      if (names.length === 0) throw new CliExit(EXIT_USAGE, 'error: resource name(s) required');
      const client = clientFor(cmd);
      const deadline = Date.now() + timeoutMs;
      for (const name of names) {
        const path = resourceUrlPath(info, info.versions[0], info.namespaced ? opts.namespace : undefined, name);
        for (;;) {
          const o = await fetchObject(client, path);
          if (w.kind !== 'delete' && o === undefined && Date.now() >= deadline) {
            throw new CliExit(EXIT_INVALID, `Error from server (NotFound): ${info.plural} "${name}" not found`);
          }
          if (met(w, o)) {
            process.stdout.write(`${kindRef(info)}/${name} ${w.kind === 'delete' ? 'deleted' : 'condition met'}\n`);
            break;
          }
          if (Date.now() >= deadline) {
            throw new CliExit(EXIT_INVALID, `error: timed out waiting for the condition on ${info.plural}/${name}`);
          }
          await new Promise((r) => setTimeout(r, Math.min(200, Math.max(0, deadline - Date.now()))));
        }
      }
    });
}
