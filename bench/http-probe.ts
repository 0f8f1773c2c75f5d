/**
 * Readiness and correctness probes: a target is measured only once `GET /` on it returns 200 with
 * the upstream's exact body (so a proxy that answers but does not proxy is never benchmarked).
 */
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

export const BENCH_HOST = '127.0.0.1';

export interface ProbeAnswer {
  readonly status: number;
  readonly body: string;
}

/** One `GET /` on 127.0.0.1:port, no keep-alive; rejects on a socket error or after `timeoutMs`. */
export function getRoot(port: number, timeoutMs = 2000): Promise<ProbeAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: BENCH_HOST, port, path: '/', method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export type ReadyOutcome =
  | { readonly kind: 'ready' }
  | { readonly kind: 'exited' }
  | { readonly kind: 'timeout'; readonly last: string };

/**
 * Polls `GET /` every 100 ms until it returns 200 with `body`, the process exits (`exited()`), or
 * `timeoutMs` passes. Polling is the only readiness signal nginx, HAProxy and Caddy give.
 */
export async function waitForBody(
  port: number,
  body: string,
  opts: { timeoutMs: number; exited: () => boolean },
): Promise<ReadyOutcome> {
  const attempts = Math.max(1, Math.ceil(opts.timeoutMs / 100));
  let last = 'no attempt';
  for (let i = 0; i < attempts; i++) {
    if (opts.exited()) return { kind: 'exited' };
    try {
      const a = await getRoot(port, 1000);
      if (a.status === 200 && a.body === body) return { kind: 'ready' };
      last = `status ${a.status}, ${a.body.length}-byte body${a.status === 200 ? ' (not the upstream body)' : ''}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await delay(100);
  }
  return { kind: 'timeout', last };
}
