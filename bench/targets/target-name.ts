/** The targets the bench can drive, in the order of a default run. */
export const TARGET_NAMES = ['direct', 'nginx', 'haproxy', 'node-undici', 'caddy', 'weft', 'node-hello'] as const;

export type TargetName = (typeof TARGET_NAMES)[number];

/** A default run: every proxy of the issue; `node-hello` (not a proxy) only when asked for. */
export const DEFAULT_TARGETS: readonly TargetName[] = ['direct', 'nginx', 'haproxy', 'node-undici', 'caddy', 'weft'];

export function isTargetName(s: string): s is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(s);
}

/** One line per target for the README and `--help`-like messages. */
export const TARGET_DESCRIPTIONS: Readonly<Record<TargetName, string>> = {
  direct: 'the load generator straight to the upstream (the ceiling)',
  nginx: 'nginx reverse proxy, 1 worker, keep-alive upstream pool',
  haproxy: 'HAProxy, 1 thread, http-reuse always',
  'node-undici': 'minimal Node proxy: node:http server + undici Pool, streamed bodies, nothing else',
  caddy: 'Caddy reverse_proxy, GOMAXPROCS=1',
  weft: 'weft up --bootstrap bench/weft-bootstrap.yaml',
  'node-hello': 'reference, not a proxy: node:http answering the body itself',
};
