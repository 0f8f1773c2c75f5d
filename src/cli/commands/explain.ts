/**
 * `weft explain cec NAME [-n NS] [-o json|yaml]`: what a CiliumEnvoyConfig (or `ccec`) turned into —
 * conditions, qualified names, intercepted Service ports, the addresses its listeners bind and the
 * endpoints its clusters have now — from the running instance. With `-f PATH` it works offline on
 * manifest files instead (no live endpoints), as `weft validate` does.
 *
 * `weft explain request [-X METHOD] URL [-H 'Name: value']... [--from POD|deploy/NAME] [-n NS]
 * [-o json|yaml]`: what a request will do, step by step, from the snapshot the data plane serves
 * now (the running instance traces it: EXPLAIN_REQUEST_PATH). `-n` and `-o` are the `explain`
 * command's own options, so they work before or after the URL.
 */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { EnvoyConfigExplanation } from '../../controlplane/index.ts';
import type { RequestTrace } from '../../dataplane/explain/index.ts';
import { formatDiagnostic, hasErrors } from '../../lib/diagnostic.ts';
import { EXPLAIN_PATH, EXPLAIN_REQUEST_PATH } from '../../server/endpoints.ts';
import { statusMessage } from '../client.ts';
import { CliExit, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.ts';
import { clientFor, collect, kindOrExit, printDiagnostics, targetArgs } from './common.ts';

const KNOWN = new Set(['CiliumEnvoyConfig', 'CiliumClusterwideEnvoyConfig']);

const REQUEST_EXAMPLES = `
Examples:
  weft explain request http://helloworld:5000/hello --from deploy/client
  weft explain request -H 'version: foo' http://echo-service-1:8080/foo
  weft explain request -X POST http://10.96.0.10:80/api -o json

Exit code 1 when no Service, ClusterIP or Pod answers to the host, or nothing listens on its address.`;

export function registerExplain(program: Command): void {
  const explain = program
    .command('explain')
    .description('show what a CiliumEnvoyConfig / CiliumClusterwideEnvoyConfig turned into (explain cec NAME), or what a request will do (explain request URL)')
    .argument('<kind>', 'cec or ccec (or KIND/NAME)')
    .argument('[name]', 'the object')
    .option('-n, --namespace <ns>', 'namespace of a CiliumEnvoyConfig; for explain request, of the --from Pod and the caller (names resolve there first)', 'default')
    .option('-f, --filename <path>', 'explain from manifest files offline instead of the running instance; repeatable', collect)
    .option('-o, --output <format>', 'text (default), json or yaml')
    .action(async (kind: string, name: string | undefined, opts: { namespace: string; filename?: string[]; output?: string }, cmd: Command) => {
      if (opts.output !== undefined && !['json', 'yaml', 'text'].includes(opts.output)) {
        throw new CliExit(EXIT_USAGE, `error: unknown output format "${opts.output}" (text, json or yaml)`);
      }
      const { info, names } = targetArgs(name === undefined ? [kind] : [kind, name]);
      if (!KNOWN.has(info.kind)) throw new CliExit(EXIT_USAGE, `error: weft explain knows cec (CiliumEnvoyConfig) and ccec (CiliumClusterwideEnvoyConfig), not "${kind}"`);
      if (names.length !== 1 || names[0] === '') throw new CliExit(EXIT_USAGE, 'error: weft explain needs one NAME');
      const namespace = info.namespaced ? opts.namespace : undefined;
      const explained = opts.filename !== undefined ? await offline(opts.filename, info.kind, namespace, names[0]) : await online(cmd, info.plural, namespace, names[0]);
      if (opts.output === 'json') process.stdout.write(`${JSON.stringify(explained, null, 2)}\n`);
      else if (opts.output === 'yaml') process.stdout.write(stringify(explained));
      else process.stdout.write(formatExplanation(explained));
    });
  explain
    .command('request')
    .description('trace what a request will do before you send it: name resolution, listener and filter chain, HTTP filters, virtual host and route (and why earlier routes did not match), rewrites, retries, clusters and their endpoints with health')
    .argument('<url>', 'the URL as curl takes it (http://svc:port/path; no scheme = http)')
    .option('-X, --request <method>', 'the request method', 'GET')
    .option('-H, --header <header>', "a request header 'Name: value'; repeatable", collect)
    .option('--from <pod>', 'send it as this Pod (POD or deploy/NAME), as weft exec does; default: from the host')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', REQUEST_EXAMPLES)
    .action(async (url: string, _opts: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals() as { request: string; header?: string[]; from?: string; namespace: string; output?: string; filename?: string[] };
      if (o.output !== undefined && !['json', 'yaml', 'text'].includes(o.output)) {
        throw new CliExit(EXIT_USAGE, `error: unknown output format "${o.output}" (text, json or yaml)`);
      }
      if (o.filename !== undefined) throw new CliExit(EXIT_USAGE, 'error: weft explain request traces through the running instance; -f is for explain cec');
      const q = new URLSearchParams({ url, method: o.request, namespace: o.namespace });
      for (const h of o.header ?? []) q.append('header', h);
      if (o.from !== undefined) q.set('from', o.from);
      const res = await clientFor(cmd).request<RequestTrace>('GET', `${EXPLAIN_REQUEST_PATH}?${q}`);
      if (res.status !== 200) {
        throw new CliExit(res.status === 400 ? EXIT_USAGE : EXIT_INVALID, `error: ${statusMessage(res.body, `explain request failed (${res.status})`)}`);
      }
      const trace = res.body;
      const refused = trace.outcome.kind === 'refused';
      if (o.output === 'json') process.stdout.write(`${JSON.stringify(trace, null, 2)}\n`);
      else if (o.output === 'yaml') process.stdout.write(stringify(trace));
      else {
        const { formatRequestTrace } = await import('../../dataplane/explain/index.ts');
        process.stdout.write(formatRequestTrace(trace, { outcome: !refused }));
      }
      if (refused) throw new CliExit(EXIT_INVALID, `error: ${trace.outcome.summary}`);
    });
}

async function online(cmd: Command, plural: string, namespace: string | undefined, name: string): Promise<EnvoyConfigExplanation> {
  const q = new URLSearchParams({ kind: plural, name, ...(namespace !== undefined ? { namespace } : {}) });
  const res = await clientFor(cmd).request<EnvoyConfigExplanation>('GET', `${EXPLAIN_PATH}?${q}`);
  if (res.status !== 200) throw new CliExit(EXIT_INVALID, `Error from server: ${statusMessage(res.body, `explain failed (${res.status})`)}`);
  return res.body;
}

async function offline(paths: string[], kind: string, namespace: string | undefined, name: string): Promise<EnvoyConfigExplanation> {
  const { loadManifests, readManifestFiles } = await import('../../manifest/index.ts');
  const { explainOffline } = await import('../../controlplane/index.ts');
  const read = await readManifestFiles(paths);
  const loaded = loadManifests(read.files);
  const diagnostics = [...read.diagnostics, ...loaded.diagnostics];
  if (hasErrors(diagnostics)) {
    printDiagnostics(diagnostics);
    throw new CliExit(EXIT_INVALID, '');
  }
  const explained = explainOffline(loaded.objects, kind, namespace, name);
  if (explained === undefined) throw new CliExit(EXIT_INVALID, `error: ${kindOrExit(kind).plural} "${name}" not found in ${paths.join(', ')}`);
  return explained;
}

/** The text form: a heading, then one section per part, aligned like kubectl describe. */
export function formatExplanation(e: EnvoyConfigExplanation): string {
  const lines: string[] = [];
  lines.push(`${e.kind} ${e.namespace !== undefined ? `${e.namespace}/` : ''}${e.name}${e.generation !== undefined ? ` (generation ${e.generation})` : ''}`);
  const section = (title: string, rows: string[]) => {
    lines.push(`${title}:`);
    lines.push(...(rows.length === 0 ? ['  <none>'] : rows.map((r) => `  ${r}`)));
  };
  const pad = (rows: string[][]): string[] => {
    const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
    return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  };
  section('Conditions', pad(e.conditions.map((c) => [c.type, c.status, c.reason, c.message])));
  section(
    'Listeners',
    pad(e.listeners.map((l) => [l.name, l.internal ? 'internal (no address)' : l.addresses.join(', '), l.serving ? 'serving' : 'not serving'])),
  );
  section('Intercepts', e.intercepts.map((r) => `Service ${r.namespace}/${r.service}:${r.port} -> ${r.listener} (${r.addresses.join(', ')})`));
  section('Route configurations', [...e.routeConfigurations]);
  section(
    'Clusters',
    pad(
      e.clusters.map((c) => [
        c.name,
        c.type === 'EDS' ? `EDS ${c.endpointsFrom}` : c.type,
        c.endpoints === undefined ? 'not serving' : c.endpoints.length === 0 ? 'no endpoints' : c.endpoints.join(', '),
      ]),
    ),
  );
  if (e.secrets.length > 0) section('Secrets', [...e.secrets]);
  if (e.backendServices.length > 0) section('Backend services (EDS)', [...e.backendServices]);
  if (e.diagnostics.length > 0) section('Diagnostics', e.diagnostics.map((d) => formatDiagnostic(d).replace(/\n/g, '\n  ')));
  return `${lines.join('\n')}\n`;
}
