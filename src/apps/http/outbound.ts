/**
 * Calls an app makes to other services (`http://details:9080/details/0`). With an upstream proxy
 * every call is a plain HTTP proxy request (absolute-form request line, proxy credentials from the
 * proxy URL), so the mesh resolves `details` in the calling Pod's namespace and sees the call as
 * coming from that Pod. Without one, calls go straight to the named host.
 */
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';

export interface OutboundResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface OutboundClient {
  /** GETs `url`; rejects on connection failure or when `timeoutMs` passes first. */
  get(url: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<OutboundResponse>;
  close(): Promise<void>;
}

/** Bodies larger than this are cut off: the apps only ever read small JSON documents. */
const MAX_BODY = 1024 * 1024;

export function createOutboundClient(upstreamProxy: string | undefined): OutboundClient {
  const dispatcher: Dispatcher = upstreamProxy
    ? new ProxyAgent({ uri: upstreamProxy, proxyTunnel: false, keepAliveTimeout: 30_000 })
    : new Agent({ keepAliveTimeout: 30_000 });
  return {
    async get(url, headers, timeoutMs) {
      const res = await request(url, { method: 'GET', headers: { ...headers }, dispatcher, signal: AbortSignal.timeout(timeoutMs) });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY) {
          res.body.destroy();
          throw new Error(`response from ${url} exceeds ${MAX_BODY} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
      return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
    },
    close: () => dispatcher.close(),
  };
}
