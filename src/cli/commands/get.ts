/** `weft get KIND[,KIND...] [NAME...] [-n NS|-A] [-l SELECTOR] [-o FORMAT]`, as kubectl. */
import type { Command } from 'commander';
import type { KubeObject } from '../../api/object.ts';
import { resourceUrlPath } from '../../server/paths.ts';
import { statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { parseOutputFlag, printGroups } from '../output/printers.ts';
import type { KindGroup } from '../output/printers.ts';
import { clientFor, kindOrExit } from './common.ts';

/**
 * kubectl's `all` category, in kubectl's order, limited to what weft serves (replicasets,
 * statefulsets, daemonsets, jobs, cronjobs, HPAs and replicationcontrollers are not served).
 */
export const ALL_CATEGORY: readonly string[] = ['pods', 'services', 'deployments.apps'];

/** Replaces `all` in a kind list with the category's kinds (repeats are dropped once resolved). */
export function expandCategories(kindNames: readonly string[]): string[] {
  return kindNames.flatMap((n) => (n.toLowerCase() === 'all' ? ALL_CATEGORY : [n]));
}

export function registerGet(program: Command): void {
  program
    .command('get')
    .description('list objects or show one, as kubectl get')
    .argument('<kinds>', 'KIND[,KIND...] (plural, singular, short name or kind.group; `all` = pods, services, deployments), or KIND/NAME')
    .argument('[names...]', 'object names')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('-l, --selector <selector>', 'label selector, e.g. app=helloworld,version!=v2')
    .option('-o, --output <format>', 'json|yaml|wide|name|jsonpath=TEMPLATE')
    .action(
      async (
        kinds: string,
        names: string[],
        opts: { namespace: string; allNamespaces?: boolean; selector?: string; output?: string },
        cmd: Command,
      ) => {
        const fmt = parseOutputFlag(opts.output);
        let kindNames = kinds.split(',').filter(Boolean);
        let objectNames = names;
        if (kinds.includes('/')) {
          if (names.length > 0) throw new CliExit(EXIT_USAGE, 'error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form');
          const [k, n] = kinds.split('/');
          kindNames = [k];
          objectNames = [n];
        }
        const infos = [...new Set(expandCategories(kindNames).map(kindOrExit))];
        if (objectNames.length > 0 && infos.length > 1) throw new CliExit(EXIT_USAGE, 'error: names can only be given with one kind');
        const client = clientFor(cmd);
        const all = opts.allNamespaces === true;
        const groups: KindGroup[] = [];
        let failed = false;
        for (const info of infos) {
          const ns = info.namespaced && !all ? opts.namespace : undefined;
          if (objectNames.length > 0) {
            const items: KubeObject[] = [];
            for (const name of objectNames) {
              const res = await client.request<KubeObject>('GET', resourceUrlPath(info, info.versions[0], info.namespaced ? opts.namespace : undefined, name));
              if (res.status === 200) items.push(res.body);
              else {
                failed = true;
                const reason = (res.body as { reason?: string } | undefined)?.reason ?? 'Error';
                process.stderr.write(`Error from server (${reason}): ${statusMessage(res.body, `get failed (${res.status})`)}\n`);
              }
            }
            groups.push({ info, items });
            continue;
          }
          const q = opts.selector ? `?labelSelector=${encodeURIComponent(opts.selector)}` : '';
          const res = await client.request<{ items: KubeObject[] }>('GET', resourceUrlPath(info, info.versions[0], ns) + q);
          if (res.status !== 200) throw new CliExit(EXIT_INVALID, `Error from server: ${statusMessage(res.body, `list failed (${res.status})`)}`);
          groups.push({ info, items: res.body.items });
        }
        const total = groups.reduce((n, g) => n + g.items.length, 0);
        const single = objectNames.length === 1 && infos.length === 1;
        if (total === 0 && fmt.kind === 'table') {
          if (!failed) {
            const nsText = all || !infos.some((i) => i.namespaced) ? '' : ` in ${opts.namespace} namespace`;
            process.stderr.write(`No resources found${nsText}.\n`);
          }
        } else if (total > 0 || !single) {
          process.stdout.write(
            printGroups(groups, fmt, { single, allNamespaces: all, multiKind: infos.length > 1, now: new Date() }),
          );
        }
        if (failed) throw new CliExit(EXIT_INVALID, '');
      },
    );
}
