/**
 * `weft load` (and `fortio load` under `weft exec`) arguments, read the way fortio's Go flag
 * package reads them: `-c 4`, `-c=4`, `--c 4`; flags before the URL; `-H` repeatable. Defaults
 * are fortio's (4 connections, 8 qps, 5 s, 3 s timeout, percentiles 50,75,90,99,99.9). Unlike
 * fortio, a run is always bounded: `-t 0` (fortio's "until interrupted") needs `-n`.
 */
import { parseGoDuration } from '../../lib/duration.ts';
import { err, ok, type Result } from '../../lib/result.ts';

export interface LoadOptions {
  readonly url: string;
  /** `-c`: connections (one per worker, each keeping its connection alive). */
  readonly connections: number;
  /** `-qps`: target total queries per second; 0 or negative = as fast as possible. */
  readonly qps: number;
  /** `-n`: exact number of calls (0 = run for `durationMs`). */
  readonly exactly: number;
  /** `-t`: run duration when `exactly` is 0. */
  readonly durationMs: number;
  /** `-H "Name: value"`, in order. */
  readonly headers: readonly (readonly [string, string])[];
  /** `-timeout`: per request. */
  readonly timeoutMs: number;
  /** `-payload-size` / `-payload`: a body makes the requests POSTs. */
  readonly payload?: Buffer;
  /** `-p`: percentiles to report. */
  readonly percentiles: readonly number[];
  /** `-r`: histogram resolution in seconds. */
  readonly resolution: number;
  readonly allowInitialErrors: boolean;
  /** `-k`: do not verify TLS certificates. */
  readonly insecure: boolean;
  readonly uniform: boolean;
  readonly jitter: boolean;
  readonly noCatchUp: boolean;
  /** The HTTP proxy to send requests through (`http://user:pass@127.0.0.1:15001`), if any. */
  readonly proxy?: string;
}

export const LOAD_DEFAULTS = {
  connections: 4,
  qps: 8,
  durationMs: 5000,
  timeoutMs: 3000,
  percentiles: [50, 75, 90, 99, 99.9],
  resolution: 0.001,
} as const;

type Kind = 'int' | 'float' | 'duration' | 'string' | 'bool';

const FLAGS: Readonly<Record<string, Kind>> = {
  c: 'int',
  qps: 'float',
  n: 'int',
  t: 'duration',
  H: 'string',
  timeout: 'duration',
  'payload-size': 'int',
  payload: 'string',
  p: 'string',
  r: 'float',
  'allow-initial-errors': 'bool',
  k: 'bool',
  uniform: 'bool',
  jitter: 'bool',
  nocatchup: 'bool',
  quiet: 'bool',
  loglevel: 'string',
};

type Values = Map<string, (string | boolean)[]>;

