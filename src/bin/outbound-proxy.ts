/**
 * The node's outbound proxy (DESIGN.md "Traffic in"): plain HTTP proxy requests (absolute-form)
 * and CONNECT. It resolves `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local` (the
 * caller's namespace first) to the Service's ClusterIP, and forwards to `clusterIP:port`, so the
 * traffic takes the same data-plane path as a connection to the ClusterIP itself; ClusterIPs, Pod
 * IPs and other hosts are connected to as given. The caller is the Pod named by the proxy
 * credentials `weft exec` sets (`http://NAMESPACE:POD@host:port`); without them it is `host`.
 *
 * TODO(data plane): a listener kind of its own in the model (so flows and policy see the caller's
 * identity at this hop); until then this is a plain Node proxy in the composition root.
 */
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect, isIPv4 } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { Store } from '../store/index.ts';

export const DEFAULT_PROXY_ADDRESS = { host: '127.0.0.1', port: 15001 };

export interface Caller {
  readonly kind: 'pod' | 'host';
  readonly namespace: string;
  readonly name: string;
}

export const HOST_CALLER: Caller = { kind: 'host', namespace: 'default', name: 'host' };

/** `Proxy-Authorization: Basic base64(NAMESPACE:POD)` → the calling Pod. */
export function callerFrom(headers: IncomingHttpHeaders): Caller {
  const auth = headers['proxy-authorization'];
  const m = typeof auth === 'string' ? /^Basic\s+(\S+)$/i.exec(auth) : null;
  if (!m) return HOST_CALLER;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i <= 0) return HOST_CALLER;
  return { kind: 'pod', namespace: decodeURIComponent(text.slice(0, i)), name: decodeURIComponent(text.slice(i + 1)) };
}

/** The proxy URL (with credentials) for a Pod's outbound calls. */
export function proxyUrlFor(address: { host: string; port: number }, namespace: string, pod: string): string {
  return `http://${encodeURIComponent(namespace)}:${encodeURIComponent(pod)}@${address.host}:${address.port}`;
}

/**
 * Where a host name points: a Service's ClusterIP for in-cluster names (undefined when such a
 * name names no Service), the host itself otherwise.
 */
export function resolveHost(store: Store, host: string, caller: Caller): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (isIPv4(name)) return name;
  const parts = name.split('.');
  const clusterIP = (svc: string, ns: string): string | undefined => {
    const spec = (store.get('', 'Service', ns, svc) as { spec?: { clusterIP?: string } } | undefined)?.spec;
    return spec?.clusterIP && spec.clusterIP !== 'None' ? spec.clusterIP : undefined;
  };
  if (parts.length === 1) return clusterIP(parts[0], caller.namespace) ?? (name === 'localhost' ? '127.0.0.1' : undefined);
  const inCluster = parts.length === 2 || (parts.length === 3 && parts[2] === 'svc') || (parts.length === 5 && parts.slice(2).join('.') === 'svc.cluster.local');
  if (inCluster) return clusterIP(parts[0], parts[1]) ?? (parts.length === 2 ? name : undefined);
  return name;
}

const HOP_BY_HOP = new Set(['proxy-authorization', 'proxy-connection', 'connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export class OutboundProxy {
  readonly #store: Store;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(store: Store) {
    this.#store = store;
    this.#server = createServer((req, res) => this.#forward(req, res));
    this.#server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => this.#tunnel(req, socket, head));
    this.#server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    return new Promise((resolve) => (this.#server.listening ? this.#server.close(() => resolve()) : resolve()));
  }

  #forward(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
      if (url.protocol !== 'http:') throw new Error('not http');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('weft outbound proxy: expected an absolute http:// URL (a proxy request)\n');
      return;
    }
    const caller = callerFrom(req.headers);
    const target = resolveHost(this.#store, url.hostname, caller);
    if (target === undefined) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`weft outbound proxy: no Service ${url.hostname} (caller namespace ${caller.namespace})\n`);
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    const upstream = request({ host: target, port: url.port === '' ? 80 : Number(url.port), method: req.method, path: `${url.pathname}${url.search}`, headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (e: NodeJS.ErrnoException) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`weft outbound proxy: ${url.host}: ${e.code ?? e.message}\n`);
      else res.destroy();
    });
    req.pipe(upstream);
  }

  #tunnel(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const m = /^(.+):(\d+)$/.exec(req.url ?? '');
    const target = m ? resolveHost(this.#store, m[1].replace(/^\[|\]$/g, ''), callerFrom(req.headers)) : undefined;
    if (!m || target === undefined) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(m[2]), target, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => (socket.writable ? socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n') : socket.destroy()));
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  }
}
