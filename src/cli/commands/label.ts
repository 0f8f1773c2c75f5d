/**
 * `weft label KIND NAME... | KIND/NAME... | KIND -l SELECTOR | KIND --all  k=v... k-... [--overwrite]`,
 * as kubectl label (kubectl pkg/cmd/label): `k=v` sets, `k-` removes, an existing key is only
 * changed with --overwrite; each object is changed with a JSON merge patch on metadata.labels and
 * reported as `kind/name labeled|unlabeled|not labeled`.
 */
import type { Command } from 'commander';
import type { KindInfo } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/object.ts';
import { resourceUrlPath } from '../../server/paths.ts';
import type { ApiClient } from '../client.ts';
import { statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { clientFor, kindOrExit } from './common.ts';
import { parseDryRun, printObject } from './create.ts';

export interface LabelChanges {
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
}

const NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName's complaints about a label key (none = valid). */
export function labelKeyErrors(key: string): string[] {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const errs: string[] = [];
  if (prefix !== undefined && (prefix === '' || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    errs.push('prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character');
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  else if (!new RegExp(`^${NAME}$`).test(name)) {
    errs.push(`name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${NAME}')`);
  }
  return errs;
}

/** validation.IsValidLabelValue's complaints (none = valid). */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (value !== '' && !new RegExp(`^${NAME}$`).test(value)) {
    errs.push(`a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(${NAME})?')`);
  }
  return errs;
}

function invalid(message: string): never {
  throw new CliExit(EXIT_INVALID, `error: ${message}`);
}

/** kubectl label's parseLabels: `k=v` to set, `k-` to remove. */
export function parseLabelSpecs(specs: readonly string[]): LabelChanges {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const spec of specs) {
    if (spec.includes('=')) {
      const parts = spec.split('=');
      if (parts.length !== 2) invalid(`invalid label spec: ${spec}`);
      const keyErrs = labelKeyErrors(parts[0]);
      if (keyErrs.length > 0) invalid(`invalid label spec: ${spec}, ${keyErrs.join(';')}`);
      const valueErrs = labelValueErrors(parts[1]);
      if (valueErrs.length > 0) invalid(`invalid label value: "${spec}": ${valueErrs.join(';')}`);
      set[parts[0]] = parts[1];
    } else if (spec.endsWith('-')) {
      remove.push(spec.slice(0, -1));
    } else {
      invalid(`unknown label spec: ${spec}`);
    }
  }
  if (remove.some((k) => k in set)) invalid('can not both modify and remove label in the same command');
  return { set, remove };
}

/** kubectl's GetResourcesAndPairs: resources first, then label changes (args with `=` or a trailing `-`). */
export function splitResourcesAndPairs(args: readonly string[]): { resources: string[]; pairs: string[] } {
  const isPair = (a: string) => a.includes('=') || (a.endsWith('-') && a.length > 1);
  const first = args.findIndex(isPair);
  const resources = first < 0 ? [...args] : args.slice(0, first);
  const pairs = first < 0 ? [] : args.slice(first);
  if (pairs.some((p) => !isPair(p))) {
    throw new CliExit(EXIT_USAGE, `error: all resources must be specified before label changes: ${args.join(' ')}`);
  }
  return { resources, pairs };
}

export interface LabelOutcome {
  /** The merge patch to send (undefined: nothing to change). */
  readonly patch?: { metadata: { labels: Record<string, string | null> } };
  readonly labels: Record<string, string>;
  readonly message: 'labeled' | 'unlabeled' | 'not labeled';
  /** kubectl's `label "k" not found.` lines. */
  readonly notFound: readonly string[];
}

/** What labelling one object does (kubectl's labelFunc, validateNoOverwrites and updateDataChangeMsg). */
export function planLabels(current: Readonly<Record<string, string>> | undefined, changes: LabelChanges, overwrite: boolean): LabelOutcome {
  const labels: Record<string, string> = { ...current };
  if (!overwrite) {
    for (const key of Object.keys(changes.set)) {
      if (key in labels) invalid(`'${key}' already has a value (${labels[key]}), and --overwrite is false`);
    }
  }
  const patch: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(changes.set)) {
    if (labels[k] !== v) patch[k] = v;
    labels[k] = v;
  }
  const notFound: string[] = [];
  for (const k of changes.remove) {
    if (!(k in labels)) notFound.push(k);
    else patch[k] = null;
    delete labels[k];
  }
  const keys = Object.keys(patch);
  if (keys.length === 0) return { labels, message: 'not labeled', notFound };
  const onlyRemoved = keys.every((k) => patch[k] === null);
  return { patch: { metadata: { labels: patch } }, labels, message: !overwrite && onlyRemoved ? 'unlabeled' : 'labeled', notFound };
}

interface LabelFlags {
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  all?: boolean;
  overwrite?: boolean;
  dryRun?: string | boolean;
  output?: string;
  resourceVersion?: string;
}

