/**
 * HashiCorp's http-echo (`hashicorp/http-echo`): answers every path with the `-text` it was
 * started with and a newline, `/health` with `{"status":"ok"}`. Flags as the original parses them
 * (Go's flag package: `-text=blue`, `-text blue`, `--text=blue`): `-listen` (default `:5678`),
 * `-text`, `-status-code` (default 200). The text may also come from the `ECHO_TEXT` environment
 * variable, as in the original. A demo app for "answer your own name/colour" examples, such as the
 * colour split of seed 002 (examples/handson).
 */
import type { AppSpec, AppStartOptions, ContainerInvocation, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { serve } from '../http/serve.ts';

const DEFAULT_PORT = 5678;

export interface HttpEchoFlags {
  readonly text?: string;
  readonly listenPort?: number;
  readonly statusCode: number;
}

/** Go flag parsing of the three flags http-echo has; unknown words are ignored. */
export function parseHttpEchoFlags(args: readonly string[]): HttpEchoFlags {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const m = /^--?([a-z-]+)(?:=(.*))?$/s.exec(args[i]);
    if (!m) continue;
    const value = m[2] ?? (i + 1 < args.length ? args[++i] : '');
    values.set(m[1], value);
  }
  const listen = values.get('listen');
  const port = listen === undefined ? undefined : Number(listen.slice(listen.lastIndexOf(':') + 1));
  const status = Number(values.get('status-code') ?? '200');
  return {
    ...(values.has('text') ? { text: values.get('text') } : {}),
    ...(port !== undefined && Number.isInteger(port) && port > 0 && port < 65536 ? { listenPort: port } : {}),
    statusCode: Number.isInteger(status) && status >= 100 && status <= 599 ? status : 200,
  };
}

export function createHttpEchoApp(repository: string, invocation: ContainerInvocation): AppSpec {
  // The image's entrypoint is the binary; a manifest gives flags as `args` (or a full `command`).
  const flags = parseHttpEchoFlags([...(invocation.command ?? []), ...(invocation.args ?? [])]);
  return {
    kind: 'app',
    app: 'http-echo',
    repository,
    defaultPorts: () => [flags.listenPort ?? DEFAULT_PORT],
    start: (options) => startHttpEcho(options, flags),
  };
}

function startHttpEcho(options: AppStartOptions, flags: HttpEchoFlags): Promise<RunningApp> {
  const text = `${flags.text ?? options.env.ECHO_TEXT ?? ''}\n`;
  const handler = (req: AppRequest, res: AppResponse): void => {
    if (req.path === '/health') res.send(200, { 'content-type': 'application/json' }, '{"status":"ok"}\n');
    else res.send(flags.statusCode, { 'content-type': 'text/plain; charset=utf-8', 'x-app-name': 'http-echo' }, text);
  };
  const ports = options.ports.length > 0 ? options.ports : [flags.listenPort ?? DEFAULT_PORT];
  return serve({ host: options.host, ports, handler });
}
