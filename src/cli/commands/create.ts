/**
 * `weft create namespace|configmap|secret generic|secret tls NAME ...`, as kubectl's generators
 * (kubectl pkg/cmd/create): the object is built here, POSTed to the API (or only printed with
 * `--dry-run=client`), and reported as `kind/name created`. The object builders are pure and
 * exported for tests; `createObject` is shared with `weft run`.
 */
import type { Command } from 'commander';
import type { KindInfo } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/object.ts';
import { resourceUrlPath } from '../../server/paths.ts';
import { statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { clientFor, collect, kindOrExit } from './common.ts';
import { buildSecretFromSources, buildConfigMap, buildTlsSecret, readFileSources } from './create-sources.ts';

export type DryRun = 'none' | 'client' | 'server';

/** kubectl's GetDryRunStrategy: `--dry-run` needs a value. */
export function parseDryRun(flag: string | boolean | undefined): DryRun {
  if (flag === undefined || flag === false) return 'none';
  if (flag === true) throw new CliExit(EXIT_USAGE, 'error: --dry-run flag without a value was specified. A value must be set: "none", "server", or "client".');
  if (flag === 'none' || flag === 'client' || flag === 'server') return flag;
  throw new CliExit(EXIT_USAGE, `error: Invalid dry-run value (${flag}). Must be "none", "server", or "client".`);
}

export interface CreateFlags {
  readonly namespace?: string;
  readonly dryRun?: string | boolean;
  readonly output?: string;
}

/** How a failed create is worded: kubectl's generators wrap the API error in their own words. */
export type ErrorWording = (reason: string, message: string) => string;

/** `Error from server (AlreadyExists): pods "x" already exists`, as cmdutil.CheckErr prints it. */
export const FROM_SERVER: ErrorWording = (reason, message) => (reason === 'Invalid' ? `The ${message}` : `Error from server (${reason}): ${message}`);

/** A generator's own wrapping: `error: failed to create configmap: configmaps "x" already exists`. */
export const wrapped =
  (prefix: string): ErrorWording =>
  (_reason, message) =>
    `error: ${prefix}${message}`;

function checkOutput(output: string | undefined): void {
  if (output !== undefined && !['json', 'yaml', 'name'].includes(output)) {
    throw new CliExit(EXIT_USAGE, `error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`);
  }
}

/** Prints an object as kubectl's printers do for `-o yaml|json` (sorted keys, unindented lists). */
export async function printObject(o: unknown, output: 'yaml' | 'json'): Promise<void> {
  if (output === 'json') {
    process.stdout.write(`${JSON.stringify(o, null, 4)}\n`);
    return;
  }
  const { stringify } = await import('yaml');
  process.stdout.write(stringify(o, { sortMapEntries: true, indentSeq: false, lineWidth: 0 }));
}

/**
 * Creates `obj` (of kind `info`) in `namespace` through the API, or only prints it with
 * `--dry-run=client`; prints `kind/name created` or the object (`-o`). Exits 1 with `wording` when
 * the API refuses it (AlreadyExists, Invalid...).
 */
export async function createObject(cmd: Command, info: KindInfo, obj: KubeObject, flags: CreateFlags, wording: ErrorWording): Promise<void> {
  const dryRun = parseDryRun(flags.dryRun);
  checkOutput(flags.output);
  let result: unknown = obj;
  if (dryRun === 'client') {
    // kubectl's generated objects carry `creationTimestamp: null` (and the namespace only when -n was given).
    result = { ...obj, metadata: { ...obj.metadata, creationTimestamp: null } };
  } else {
    const ns = info.namespaced ? (flags.namespace ?? 'default') : undefined;
    const path = resourceUrlPath(info, info.versions[0], ns) + (dryRun === 'server' ? '?dryRun=All' : '');
    const res = await clientFor(cmd).request<KubeObject>('POST', path, obj);
    if (res.status !== 201 && res.status !== 200) {
      const reason = (res.body as { reason?: string } | undefined)?.reason ?? 'InternalError';
      // The API server's words, with the name (a POST's URL has none for the server to quote).
      const message = reason === 'AlreadyExists' ? `${info.plural}${info.group ? `.${info.group}` : ''} "${obj.metadata.name}" already exists` : statusMessage(res.body, `create failed (${res.status})`);
      throw new CliExit(EXIT_INVALID, wording(reason, message));
    }
    result = res.body;
  }
  const ref = `${info.group ? `${info.singular}.${info.group}` : info.singular}/${obj.metadata.name}`;
  if (flags.output === 'name') process.stdout.write(`${ref}\n`);
  else if (flags.output === 'json' || flags.output === 'yaml') await printObject(result, flags.output);
  else process.stdout.write(`${ref} created${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
}

/** kubectl's NameFromCommandArgs. */
export function nameArg(args: readonly string[], commandPath: string): string {
  if (args.length === 0) throw new CliExit(EXIT_USAGE, `error: NAME is required\nSee '${commandPath} -h' for help and examples`);
  if (args.length > 1) throw new CliExit(EXIT_USAGE, `error: exactly one NAME is required, got ${args.length}\nSee '${commandPath} -h' for help and examples`);
  return args[0];
}

/** The metadata of a generated object: the namespace only when -n was given, as kubectl. */
export function generatedMeta(name: string, namespace: string | undefined): KubeObject['metadata'] {
  return namespace === undefined ? { name } : { name, namespace };
}

function withCreateFlags(c: Command, namespaced: boolean): Command {
  if (namespaced) c.option('-n, --namespace <ns>', 'namespace (default: default)');
  return c
    .option('--dry-run [strategy]', 'none, server (validate, write nothing) or client (only print the object)')
    .option('-o, --output <format>', 'json|yaml|name: print the object instead of "created"')
    .exitOverride();
}

interface SourceFlags extends CreateFlags {
  readonly fromLiteral?: string[];
  readonly fromFile?: string[];
  readonly fromEnvFile?: string[];
  readonly type?: string;
}

function sourceOptions(c: Command, what: string): Command {
  return c
    .option('--from-literal <key=value>', `a key and literal value to insert in the ${what}; repeatable`, collect)
    .option('--from-file <[key=]path>', 'a file (key = its name, or the key given) or a directory (each regular file); repeatable', collect)
    .option('--from-env-file <path>', 'a file of KEY=VALUE lines; repeatable', collect);
}

function checkSources(flags: SourceFlags): void {
  if ((flags.fromEnvFile?.length ?? 0) > 0 && ((flags.fromFile?.length ?? 0) > 0 || (flags.fromLiteral?.length ?? 0) > 0)) {
    throw new CliExit(EXIT_INVALID, 'error: from-env-file cannot be combined with from-file or from-literal');
  }
}

export function registerCreate(program: Command): void {
  const create = program
    .command('create')
    .description('create a namespace, configmap or secret from the command line, as kubectl create')
    .exitOverride()
    .action(() => {
      throw new CliExit(EXIT_USAGE, "error: must specify what to create: namespace, configmap, secret generic or secret tls (objects from files: weft apply -f)\nSee 'weft create -h' for help and examples");
    });

  withCreateFlags(create.command('namespace').alias('ns').description('create a namespace').argument('[name...]', 'NAME'), false).action(
    async (args: string[], flags: CreateFlags, cmd: Command) => {
      const name = nameArg(args, 'weft create namespace');
      const obj: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: {}, status: {} };
      await createObject(cmd, kindOrExit('namespaces'), obj, flags, FROM_SERVER);
    },
  );

  withCreateFlags(sourceOptions(create.command('configmap').alias('cm').description('create a configmap from literals, files, directories or env files').argument('[name...]', 'NAME'), 'configmap'), true).action(
    async (args: string[], flags: SourceFlags, cmd: Command) => {
      const name = nameArg(args, 'weft create configmap');
      checkSources(flags);
      const files = await readFileSources(flags.fromFile ?? []);
      const obj = buildConfigMap(name, flags.namespace, { literals: flags.fromLiteral ?? [], files, envFiles: await readEnvFiles(flags.fromEnvFile ?? [], 'config') });
      await createObject(cmd, kindOrExit('configmaps'), obj, flags, wrapped('failed to create configmap: '));
    },
  );

  const secret = create
    .command('secret')
    .description('create a secret: generic (from literals and files) or tls (a certificate and its key)')
    .exitOverride()
    .action(() => {
      throw new CliExit(EXIT_USAGE, "error: must specify the type of secret: generic or tls\nSee 'weft create secret -h' for help and examples");
    });
  withCreateFlags(
    sourceOptions(secret.command('generic').description('create a secret from literals, files, directories or env files').argument('[name...]', 'NAME'), 'secret').option('--type <type>', 'the type of secret to create'),
    true,
  ).action(async (args: string[], flags: SourceFlags, cmd: Command) => {
    const name = nameArg(args, 'weft create secret generic');
    checkSources(flags);
    const files = await readFileSources(flags.fromFile ?? []);
    const obj = buildSecretFromSources(name, flags.namespace, flags.type, { literals: flags.fromLiteral ?? [], files, envFiles: await readEnvFiles(flags.fromEnvFile ?? [], 'secret') });
    await createObject(cmd, kindOrExit('secrets'), obj, flags, wrapped('failed to create secret '));
  });
  withCreateFlags(
    secret.command('tls').description('create a TLS secret (kubernetes.io/tls) from a PEM certificate and its key').argument('[name...]', 'NAME').option('--cert <file>', 'PEM certificate (chain)').option('--key <file>', 'PEM private key'),
    true,
  ).action(async (args: string[], flags: CreateFlags & { cert?: string; key?: string }, cmd: Command) => {
    const name = nameArg(args, 'weft create secret tls');
    if (!flags.cert || !flags.key) throw new CliExit(EXIT_INVALID, 'error: key and cert must be specified');
    const obj = buildTlsSecret(name, flags.namespace, await readForSecret(flags.cert), await readForSecret(flags.key));
    await createObject(cmd, kindOrExit('secrets'), obj, flags, wrapped('failed to create secret: '));
  });
}

async function readForSecret(file: string): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliExit(EXIT_INVALID, `error: Cannot read file ${file}, open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
}

async function readEnvFiles(paths: readonly string[], what: 'config' | 'secret'): Promise<{ path: string; text: string }[]> {
  const { readFile, stat } = await import('node:fs/promises');
  const out: { path: string; text: string }[] = [];
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) throw new CliExit(EXIT_INVALID, `error: env ${what} file cannot be a directory`);
      out.push({ path, text: await readFile(path, 'utf8') });
    } catch (e) {
      if (e instanceof CliExit) throw e;
      throw new CliExit(EXIT_INVALID, `error: error reading ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
  }
  return out;
}
