/**
 * `weft run NAME --image=IMAGE [--labels=k=v,...] [--env=K=V]... [--port=N] [--restart=POLICY]
 * [--command] -- [CMD] [ARGS...]`: creates a bare Pod as kubectl run does (kubectl pkg/cmd/run):
 * label `run=NAME` unless --labels is given, one container named NAME, the words after `--` in
 * `command` (with --command) or `args`. weft then runs it like any Pod: a known image as its
 * built-in app, a client-only image (curl, netshoot) as an identity for `weft exec`.
 */
import type { Command } from 'commander';
import type { KubeObject } from '../../api/object.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { collect, kindOrExit } from './common.ts';
import { createObject, FROM_SERVER, parseDryRun } from './create.ts';

export interface RunOptions {
  readonly name: string;
  readonly image: string;
  readonly namespace?: string;
  readonly labels?: string;
  readonly env?: readonly string[];
  readonly annotations?: readonly string[];
  readonly port?: string;
  readonly restart?: string;
  readonly imagePullPolicy?: string;
  readonly command?: boolean;
  readonly privileged?: boolean;
  /** The words after `--`. */
  readonly args: readonly string[];
}

// docker/distribution's reference grammar (what kubectl checks --image against), without the
// anchored-digest-only form.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?';
const IMAGE_RE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

function invalid(message: string): never {
  throw new CliExit(EXIT_INVALID, `error: ${message}`);
}

/** kubectl run's parseLabels: `k=v,k2=v2`. */
export function parseRunLabels(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text === '') return undefined;
  const labels: Record<string, string> = {};
  for (const spec of text.split(',')) {
    const parts = spec.split('=');
    if (parts.length !== 2) invalid(`unexpected label spec: ${spec}`);
    if (parts[0] === '') invalid('unexpected empty label key');
    labels[parts[0]] = parts[1];
  }
  return labels;
}

/** kubectl run's parseEnvs: `NAME=VALUE`, NAME a valid environment variable name. */
export function parseRunEnvs(envs: readonly string[]): { name: string; value: string }[] {
  return envs.map((env) => {
    const eq = env.indexOf('=');
    const name = eq < 0 ? '' : env.slice(0, eq);
    if (eq < 0 || !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) invalid(`invalid env: ${env}`);
    return { name, value: env.slice(eq + 1) };
  });
}

function parsePairs(pairs: readonly string[], what: string): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) invalid(`invalid ${what} format: ${p}`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** Checks the options as kubectl run's Validate/Complete do and builds the Pod it would create. */
export function buildRunPod(o: RunOptions): KubeObject {
  if (o.image === '') invalid('--image is required');
  if (!IMAGE_RE.test(o.image)) invalid(`invalid image name "${o.image}": invalid reference format`);
  if (o.port !== undefined && o.port !== '' && !/^[+-]?\d+$/.test(o.port)) invalid('--port must be a number');
  const restart = o.restart ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) invalid(`invalid restart policy: ${restart}, valid values are: Always, OnFailure, Never`);
  const pull = o.imagePullPolicy ?? '';
  if (!['', 'Always', 'IfNotPresent', 'Never'].includes(pull)) invalid(`invalid image pull policy: ${pull}`);
  const labels = parseRunLabels(o.labels) ?? { run: o.name };
  const env = parseRunEnvs(o.env ?? []);
  const annotations = parsePairs(o.annotations ?? [], 'annotations');
  const container: Record<string, unknown> = { name: o.name, image: o.image };
  if (o.args.length > 0) container[o.command ? 'command' : 'args'] = [...o.args];
  if (env.length > 0) container.env = env;
  if (pull !== '') container.imagePullPolicy = pull;
  if (o.port !== undefined && o.port !== '') container.ports = [{ containerPort: Number(o.port) }];
  container.resources = {};
  if (o.privileged) container.securityContext = { privileged: true };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, ...(o.namespace !== undefined ? { namespace: o.namespace } : {}), labels, ...(annotations ? { annotations } : {}) },
    spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
    status: {},
  };
}