async function targets(client: ApiClient, resources: readonly string[], flags: LabelFlags): Promise<{ info: KindInfo; name: string; namespace?: string }[]> {
  if (resources.length === 0) throw new CliExit(EXIT_USAGE, "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'weft label -h' for help and examples");
  const ns = flags.namespace ?? 'default';
  if (resources.every((r) => r.includes('/'))) {
    return resources.map((r) => {
      const [kind, name] = r.split('/', 2);
      const info = kindOrExit(kind);
      return { info, name, namespace: info.namespaced ? ns : undefined };
    });
  }
  const [kind, ...names] = resources;
  if (names.some((n) => n.includes('/'))) throw new CliExit(EXIT_USAGE, 'error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form');
  const info = kindOrExit(kind);
  if (names.length > 0) {
    if (flags.selector || flags.all) throw new CliExit(EXIT_USAGE, 'error: name cannot be provided when a selector is specified');
    return names.map((name) => ({ info, name, namespace: info.namespaced ? ns : undefined }));
  }
  if (!flags.selector && !flags.all) throw new CliExit(EXIT_USAGE, `error: resource(s) were provided, but no name was specified`);
  const listNs = info.namespaced && !flags.allNamespaces ? ns : undefined;
  const q = flags.selector ? `?labelSelector=${encodeURIComponent(flags.selector)}` : '';
  const res = await client.request<{ items: KubeObject[] }>('GET', resourceUrlPath(info, info.versions[0], listNs) + q);
  if (res.status !== 200) throw new CliExit(EXIT_INVALID, `Error from server: ${statusMessage(res.body, `list failed (${res.status})`)}`);
  return res.body.items.map((o) => ({ info, name: o.metadata.name, namespace: o.metadata.namespace }));
}

export function registerLabel(program: Command): void {
  program
    .command('label')
    .description('update the labels on objects, as kubectl label (k=v sets, k- removes; --overwrite to change a value)')
    .usage('[--overwrite] (KIND NAME... | KIND/NAME... | KIND -l SELECTOR | KIND --all) KEY_1=VAL_1 ... KEY_N=VAL_N [KEY-]')
    .argument('<args...>', 'the objects, then the label changes')
    .option('-n, --namespace <ns>', 'namespace (default: default)')
    .option('-A, --all-namespaces', 'with -l or --all: across all namespaces')
    .option('-l, --selector <selector>', 'label the objects of KIND that match this label selector')
    .option('--all', 'label every object of KIND in the namespace')
    .option('--overwrite', 'allow changing a label that already has a value')
    .option('--resource-version <rv>', 'only label an object whose resourceVersion is this one')
    .option('--dry-run [strategy]', 'none, server (validate, write nothing) or client (only print)')
    .option('-o, --output <format>', 'json|yaml|name: print the objects instead of "labeled"')
    .action(async (args: string[], flags: LabelFlags, cmd: Command) => {
      const dryRun = parseDryRun(flags.dryRun);
      if (flags.output !== undefined && !['json', 'yaml', 'name'].includes(flags.output)) {
        throw new CliExit(EXIT_USAGE, `error: unable to match a printer suitable for the output format "${flags.output}", allowed formats are: json,name,yaml`);
      }
      const { resources, pairs } = splitResourcesAndPairs(args);
      if (pairs.length === 0) throw new CliExit(EXIT_USAGE, "error: at least one label update is required\nSee 'weft label -h' for help and examples");
      const changes = parseLabelSpecs(pairs);
      const client = clientFor(cmd);
      const list = await targets(client, resources, flags);
      if (flags.resourceVersion !== undefined && list.length !== 1) throw new CliExit(EXIT_USAGE, 'error: --resource-version may only be used with a single resource');
      let failed = false;
      for (const t of list) {
        try {
          await labelOne(client, t, changes, flags, dryRun);
        } catch (e) {
          if (!(e instanceof CliExit) || list.length === 1) throw e;
          process.stderr.write(`${e.message}\n`);
          failed = true;
        }
      }
      if (failed) throw new CliExit(EXIT_INVALID, '');
    });
}

async function labelOne(client: ApiClient, t: { info: KindInfo; name: string; namespace?: string }, changes: LabelChanges, flags: LabelFlags, dryRun: 'none' | 'client' | 'server'): Promise<void> {
  const path = resourceUrlPath(t.info, t.info.versions[0], t.namespace, t.name);
  const got = await client.request<KubeObject>('GET', path);
  const fail = (body: unknown, status: number) => {
    const reason = (body as { reason?: string } | undefined)?.reason ?? 'InternalError';
    return new CliExit(EXIT_INVALID, `Error from server (${reason}): ${statusMessage(body, `request failed (${status})`)}`);
  };
  if (got.status !== 200) throw fail(got.body, got.status);
  const plan = planLabels(got.body.metadata.labels, changes, flags.overwrite === true);
  for (const k of plan.notFound) process.stdout.write(`label "${k}" not found.\n`);
  let result: KubeObject = { ...got.body, metadata: { ...got.body.metadata, labels: plan.labels } };
  const patch = plan.patch === undefined ? undefined : { ...plan.patch, metadata: { ...plan.patch.metadata, ...(flags.resourceVersion !== undefined ? { resourceVersion: flags.resourceVersion } : {}) } };
  if (flags.resourceVersion !== undefined && flags.resourceVersion !== got.body.metadata.resourceVersion) {
    throw new CliExit(EXIT_INVALID, `Error from server (Conflict): Operation cannot be fulfilled on ${t.info.plural} "${t.name}": the object has been modified; please apply your changes to the latest version and try again`);
  }
  if (patch !== undefined && dryRun !== 'client') {
    const res = await mergePatch(client, path + (dryRun === 'server' ? '?dryRun=All' : ''), patch);
    if (res.status !== 200) throw fail(res.body, res.status);
    result = res.body;
  }
  const ref = `${t.info.group ? `${t.info.singular}.${t.info.group}` : t.info.singular}/${t.name}`;
  if (flags.output === 'name') process.stdout.write(`${ref}\n`);
  else if (flags.output === 'json' || flags.output === 'yaml') await printObject(result, flags.output);
  else process.stdout.write(`${ref} ${plan.message}${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
}

/** PATCH with `application/merge-patch+json`, as kubectl label sends it. */
function mergePatch(client: ApiClient, path: string, patch: unknown): Promise<{ status: number; body: KubeObject }> {
  return client.request<KubeObject>('PATCH', path, patch, 'application/merge-patch+json');
}
