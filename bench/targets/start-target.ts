/**
 * Starts one proxy under test in front of the upstream and waits until `GET /` through it returns
 * the upstream's body. A target that cannot run (tool missing, weft not built, start failure) comes
 * back as `unavailable` with the reason, and the run goes on with the others.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNever } from '../../src/lib/assert-never.ts';
import { waitForBody } from '../http-probe.ts';
import type { ProcessSupervisor, Supervised } from '../process-supervisor.ts';
import { installCommand } from '../tools.ts';
import type { Toolbox, ToolName } from '../tools.ts';
import { renderCaddyConf } from './caddy-conf.ts';
import { renderHaproxyConf } from './haproxy-conf.ts';
import { renderProxyNginxConf } from './nginx-conf.ts';
import type { TargetName } from './target-name.ts';
import { renderWeftBootstrap } from './weft-bootstrap.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const WEFT_BOOTSTRAP_TEMPLATE = join(REPO_ROOT, 'bench', 'weft-bootstrap.yaml');
export const DEFAULT_WEFT_BIN = join(REPO_ROOT, 'bin', 'weft.js');
const READY_TIMEOUT_MS = 10_000;
const WEFT_READY_LINE = /^weft ready api=\S+ state=/;

export interface TargetContext {
  readonly supervisor: ProcessSupervisor;
  readonly workDir: string;
  readonly host: string;
  readonly upstreamPort: number;
  readonly body: string;
  readonly tools: Toolbox;
  /** Prefix that pins a command to the proxy's CPU (`taskset -c 1`), or empty. */
  readonly proxyPin: readonly string[];
  /** weft's entry script, run with this Node (bin/weft.js of this checkout unless WEFT_BIN says otherwise). */
  readonly weftBin: string;
  readonly weftWorkers: number | undefined;
  readonly weftStartSeconds: number;
}

export type StartOutcome =
  | { readonly kind: 'started'; readonly process: Supervised; readonly label: string; readonly note?: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

type ProxyName = Exclude<TargetName, 'direct'>;

interface Launch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly pin: boolean;
}

function tool(ctx: TargetContext, name: ToolName): string | undefined {
  return ctx.tools.paths.get(name);
}

/** The most telling line of a failed start's output: the first that says "error", else the last. */
export function tellingLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error/i.test(l)) ?? lines[lines.length - 1] ?? '';
}

/** The command line of each target, its config written into `dir`; a string is why it cannot run. */
function launchOf(name: ProxyName, port: number, dir: string, ctx: TargetContext): Launch | string {
  const { host, upstreamPort } = ctx;
  const node = process.execPath;
  const nodeEnv = { ...process.env, NODE_ENV: 'production' };
  switch (name) {
    case 'nginx': {
      const bin = tool(ctx, 'nginx');
      if (!bin) return `not installed (${installCommand(['nginx'])})`;
      writeFileSync(join(dir, 'nginx.conf'), renderProxyNginxConf({ dir, host, port, upstreamPort }));
      return { command: bin, args: ['-e', join(dir, 'error.log'), '-p', `${dir}/`, '-c', join(dir, 'nginx.conf')], pin: true };
    }
    case 'haproxy': {
      const bin = tool(ctx, 'haproxy');
      if (!bin) return `not installed (${installCommand(['haproxy'])})`;
      writeFileSync(join(dir, 'haproxy.cfg'), renderHaproxyConf({ host, port, upstreamPort }));
      return { command: bin, args: ['-db', '-f', join(dir, 'haproxy.cfg')], pin: true };
    }
    case 'caddy': {
      const bin = tool(ctx, 'caddy');
      if (!bin) return `not installed (${installCommand(['caddy'])})`;
      writeFileSync(join(dir, 'caddy.json'), renderCaddyConf({ host, port, upstreamPort }));
      const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, GOMAXPROCS: '1' };
      return { command: bin, args: ['run', '--config', join(dir, 'caddy.json')], env, pin: true };
    }
    case 'node-undici': {
      const script = join(REPO_ROOT, 'bench', 'targets', 'node-undici-proxy.mjs');
      return { command: node, args: [script, String(port), host, String(upstreamPort)], env: nodeEnv, pin: true };
    }
    case 'node-hello': {
      const script = join(REPO_ROOT, 'bench', 'targets', 'node-hello.mjs');
      return { command: node, args: [script, String(port)], env: { ...nodeEnv, BENCH_BODY: ctx.body }, pin: true };
    }
    case 'weft': {
      const bin = ctx.weftBin;
      if (!existsSync(bin)) return `${bin} is missing`;
      const rendered = renderWeftBootstrap(readFileSync(WEFT_BOOTSTRAP_TEMPLATE, 'utf8'), { host, port, upstreamPort });
      if (!rendered.ok) return `bench/weft-bootstrap.yaml: ${rendered.error}`;
      const bootstrap = join(dir, 'bootstrap.yaml');
      writeFileSync(bootstrap, rendered.value);
      const state = join(dir, 'state');
      mkdirSync(state, { recursive: true });
      const workers = ctx.weftWorkers === undefined ? [] : ['--workers', String(ctx.weftWorkers)];
      const args = [bin, 'up', '--api', `${host}:0`, '--state', state, '--bootstrap', bootstrap, ...workers];
      // More than one worker means more than one core: weft is then not pinned to the proxy's CPU.
      return { command: node, args, env: { ...nodeEnv, NO_COLOR: '1' }, pin: (ctx.weftWorkers ?? 1) === 1 };
    }
    default:
      return assertNever(name, 'target');
  }
}

