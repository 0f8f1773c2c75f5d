/**
 * One load worker's HTTP client: a single keep-alive connection (undici `Client`, no pipelining),
 * reopened when the server closes it or a request fails, as fortio's per-thread client does. It
 * counts the sockets it opened, times each connect, and remembers the address it reached. Through
 * an HTTP proxy it sends absolute-form requests (`GET http://svc:8080/ HTTP/1.1`) with the proxy's
 * credentials, which is how `weft exec` makes a Pod's traffic cross the mesh.
 */
import { performance } from 'node:perf_hooks';
import { buildConnector, Client } from 'undici';
import { FORTIO_VERSION } from '../fortio/version.ts';
import { secondsOf } from './go-format.ts';

export interface FetchResult {
  /** HTTP status, or -1 when no response came (connection error, timeout). */
  readonly code: number;
  readonly headerSize: number;
  /** Header and body bytes. */
  readonly totalSize: number;
}

export interface FetcherOptions {
  readonly url: string;
  readonly proxy?: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly payload?: Buffer;
  readonly timeoutMs: number;
  readonly insecure: boolean;
}

function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
}

/** Bytes of the status line and header block as they came on the wire (HTTP/1.1). */
function headerBytes(code: number, statusText: string, headers: Record<string, string | string[] | undefined>): number {
  let n = `HTTP/1.1 ${code} ${statusText}\r\n`.length + 2;
  for (const [name, value] of Object.entries(headers)) {
    for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) n += Buffer.byteLength(name) + 2 + Buffer.byteLength(v) + 2;
  }
  return n;
}

export class HttpFetcher {
  /** Seconds each connect took (TCP, and TLS for https), one entry per socket opened. */
  readonly connectTimes: number[] = [];
  /** Every connection's remote `address:port`, in the order opened. */
  readonly remotes: string[] = [];
  readonly #client: Client;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #options: FetcherOptions;

  constructor(options: FetcherOptions) {
    this.#options = options;
    const target = new URL(options.url);
    const proxy = options.proxy ? new URL(options.proxy) : undefined;
    if (proxy && target.protocol === 'https:') throw new Error('https URLs through an HTTP proxy are not supported by weft load; use http:// (the mesh can originate TLS)');
    const base = buildConnector({ rejectUnauthorized: !options.insecure, timeout: options.timeoutMs });
    const connect: buildConnector.connector = (opts, callback) => {
      const t0 = performance.now();
      return base(opts, (error, socket) => {
        if (!error && socket) {
          this.connectTimes.push(secondsOf(performance.now() - t0));
          this.remotes.push(`${socket.remoteAddress}:${socket.remotePort}`);
        }
        (callback as (e: Error | null, s: typeof socket) => void)(error, socket);
      });
    };
    this.#client = new Client(proxy ? proxy.origin : target.origin, { pipelining: 1, connect, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    this.#path = proxy ? target.href : `${target.pathname}${target.search}`;
    const headers: Record<string, string> = { host: target.host, 'user-agent': `fortio.org/fortio-${FORTIO_VERSION}` };
    for (const [k, v] of options.headers) headers[k.toLowerCase()] = v;
    const auth = proxy ? proxyAuthorization(proxy) : undefined;
    if (auth) headers['proxy-authorization'] = auth;
    if (options.payload) headers['content-type'] ??= 'application/octet-stream';
    this.#headers = headers;
  }

  /** Sockets opened so far. */
  get socketCount(): number {
    return this.connectTimes.length;
  }

  async fetch(): Promise<FetchResult> {
    try {
      const res = await this.#client.request({
        path: this.#path,
        method: this.#options.payload ? 'POST' : 'GET',
        headers: this.#headers,
        body: this.#options.payload,
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      let bodyBytes = 0;
      for await (const chunk of res.body) bodyBytes += (chunk as Buffer).length;
      const headerSize = headerBytes(res.statusCode, res.statusText, res.headers);
      return { code: res.statusCode, headerSize, totalSize: headerSize + bodyBytes };
    } catch {
      return { code: -1, headerSize: 0, totalSize: 0 };
    }
  }

  close(): Promise<void> {
    return this.#client.destroy();
  }
}