interface RunFlags {
  namespace?: string;
  image?: string;
  labels?: string;
  env?: string[];
  annotations?: string[];
  port?: string;
  restart: string;
  imagePullPolicy?: string;
  command?: boolean;
  privileged?: boolean;
  dryRun?: string | boolean;
  output?: string;
  stdin?: boolean;
  tty?: boolean;
  rm?: boolean;
  attach?: boolean;
}

/** kubectl's ArgsLenAtDash rule: NAME must come before `--`. */
function nameBeforeDash(cmd: Command, name: string): boolean {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  const raw = (root as Command & { rawArgs?: string[] }).rawArgs ?? [];
  const dash = raw.indexOf('--');
  return dash < 0 || raw.slice(0, dash).includes(name);
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('create and run a particular image in a pod, as kubectl run (weft exec then runs commands as that Pod)')
    .usage('NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--command] -- [COMMAND] [args...]')
    .argument('[name]', 'the Pod (and container) name')
    .argument('[args...]', 'after --: the container args, or the command with --command')
    .option('-n, --namespace <ns>', 'namespace (default: default)')
    .option('--image <image>', 'the image for the container to run')
    .option('-l, --labels <k=v,...>', 'comma separated labels to apply to the pod (default: run=NAME)')
    .option('--env <K=V>', 'an environment variable to set in the container; repeatable', collect)
    .option('--annotations <k=v>', 'an annotation to apply to the pod; repeatable', collect)
    .option('--port <port>', 'the port that this container exposes')
    .option('--restart <policy>', 'the restart policy for this Pod: Always, OnFailure or Never', 'Always')
    .option('--image-pull-policy <policy>', 'Always, IfNotPresent or Never')
    .option('--command', "use the words after -- as the container's command, not its args")
    .option('--privileged', 'run the container in privileged mode')
    .option('--dry-run [strategy]', 'none, server (validate, write nothing) or client (only print the Pod)')
    .option('-o, --output <format>', 'json|yaml|name: print the Pod instead of "created"')
    .option('-i, --stdin', 'not supported: weft run does not attach (use weft exec)')
    .option('-t, --tty', 'not supported: weft run does not attach (use weft exec)')
    .option('--attach', 'not supported: weft run does not attach (use weft exec)')
    .option('--rm', 'not supported: weft run does not attach (use weft exec)')
    .action(async (name: string | undefined, args: string[], flags: RunFlags, cmd: Command) => {
      if (name === undefined || !nameBeforeDash(cmd, name)) {
        throw new CliExit(EXIT_USAGE, "error: NAME is required for run\nSee 'weft run -h' for help and examples");
      }
      if (flags.image === undefined) throw new CliExit(EXIT_USAGE, 'error: required flag(s) "image" not set');
      if (flags.tty && !flags.stdin) throw new CliExit(EXIT_USAGE, 'error: -i/--stdin is required for containers with -t/--tty=true');
      if (flags.stdin || flags.tty || flags.attach || flags.rm) {
        throw new CliExit(EXIT_USAGE, `error: weft run does not attach to the Pod; create it, then run commands as it with 'weft exec ${name} -- CMD'`);
      }
      parseDryRun(flags.dryRun);
      const pod = buildRunPod({
        name,
        image: flags.image,
        namespace: flags.namespace,
        labels: flags.labels,
        env: flags.env,
        annotations: flags.annotations,
        port: flags.port,
        restart: flags.restart,
        imagePullPolicy: flags.imagePullPolicy,
        command: flags.command,
        privileged: flags.privileged,
        args,
      });
      await createObject(cmd, kindOrExit('pods'), pod, { namespace: flags.namespace, dryRun: flags.dryRun, output: flags.output }, FROM_SERVER);
    });
}
