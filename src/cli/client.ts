/**
 * How the CLI finds and talks to a running `weft up`: the state directory (`--state DIR`, else
 * $WEFT_STATE, else `.weft`) holds the API address (`api`) and the bearer token (`token`).
 */
import { readFileSync } from 'node:fs';
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

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new CliExit(
        EXIT_UNREACHABLE,
        `weft at ${this.baseUrl} is not reachable (${cause?.code ?? cause?.message ?? (e as Error).message}); is \`weft up\` running?`,
      );
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Non-JSON bodies (admin text endpoints) are returned as text.
    }
    return { status: res.status, body: parsed as T };
  }

  /** Streams newline-delimited JSON (watch); resolves when the stream ends or `signal` aborts. */
  async stream(path: string, onEvent: (ev: unknown) => void, signal?: AbortSignal): Promise<void> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), { headers, signal });
    } catch (e) {
      if (signal?.aborted) return;
      throw new CliExit(EXIT_UNREACHABLE, `weft at ${this.baseUrl} is not reachable: ${(e as Error).message}`);
    }
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let nl = buf.indexOf('\n');
        while (nl >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) onEvent(JSON.parse(line));
          nl = buf.indexOf('\n');
        }
      }
    } catch (e) {
      if (!signal?.aborted) throw e;
    }
  }
}

/** The message of a Kubernetes Status body, or a fallback. */
export function statusMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return fallback;
}
