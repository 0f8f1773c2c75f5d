/**
 * An incremental HTTP/1.1 response reader for the fixed-rate load generator: finds where each
 * response on a keep-alive connection ends (Content-Length, chunked, or connection close) and its
 * status code. It does not keep bodies. It is deliberately small so that the generator's own cost
 * per response stays in the microseconds; anything it does not understand is reported as an error
 * (the connection is then dropped), never guessed at.
 */
import { assertNever } from '../../src/lib/assert-never.ts';

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const MAX_LINE_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);

type State = 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close';

/** What a response head says about the body that follows. */
export interface ResponseHead {
  readonly status: number;
  readonly contentLength: number | undefined;
  readonly chunked: boolean;
  readonly close: boolean;
}

/** Parses a response head (status line + header lines, without the final blank line). */
export function parseResponseHead(head: string): ResponseHead | string {
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]);
  if (!m) return `bad status line ${JSON.stringify(lines[0].slice(0, 40))}`;
  let contentLength: number | undefined;
  let chunked = false;
  let close = m[1] === '0';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0) return `bad header line ${JSON.stringify(line.slice(0, 40))}`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim().toLowerCase();
    if (name === 'content-length') {
      if (!/^\d+$/.test(value)) return `bad content-length ${JSON.stringify(value)}`;
      const n = Number(value);
      if (contentLength !== undefined && contentLength !== n) return 'conflicting content-length headers';
      contentLength = n;
    } else if (name === 'transfer-encoding') {
      const codings = value.split(',').map((s) => s.trim());
      chunked = codings[codings.length - 1] === 'chunked';
    } else if (name === 'connection') {
      const tokens = value.split(',').map((s) => s.trim());
      if (tokens.includes('close')) close = true;
      else if (tokens.includes('keep-alive')) close = false;
    }
  }
  return { status: Number(m[2]), contentLength: chunked ? undefined : contentLength, chunked, close };
}

export class HttpResponseReader {
  #state: State = 'head';
  #pending: Buffer = EMPTY;
  #remaining = 0;
  #head: ResponseHead | undefined;

  /** True between responses (nothing of a response has been read). */
  get idle(): boolean {
    return this.#state === 'head' && this.#pending.length === 0;
  }

  /** True once a response said `Connection: close` (or was HTTP/1.0): no further response comes. */
  get closing(): boolean {
    return this.#head?.close === true;
  }

  /**
   * Feeds bytes from the connection; `onResponse` is called once per complete response with its
   * status. Returns an error description when the bytes are not a response this reader accepts.
   */
  feed(chunk: Buffer, onResponse: (status: number) => void): string | undefined {
    const buf = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = EMPTY;
    let off = 0;
    while (off < buf.length) {
      switch (this.#state) {
        case 'head': {
          const end = buf.indexOf(CRLFCRLF, off);
          if (end < 0) return this.#keep(buf, off);
          const head = parseResponseHead(buf.toString('latin1', off, end));
          if (typeof head === 'string') return head;
          off = end + 4;
          this.#startBody(head, onResponse);
          break;
        }
        case 'body': {
          const take = Math.min(this.#remaining, buf.length - off);
          off += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#finish(onResponse);
          break;
        }
        case 'chunk-size': {
          const end = buf.indexOf(CRLF, off);
          if (end < 0) return this.#keep(buf, off);
          const m = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(buf.toString('latin1', off, end));
          if (!m) return 'bad chunk size line';
          off = end + 2;
          this.#remaining = Number.parseInt(m[1], 16);
          this.#state = this.#remaining === 0 ? 'trailers' : 'chunk-data';
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.#remaining, buf.length - off);
          off += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#state = 'chunk-end';
          break;
        }
        case 'chunk-end': {
          if (buf.length - off < 2) return this.#keep(buf, off);
          if (buf[off] !== 0x0d || buf[off + 1] !== 0x0a) return 'chunk data not followed by CRLF';
          off += 2;
          this.#state = 'chunk-size';
          break;
        }
        case 'trailers': {
          const end = buf.indexOf(CRLF, off);
          if (end < 0) return this.#keep(buf, off);
          const blank = end === off;
          off = end + 2;
          if (blank) this.#finish(onResponse);
          break;
        }
        case 'until-close':
          off = buf.length;
          break;
        default:
          return assertNever(this.#state, 'reader state');
      }
    }
    return undefined;
  }

  /** The peer closed the connection: completes a body delimited by the close. */
  end(onResponse: (status: number) => void): void {
    if (this.#state === 'until-close') this.#finish(onResponse);
  }

  #keep(buf: Buffer, off: number): string | undefined {
    if (buf.length - off > MAX_LINE_BYTES) return `no line end within ${MAX_LINE_BYTES} bytes`;
    this.#pending = Buffer.from(buf.subarray(off));
    return undefined;
  }

  #startBody(head: ResponseHead, onResponse: (status: number) => void): void {
    this.#head = head;
    if (head.status >= 100 && head.status < 200) {
      this.#state = 'head'; // an interim response: the final one follows
    } else if (head.status === 204 || head.status === 304) {
      this.#finish(onResponse);
    } else if (head.chunked) {
      this.#state = 'chunk-size';
    } else if (head.contentLength !== undefined) {
      this.#remaining = head.contentLength;
      if (head.contentLength === 0) this.#finish(onResponse);
      else this.#state = 'body';
    } else {
      this.#state = 'until-close';
    }
  }

  #finish(onResponse: (status: number) => void): void {
    this.#state = 'head';
    onResponse(this.#head?.status ?? 0);
  }
}
