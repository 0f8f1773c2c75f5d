/**
 * Clients for data-plane tests: one-shot HTTP/1.1 requests (no connection reuse unless an agent
 * is given), HTTP/2 requests over a session, raw bytes over TCP (for malformed and smuggling
 * cases), and a minimal WebSocket client. Every wait ends on an event, with a deadline that fails
 * the test instead of hanging it.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';

export interface HttpResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
  readonly trailers: Record<string, string | string[] | undefined>;
}

export interface RequestOptions {
  readonly port: number;
  readonly host?: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  readonly agent?: http.Agent | false;
  readonly timeoutMs?: number;
}

/** One HTTP/1.1 request; resolves with the whole response. */
export function httpRequest(o: RequestOptions): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: o.host ?? '127.0.0.1', port: o.port, method: o.method ?? 'GET', path: o.path ?? '/', headers: o.headers, agent: o.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8'), trailers: res.trailers });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(o.timeoutMs ?? 10_000, () => req.destroy(new Error(`request ${o.path ?? '/'} timed out`)));
    req.on('error', reject);
    req.end(o.body);
  });
}

/** The JSON the test upstream answers with. */
export function jsonOf(r: HttpResult): { upstream: string; method: string; url: string; headers: Record<string, string>; bodyBytes: number; httpVersion: string } {
  return JSON.parse(r.text) as never;
}

/** An HTTP/2 request on an open session. */
export function h2Request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: string | Buffer,
): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: Buffer; text: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'GET', ':path': '/', ...headers });
    let head: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (head = h));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const b = Buffer.concat(chunks);
      resolve({ status: Number(head[':status']), headers: head, body: b, text: b.toString('utf8') });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

export interface RawResult {
  /** Everything the server sent, as latin1 text. */
  readonly data: string;
  /** The status code of the first response line, or 0. */
  readonly status: number;
  /** The server closed the connection. */
  readonly closed: boolean;
}

/**
 * Writes `bytes` on a new TCP connection and collects the answer until the server closes the
 * connection, or (when `untilResponse`) until one full response head has arrived; fails after
 * `timeoutMs`.
 */
export function rawExchange(port: number, bytes: string | Buffer, opts: { untilResponse?: boolean; timeoutMs?: number; host?: string } = {}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, opts.host ?? '127.0.0.1');
    let data = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve({ data, status: m ? Number(m[1]) : 0, closed });
      sock.destroy();
    };
    const timer = setTimeout(() => {
      done = true;
      sock.destroy();
      reject(new Error(`raw exchange timed out; got so far: ${JSON.stringify(data)}`));
    }, opts.timeoutMs ?? 5000);
    sock.on('data', (c: Buffer) => {
      data += c.toString('latin1');
      if (opts.untilResponse && data.includes('\r\n\r\n')) finish(false);
    });
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
    sock.write(bytes);
  });
}

/** Connects over TLS and resolves once the handshake is done. */
export function tlsConnect(port: number, options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, ...options }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Reads from a socket until `predicate(text so far)` holds. */
export function readUntil(sock: net.Socket | tls.TLSSocket, predicate: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      sock.off('data', onData);
      reject(new Error(`readUntil timed out; got ${JSON.stringify(text)}`));
    }, timeoutMs);
    const onData = (c: Buffer): void => {
      text += c.toString('utf8');
      if (predicate(text)) {
        clearTimeout(timer);
        sock.off('data', onData);
        resolve(text);
      }
    };
    sock.on('data', onData);
  });
}

/** A minimal RFC 6455 client: handshake, then masked text frames and their echoes. */
export class TestWebSocket {
  readonly #sock: net.Socket;
  #buf = Buffer.alloc(0);
  readonly #waiters: ((msg: string) => void)[] = [];
  readonly #messages: string[] = [];
  /** The 101 response head. */
  readonly responseHead: string;

  private constructor(sock: net.Socket, head: string, rest: Buffer) {
    this.#sock = sock;
    this.responseHead = head;
    sock.on('data', (c: Buffer) => this.#onData(c));
    if (rest.length > 0) this.#onData(rest);
  }

  static connect(port: number, path: string, host = 'example.test', address = '127.0.0.1'): Promise<TestWebSocket> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, address);
      const key = randomBytes(16).toString('base64');
      let got = Buffer.alloc(0);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`websocket handshake timed out: ${JSON.stringify(got.toString('latin1'))}`));
      }, 5000);
      const onData = (c: Buffer): void => {
        got = Buffer.concat([got, c]);
        const end = got.indexOf('\r\n\r\n');
        if (end < 0) return;
        clearTimeout(timer);
        sock.off('data', onData);
        const head = got.subarray(0, end).toString('latin1');
        const want = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        if (!head.startsWith('HTTP/1.1 101') || !head.toLowerCase().includes(`sec-websocket-accept: ${want.toLowerCase()}`)) {
          sock.destroy();
          reject(new Error(`bad websocket handshake: ${head}`));
          return;
        }
        resolve(new TestWebSocket(sock, head, got.subarray(end + 4)));
      };
      sock.on('data', onData);
      sock.on('error', reject);
      sock.write(
        `GET ${path} HTTP/1.1\r\nhost: ${host}\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: ${key}\r\nsec-websocket-version: 13\r\n\r\n`,
      );
    });
  }

  send(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.from([0x81, 0x80 | 126, len >> 8, len & 255]);
    const masked = Buffer.from(payload);
    for (let i = 0; i < len; i++) masked[i] ^= mask[i & 3];
    this.#sock.write(Buffer.concat([head, mask, masked]));
  }

  /** The next text message from the server. */
  receive(timeoutMs = 5000): Promise<string> {
    const ready = this.#messages.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('websocket receive timed out')), timeoutMs);
      this.#waiters.push((m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  }

  close(): void {
    this.#sock.destroy();
  }

  #onData(c: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, c]);
    for (;;) {
      if (this.#buf.length < 2) return;
      let len = this.#buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.#buf.length < 4) return;
        len = this.#buf.readUInt16BE(2);
        off = 4;
      }
      if (this.#buf.length < off + len) return;
      const msg = this.#buf.subarray(off, off + len).toString('utf8');
      this.#buf = this.#buf.subarray(off + len);
      const w = this.#waiters.shift();
      if (w) w(msg);
      else this.#messages.push(msg);
    }
  }
}