function scanFlags(argv: readonly string[]): Result<{ values: Values; rest: string[] }, string> {
  const values: Values = new Map();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    const kind = FLAGS[name];
    if (kind === undefined || !Object.hasOwn(FLAGS, name)) return err(`flag provided but not defined: -${name}`);
    let value: string | boolean;
    if (kind === 'bool') {
      const text = eq === -1 ? 'true' : body.slice(eq + 1);
      if (!/^(1|0|t|f|true|false|TRUE|FALSE|True|False|T|F)$/.test(text)) return err(`invalid boolean value "${text}" for -${name}`);
      value = /^(1|t|true|T|TRUE|True)$/.test(text);
    } else if (eq !== -1) value = body.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else return err(`flag needs an argument: -${name}`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return ok({ values, rest: argv.slice(i) });
}

function last(values: Values, name: string): string | undefined {
  const v = values.get(name);
  return v === undefined ? undefined : String(v[v.length - 1]);
}

function numberFlag(values: Values, name: string, kind: 'int' | 'float', fallback: number): Result<number, string> {
  const text = last(values, name);
  if (text === undefined) return ok(fallback);
  const re = kind === 'int' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  if (!re.test(text)) return err(`invalid value "${text}" for flag -${name}: parse error`);
  return ok(Number(text));
}

function durationFlag(values: Values, name: string, fallback: number): Result<number, string> {
  const text = last(values, name);
  if (text === undefined) return ok(fallback);
  const d = parseGoDuration(text);
  return d.ok ? d : err(`invalid value "${text}" for flag -${name}: ${d.error}`);
}

function parseHeader(text: string): Result<readonly [string, string], string> {
  const colon = text.indexOf(':');
  if (colon <= 0) return err(`invalid extra header '${text}', expecting Key: Value`);
  return ok([text.slice(0, colon).trim(), text.slice(colon + 1).trim()]);
}

function parsePercentiles(text: string): Result<number[], string> {
  const out: number[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const n = Number(part);
    if (!Number.isFinite(n)) return err(`invalid percentile "${part}" in -p`);
    out.push(n);
  }
  return out.length === 0 ? err('-p: list can\'t be empty') : ok(out);
}

/** `echo-service:8080` → `http://echo-service:8080`, as fortio does. */
export function normalizeUrl(text: string): Result<string, string> {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  try {
    const u = new URL(withScheme);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return err(`unsupported URL scheme "${u.protocol}" (http and https only)`);
    return ok(withScheme);
  } catch {
    return err(`invalid URL "${text}"`);
  }
}

interface Numbers {
  connections: number;
  qps: number;
  exactly: number;
  durationMs: number;
  timeoutMs: number;
  payloadSize: number;
  resolution: number;
}

const NUMERIC: readonly (readonly [keyof Numbers, string, 'int' | 'float' | 'duration', number])[] = [
  ['connections', 'c', 'int', LOAD_DEFAULTS.connections],
  ['qps', 'qps', 'float', LOAD_DEFAULTS.qps],
  ['exactly', 'n', 'int', 0],
  ['durationMs', 't', 'duration', LOAD_DEFAULTS.durationMs],
  ['timeoutMs', 'timeout', 'duration', LOAD_DEFAULTS.timeoutMs],
  ['payloadSize', 'payload-size', 'int', 0],
  ['resolution', 'r', 'float', LOAD_DEFAULTS.resolution],
];

function readNumbers(values: Values): Result<Numbers, string> {
  const out: Numbers = { connections: 0, qps: 0, exactly: 0, durationMs: 0, timeoutMs: 0, payloadSize: 0, resolution: 0 };
  for (const [key, flag, kind, fallback] of NUMERIC) {
    const r = kind === 'duration' ? durationFlag(values, flag, fallback) : numberFlag(values, flag, kind, fallback);
    if (!r.ok) return r;
    out[key] = r.value;
  }
  if (out.connections < 1) return err('-c must be at least 1');
  if (out.exactly < 0) return err('-n must not be negative');
  if (out.exactly === 0 && out.durationMs <= 0) return err('weft load runs bounded: give -n, or a -t above 0');
  if (out.timeoutMs <= 0) return err('-timeout must be above 0');
  if (out.resolution <= 0) return err('-r must be above 0');
  if (out.payloadSize < 0 || out.payloadSize > 64 * 1024 * 1024) return err('-payload-size must be between 0 and 64 MiB');
  return ok(out);
}

function readHeaders(values: Values): Result<(readonly [string, string])[], string> {
  const headers: (readonly [string, string])[] = [];
  for (const h of values.get('H') ?? []) {
    const parsed = parseHeader(String(h));
    if (!parsed.ok) return parsed;
    headers.push(parsed.value);
  }
  return ok(headers);
}

/** Parses `[load] [flags] URL`. `proxy` is passed through (see `proxyFromEnv`). */
export function parseLoadArgs(argv: readonly string[], proxy?: string): Result<LoadOptions, string> {
  const scanned = scanFlags(argv[0] === 'load' ? argv.slice(1) : argv);
  if (!scanned.ok) return scanned;
  const { values, rest } = scanned.value;
  if (rest.length !== 1) return err(rest.length === 0 ? 'weft load needs a URL' : `unexpected arguments after the URL: ${rest.slice(1).join(' ')}`);
  const url = normalizeUrl(rest[0]);
  if (!url.ok) return url;
  const numbers = readNumbers(values);
  if (!numbers.ok) return numbers;
  const percentiles = parsePercentiles(last(values, 'p') ?? LOAD_DEFAULTS.percentiles.join(','));
  if (!percentiles.ok) return percentiles;
  const headers = readHeaders(values);
  if (!headers.ok) return headers;
  const { payloadSize, ...n } = numbers.value;
  const payloadText = last(values, 'payload');
  const payload = payloadText !== undefined ? Buffer.from(payloadText) : payloadSize > 0 ? Buffer.alloc(payloadSize, 'x') : undefined;
  const bool = (name: string): boolean => (values.get(name) ?? []).some((v) => v === true);
  return ok({
    url: url.value,
    ...n,
    headers: headers.value,
    ...(payload ? { payload } : {}),
    percentiles: percentiles.value,
    allowInitialErrors: bool('allow-initial-errors'),
    insecure: bool('k'),
    uniform: bool('uniform'),
    jitter: bool('jitter'),
    noCatchUp: bool('nocatchup'),
    ...(proxy ? { proxy } : {}),
  });
}

/**
 * The proxy the environment asks for this URL (`http_proxy`/`HTTP_PROXY`, `https_proxy`/
 * `HTTPS_PROXY`), unless `no_proxy`/`NO_PROXY` exempts the host — what `weft exec` sets up.
 */
export function proxyFromEnv(url: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const proxy = u.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (!proxy) return undefined;
  const noProxy = (env.no_proxy ?? env.NO_PROXY ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const host = u.hostname.toLowerCase();
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy) {
    if (entry === '*') return undefined;
    const [name, entryPort] = entry.split(':');
    if (entryPort && entryPort !== port) continue;
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  return proxy;
}
