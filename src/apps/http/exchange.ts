/**
 * One request and its response, the same for HTTP/1.1 and HTTP/2 (h2c), so an app's handler is
 * written once. Node's two compatibility APIs are close but their TypeScript types are not
 * interchangeable; this small surface is all the demo apps need.
 */
import type http from 'node:http';
import type http2 from 'node:http2';

export type OutgoingHeaders = Readonly<Record<string, string | number | readonly string[]>>;

export interface AppRequest {
  readonly method: string;
  /** The request-target as received: `/path?query` (or absolute-form when a client sent one). */
  readonly target: string;
  /** The path of the target, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** `1.1`, `1.0` or `2.0`. */
  readonly httpVersion: string;
  /** Header names lower-case; HTTP/2 pseudo-headers removed. */
  readonly headers: http.IncomingHttpHeaders;
  /** Name/value pairs in arrival order, names as the client spelled them (HTTP/2: lower-case). */
  readonly rawHeaders: readonly string[];
  /** The `Host` header, or `:authority` for HTTP/2. */
  readonly authority: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** Reads the whole body; rejects when it exceeds `limit` bytes (default 1 MiB). */
  readBody(limit?: number): Promise<Buffer>;
}

export interface AppResponse {
  /** Sends status, headers and the whole body. A second call is ignored. */
  send(status: number, headers: OutgoingHeaders, body?: string | Buffer): void;
  /** True once the client went away or the response was sent. */
  readonly finished: boolean;
}

export type AppHandler = (req: AppRequest, res: AppResponse) => void | Promise<void>;

export interface PeerAddress {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;

function readBody(stream: NodeRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`request body exceeds ${limit} bytes`));
        stream.destroy();
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function stripPseudo(headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders {
  const out: http.IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':')) out[k] = v;
  return out;
}

function stripPseudoRaw(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!raw[i].startsWith(':')) out.push(raw[i], raw[i + 1]);
  return out;
}

export function createAppRequest(req: NodeRequest, peer: PeerAddress): AppRequest {
  const isH2 = req.httpVersionMajor === 2;
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const pathPart = q === -1 ? target : target.slice(0, q);
  const path = /^https?:\/\//i.test(pathPart) ? new URL(pathPart).pathname : pathPart;
  const h2Authority = isH2 ? (req as http2.Http2ServerRequest).authority : undefined;
  return {
    method: req.method ?? 'GET',
    target,
    path,
    query: new URLSearchParams(q === -1 ? '' : target.slice(q + 1)),
    httpVersion: req.httpVersion,
    headers: isH2 ? stripPseudo(req.headers) : req.headers,
    rawHeaders: isH2 ? stripPseudoRaw(req.rawHeaders) : req.rawHeaders,
    authority: h2Authority ?? req.headers.host ?? '',
    ...peer,
    readBody: (limit = DEFAULT_BODY_LIMIT) => readBody(req, limit),
  };
}

type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;

export function createAppResponse(res: NodeResponse): AppResponse {
  let sent = false;
  // Both response classes share writeHead(status, headers) and end(body); their typings differ only
  // in overloads, so the HTTP/1 signature stands for both here.
  const r = res as http.ServerResponse;
  return {
    send(status, headers, body) {
      if (sent || r.destroyed || r.writableEnded) return;
      sent = true;
      const h: Record<string, string | number | string[]> = {};
      for (const [k, v] of Object.entries(headers)) h[k] = Array.isArray(v) ? [...v] : (v as string | number);
      if (body !== undefined && h['content-length'] === undefined) h['content-length'] = Buffer.byteLength(body);
      r.writeHead(status, h);
      r.end(body);
    },
    get finished() {
      return sent || r.destroyed || r.writableEnded;
    },
  };
}
