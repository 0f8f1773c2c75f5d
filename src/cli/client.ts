/**
 * How the CLI finds and talks to a running `weft up`: the state directory (`--state DIR`, else
 * $WEFT_STATE, else `.weft`) holds the API address (`api`) and the bearer token (`token`).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { CliExit, EXIT_UNREACHABLE } from './exit-codes.ts';

export const DEFAULT_STATE_DIR = '.weft';

export function stateDir(flag?: string): string {
  return resolve(flag ?? process.env.WEFT_STATE ?? DEFAULT_STATE_DIR);
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | undefined,
  ) {}

  /** Reads DIR/api and DIR/token; exits 3 with a hint when there is no instance. */
  static fromStateDir(dir: string): ApiClient {
    let api: string;
    try {
      api = readFileSync(join(dir, 'api'), 'utf8').trim();
    } catch {
      throw new CliExit(
        EXIT_UNREACHABLE,
        `no running weft found: ${join(dir, 'api')} does not exist (start one with \`weft up\`, or pass --state DIR / set WEFT_STATE)`,
      );
    }
    let token: string | undefined;
    try {
      token = readFileSync(join(dir, 'token'), 'utf8').trim();
    } catch {
      token = undefined;
    }
    return new ApiClient(api, token);
  }

  /**
   * One request; JSON in and out (text bodies come back as strings). node:http keeps CLI start-up
   * fast. `contentType` for bodies that are JSON of another kind (`application/merge-patch+json`).
   */
  request<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolvePromise, reject) => {
      const req = httpRequest(new URL(path, this.baseUrl), { method, headers: this.#headers(payload, contentType) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(this.#unreachable(e)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            // Non-JSON bodies (admin text endpoints) are returned as text.
          }
          resolvePromise({ status: res.statusCode ?? 0, body: parsed as T });
        });
      });
      req.on('error', (e) => reject(this.#unreachable(e)));
      req.end(payload);
    });
  }

  /** Streams newline-delimited JSON (watch); resolves when the stream ends or `signal` aborts. */
  stream(path: string, onEvent: (ev: unknown) => void, signal?: AbortSignal): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      const req = httpRequest(new URL(path, this.baseUrl), { headers: this.#headers(undefined), signal }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl = buf.indexOf('\n');
          while (nl >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) onEvent(JSON.parse(line));
            nl = buf.indexOf('\n');
          }
        });
        res.on('end', () => resolvePromise());
        res.on('error', (e) => (signal?.aborted ? resolvePromise() : reject(e)));
      });
      req.on('error', (e) => (signal?.aborted ? resolvePromise() : reject(this.#unreachable(e))));
      req.end();
    });
  }

  #headers(payload: string | undefined, contentType = 'application/json'): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (payload !== undefined) {
      headers['content-type'] = contentType;
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return headers;
  }

  #unreachable(e: Error): CliExit {
    const code = (e as { code?: string }).code;
    return new CliExit(EXIT_UNREACHABLE, `weft at ${this.baseUrl} is not reachable (${code ?? e.message}); is \`weft up\` running?`);
  }
}

/** The message of a Kubernetes Status body, or a fallback. */
export function statusMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return fallback;
}
