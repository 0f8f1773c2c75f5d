/**
 * `weft describe KIND [NAME_PREFIX...] [-n NS | -A] [-l SELECTOR]` (also `KIND/NAME`), as kubectl
 * describe (k8s.io/kubectl pkg/cmd/describe): every object of the kind when no name is given,
 * descriptions joined by two newlines, `kubectl describe TYPE NAME_PREFIX` falling back to every
 * object whose name starts with NAME_PREFIX, and kubectl's errors and exit code for missing ones.
 */
import type { Command } from 'commander';
import { kindInfo } from '../../api/kinds.ts';
import type { KindInfo } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/object.ts';
import { resourceUrlPath } from '../../server/paths.ts';
import type { ApiClient } from '../client.ts';
import { statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { describeObject, describerKindOf, joinDescriptions, SERVICE_NAME_LABEL } from '../output/describe.ts';
import type { DescribeInput } from '../output/describe.ts';
import { localDescribeContext } from '../output/describe-writer.ts';
import { clientFor, targetArgs } from './common.ts';

interface DescribeOpts {
  namespace: string;
  allNamespaces?: boolean;
  selector?: string;
}

const EXAMPLES = `
Examples:
  # Describe a pod (a Pending one shows why weft cannot run it)
  weft describe pods/helloworld-v1-5d8f8c9b7-x2x4q

  # Describe every pod whose name starts with "helloworld"
  weft describe pods helloworld

  # Describe pods by label
  weft describe po -l app=helloworld

  # A Service with its endpoints, a Deployment, a CiliumEnvoyConfig's status conditions
  weft describe svc helloworld
  weft describe deploy helloworld-v1
  weft describe cec envoy-lb-listener`;

/** A failed GET/LIST as kubectl prints it: `Error from server (NotFound): pods "x" not found`. */
function serverError(body: unknown, status: number): string {
  const reason = (body as { reason?: string } | undefined)?.reason ?? 'Error';
  return `Error from server (${reason}): ${statusMessage(body, `request failed (${status})`)}`;
}

async function listObjects(client: ApiClient, info: KindInfo, namespace: string | undefined, selector?: string): Promise<KubeObject[]> {
  const q = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
  const res = await client.request<{ items: KubeObject[] }>('GET', resourceUrlPath(info, info.versions[0], namespace) + q);
  if (res.status !== 200) throw new CliExit(EXIT_INVALID, serverError(res.body, res.status));
  return res.body.items;
}

/** Gathers what the kind's describer shows besides the object (kubectl ignores failures here). */
async function inputFor(client: ApiClient, info: KindInfo, object: KubeObject): Promise<DescribeInput> {
  const kind = describerKindOf(info);
  if (kind !== 'service') return { kind, object };
  const slices = kindInfo('discovery.k8s.io', 'EndpointSlice');
  let endpointSlices: KubeObject[] = [];
  try {
    if (slices) endpointSlices = await listObjects(client, slices, object.metadata.namespace ?? 'default', `${SERVICE_NAME_LABEL}=${object.metadata.name}`);
  } catch (e) {
    if (!(e instanceof CliExit)) throw e;
  }
  return { kind, object, endpointSlices };
}

async function describeAll(client: ApiClient, info: KindInfo, objects: readonly KubeObject[]): Promise<string[]> {
  const ctx = localDescribeContext();
  const out: string[] = [];
  for (const o of objects) out.push(describeObject(await inputFor(client, info, o), ctx));
  return out;
}

async function run(client: ApiClient, args: string[], opts: DescribeOpts): Promise<void> {
  const { info, names } = targetArgs(args);
  const all = opts.allNamespaces === true;
  if (names.length > 0 && opts.selector) throw new CliExit(EXIT_USAGE, 'error: name cannot be provided when a selector is specified');
  if (names.length > 0 && all) throw new CliExit(EXIT_USAGE, 'error: a resource cannot be retrieved by name across all namespaces');
  const ns = info.namespaced ? opts.namespace : undefined;

  if (names.length === 0) {
    const items = await listObjects(client, info, info.namespaced && !all ? opts.namespace : undefined, opts.selector);
    if (items.length === 0) {
      process.stderr.write(all ? 'No resources found\n' : `No resources found in ${opts.namespace} namespace.\n`);
      return;
    }
    process.stdout.write(joinDescriptions(await describeAll(client, info, items)));
    return;
  }

  const found: KubeObject[] = [];
  const errors: string[] = [];
  for (const name of names) {
    const res = await client.request<KubeObject>('GET', resourceUrlPath(info, info.versions[0], ns, name));
    if (res.status === 200) found.push(res.body);
    else if (res.status === 404 && args.length === 2) {
      // `describe TYPE NAME_PREFIX`: every object whose name starts with the prefix, each followed by a newline.
      const matches = (await listObjects(client, info, ns)).filter((o) => o.metadata.name.startsWith(name));
      if (matches.length === 0) throw new CliExit(EXIT_INVALID, serverError(res.body, res.status));
      for (const text of await describeAll(client, info, matches)) process.stdout.write(`${text}\n`);
      return;
    } else errors.push(serverError(res.body, res.status));
  }
  if (found.length > 0) process.stdout.write(joinDescriptions(await describeAll(client, info, found)));
  if (errors.length > 0) throw new CliExit(EXIT_INVALID, errors.join('\n'));
}

export function registerDescribe(program: Command): void {
  program
    .command('describe')
    .description('show details of an object or group of objects, as kubectl describe')
    .argument('<kind>', 'KIND (plural, singular, short name or kind.group), or KIND/NAME')
    .argument('[names...]', 'object names, or one name prefix')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'describe across all namespaces')
    .option('-l, --selector <selector>', 'label selector, e.g. app=helloworld,version!=v2')
    .addHelpText('after', EXAMPLES)
    .action(async (kind: string, names: string[], opts: DescribeOpts, cmd: Command) => {
      if (kind.includes('/') && names.length > 0) {
        throw new CliExit(EXIT_USAGE, 'error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form');
      }
      await run(clientFor(cmd), [kind, ...names], opts);
    });
}
