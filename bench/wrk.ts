/**
 * The saturating load: wrk (closed loop, keep-alive, `--latency`), and the parser of its report.
 */
export interface WrkReport {
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors (connect + read + write + timeout) plus non-2xx/3xx responses. */
  readonly errors: number;
}

const UNIT_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1000, m: 60_000 };

/** `594.00us` / `1.00ms` / `2.5s` → milliseconds; NaN when the text is not a wrk duration. */
export function parseWrkDuration(s: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(s.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : Number.NaN;
}

/** Parses wrk's text report; undefined when it has no `Requests/sec` line (wrk failed). */
export function parseWrkReport(text: string): WrkReport | undefined {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const count = /^\s*(\d+) requests in /m.exec(text);
  if (!rps || !count) return undefined;
  const pct = (p: string): number => {
    const m = new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(text);
    return m ? parseWrkDuration(m[1]) : Number.NaN;
  };
  let errors = 0;
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  if (sock) errors += Number(sock[1]) + Number(sock[2]) + Number(sock[3]) + Number(sock[4]);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  if (non2xx) errors += Number(non2xx[1]);
  return {
    requestsPerSecond: Number(rps[1]),
    requests: Number(count[1]),
    p50Ms: pct('50'),
    p99Ms: pct('99'),
    errors,
  };
}

export interface WrkOptions {
  readonly url: string;
  readonly threads: number;
  readonly connections: number;
  readonly seconds: number;
  readonly latency: boolean;
}

export function wrkArgs(o: WrkOptions): string[] {
  const args = [`-t${o.threads}`, `-c${o.connections}`, `-d${o.seconds}s`];
  if (o.latency) args.push('--latency');
  args.push(o.url);
  return args;
}