export async function startTarget(name: ProxyName, port: number, ctx: TargetContext): Promise<StartOutcome> {
  const dir = join(ctx.workDir, name);
  mkdirSync(dir, { recursive: true });
  const launch = launchOf(name, port, dir, ctx);
  if (typeof launch === 'string') return { kind: 'unavailable', reason: launch };
  const pinned = launch.pin && ctx.proxyPin.length > 0;
  const [command, args] = pinned
    ? [ctx.proxyPin[0], [...ctx.proxyPin.slice(1), launch.command, ...launch.args]]
    : [launch.command, launch.args];
  const proc = ctx.supervisor.start(name, command, args, { env: launch.env, cwd: REPO_ROOT, logFile: join(dir, 'output.log') });
  const why = (prefix: string): string => {
    const tail = tellingLine(proc.stderrTail) || tellingLine(proc.stdoutTail);
    return tail ? `${prefix}: ${tail}` : prefix;
  };

  if (name === 'weft') {
    const ready = await proc.waitForLine(WEFT_READY_LINE, ctx.weftStartSeconds * 1000);
    if (ready === undefined) {
      const reason = proc.exited ? why(`exited with code ${(await proc.exit).code}`) : why(`no ready line within ${ctx.weftStartSeconds} s`);
      await ctx.supervisor.stop(proc);
      return { kind: 'unavailable', reason };
    }
  }
  const ready = await waitForBody(port, ctx.body, { timeoutMs: READY_TIMEOUT_MS, exited: () => proc.exited });
  switch (ready.kind) {
    case 'ready':
      break;
    case 'exited':
      return { kind: 'unavailable', reason: why(`exited with code ${(await proc.exit).code}`) };
    case 'timeout':
      await ctx.supervisor.stop(proc);
      return { kind: 'unavailable', reason: `GET / on ${ctx.host}:${port} did not return the upstream body (${ready.last})` };
    default:
      return assertNever(ready, 'ready outcome');
  }
  const workers = name === 'weft' ? ctx.weftWorkers : undefined;
  const label = workers !== undefined && workers > 1 ? `weft ×${workers}` : name;
  const note = pinned || ctx.proxyPin.length === 0 ? undefined : `${label} was not pinned (runs on all CPUs, beside the load generator)`;
  return note === undefined ? { kind: 'started', process: proc, label } : { kind: 'started', process: proc, label, note };
}
