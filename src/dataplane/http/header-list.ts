/**
 * Header maps on the hot path. Response headers are a flat list `[name, value, name, value, ...]`
 * with lower-case names (what node:http's writeHead takes as is, and what undici hands over as
 * raw buffers), so converting them costs one pass and no intermediate object. Request headers stay
 * Node's object (`IncomingHttpHeaders`), mutated in place, and become a flat list for undici once.
 *
 * Hop-by-hop headers (RFC 9110 §7.6.1, Envoy's conn_manager_utility): `connection`, `keep-alive`,
 * `proxy-connection`, `transfer-encoding`, `upgrade`, `te` (except `trailers`), and the headers
 * `connection` nominates, never cross the proxy; the codecs re-create what they need.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type HeaderList = string[];

export type RequestHeaders = IncomingHttpHeaders & { [name: string]: string | string[] | undefined };

export function headerListGet(list: HeaderList, name: string): string | undefined {
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
  return undefined;
}

export function headerListHas(list: HeaderList, name: string): boolean {
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return true;
  return false;
}

export function headerListRemove(list: HeaderList, name: string): void {
  let w = 0;
  for (let r = 0; r < list.length; r += 2) {
    if (list[r] === name) continue;
    if (w !== r) {
      list[w] = list[r];
      list[w + 1] = list[r + 1];
    }
    w += 2;
  }
  list.length = w;
}

/** Replaces every value of `name` with one (added at the end when absent). */
export function headerListSet(list: HeaderList, name: string, value: string): void {
  let found = -1;
  let w = 0;
  for (let r = 0; r < list.length; r += 2) {
    if (list[r] === name) {
      if (found >= 0) continue;
      found = w;
    }
    if (w !== r) {
      list[w] = list[r];
      list[w + 1] = list[r + 1];
    }
    w += 2;
  }
  list.length = w;
  if (found >= 0) list[found + 1] = value;
  else list.push(name, value);
}

const REQUEST_HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
  'host',
]);

const RESPONSE_HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/**
 * Request headers (Node's object, pseudo-headers possibly included for HTTP/2) → the flat list
 * sent upstream, without hop-by-hop headers and with `host` first. `te` survives only as
 * `trailers`. `dropped` are further names to leave out (Envoy's x-envoy-* control headers when
 * the request is not internal).
 */
export function toUpstreamHeaderList(headers: RequestHeaders, host: string, dropped: ReadonlySet<string> | undefined): HeaderList {
  const out: HeaderList = ['host', host];
  const conn = headers.connection;
  const nominated = conn !== undefined && typeof conn === 'string' && conn.includes(',') ? nominatedHeaders(conn) : singleNominated(conn);
  for (const name in headers) {
    const v = headers[name];
    if (v === undefined || name.charCodeAt(0) === 58 /* ':' */ || REQUEST_HOP_BY_HOP.has(name)) continue;
    if (nominated !== undefined && nominated.has(name)) continue;
    if (dropped !== undefined && name.startsWith('x-envoy-') && dropped.has(name)) continue;
    if (name === 'te') {
      if (typeof v === 'string' && v.toLowerCase().includes('trailers')) out.push('te', 'trailers');
      continue;
    }
    if (typeof v === 'string') out.push(name, v);
    else for (let i = 0; i < v.length; i++) out.push(name, v[i]);
  }
  return out;
}

function singleNominated(conn: string | string[] | undefined): ReadonlySet<string> | undefined {
  if (conn === undefined || typeof conn !== 'string') return undefined;
  const t = conn.trim().toLowerCase();
  if (t === '' || t === 'keep-alive' || t === 'close' || t === 'upgrade') return undefined;
  return new Set([t]);
}

function nominatedHeaders(conn: string): ReadonlySet<string> {
  const out = new Set<string>();
  for (const token of conn.split(',')) {
    const t = token.trim().toLowerCase();
    if (t !== '' && t !== 'close' && t !== 'keep-alive') out.add(t);
  }
  return out;
}

/**
 * undici's raw response headers (`[name, value, ...]` buffers) → a flat list with lower-case
 * names, hop-by-hop headers dropped (kept for an upgrade: the 101 needs `connection`/`upgrade`).
 */
export function fromUpstreamRawHeaders(raw: readonly Buffer[] | readonly string[] | null, upgrade: boolean): HeaderList {
  const out: HeaderList = [];
  if (raw === null) return out;
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i];
    const name = (typeof n === 'string' ? n : n.toString('latin1')).toLowerCase();
    if (!upgrade && RESPONSE_HOP_BY_HOP.has(name)) continue;
    const v = raw[i + 1];
    out.push(name, typeof v === 'string' ? v : v.toString('latin1'));
  }
  return out;
}

/** A flat list → the object HTTP/2's `respond()` takes (repeated names become arrays). */
export function headerListToObject(list: HeaderList, status: number): Record<string, string | string[] | number> {
  const out: Record<string, string | string[] | number> = { ':status': status };
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i];
    const prev = out[name];
    if (prev === undefined) out[name] = list[i + 1];
    else if (Array.isArray(prev)) prev.push(list[i + 1]);
    else out[name] = [String(prev), list[i + 1]];
  }
  return out;
}

/** HTTP/2 forbids connection-specific headers in responses (RFC 9113 §8.2.2). */
export function stripForHttp2(list: HeaderList): void {
  headerListRemove(list, 'connection');
  headerListRemove(list, 'keep-alive');
  headerListRemove(list, 'proxy-connection');
  headerListRemove(list, 'transfer-encoding');
  headerListRemove(list, 'upgrade');
}

/** Request header value as one string (several values joined with `,`, as Envoy matches them). */
export function requestHeaderValue(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name];
  return v === undefined ? undefined : typeof v === 'string' ? v : v.join(',');
}
