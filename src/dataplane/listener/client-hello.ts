/**
 * Reads the server name (SNI) and ALPN protocols out of a TLS ClientHello, from the first bytes a
 * client sends, without consuming them: Envoy's `tls_inspector` listener filter. The handshake
 * message may span several TLS records (and several TCP segments), so the caller feeds the bytes
 * received so far and gets `incomplete` until the whole ClientHello is there.
 *
 * Layout (RFC 8446 §4.1.2, RFC 6066 §3, RFC 7301 §3.1): records `type(1)=22 version(2) length(2)`;
 * handshake `type(1)=1 length(3)`; ClientHello `version(2) random(32) session_id<1> cipher_suites<2>
 * compression_methods<1> extensions<2>`; extension `type(2) length(2) data`; server_name (0) holds
 * `list<2> { name_type(1)=0 host_name<2> }`; ALPN (16) holds `list<2> { protocol<1> }`.
 */

export type ClientHelloResult =
  /** Need more bytes to decide. */
  | { readonly kind: 'incomplete' }
  /** The bytes are not a TLS handshake (Envoy's transport protocol `raw_buffer`). */
  | { readonly kind: 'notTls' }
  /** A TLS record, but the ClientHello could not be read (too large, or malformed). */
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'clientHello'; readonly serverName: string; readonly alpn: readonly string[] };

const INCOMPLETE: ClientHelloResult = Object.freeze({ kind: 'incomplete' });
const NOT_TLS: ClientHelloResult = Object.freeze({ kind: 'notTls' });

const RECORD_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;
/** A TLS record's payload is at most 2^14 bytes (plus expansion we do not expect in plaintext). */
const MAX_RECORD = 16384 + 2048;

/**
 * Parses the ClientHello from `data` (the bytes received so far). `maxBytes` bounds how much the
 * caller will wait for: a ClientHello that does not fit is `invalid` (Envoy's
 * `client_hello_too_large`).
 */
export function parseClientHello(data: Buffer, maxBytes: number): ClientHelloResult {
  if (data.length === 0) return INCOMPLETE;
  if (data[0] !== RECORD_HANDSHAKE) return NOT_TLS;
  if (data.length >= 2 && data[1] !== 3) return NOT_TLS;
  // Reassemble the handshake message from the records' payloads.
  const fragments: Buffer[] = [];
  let have = 0;
  let need = -1;
  let off = 0;
  for (;;) {
    if (data.length < off + 5) return data.length >= maxBytes ? invalid('client hello too large') : INCOMPLETE;
    if (data[off] !== RECORD_HANDSHAKE) return invalid('unexpected record type inside the client hello');
    const len = data.readUInt16BE(off + 3);
    if (len === 0 || len > MAX_RECORD) return invalid('bad record length');
    if (data.length < off + 5 + len) return off + 5 + len > maxBytes ? invalid('client hello too large') : INCOMPLETE;
    const payload = data.subarray(off + 5, off + 5 + len);
    fragments.push(payload);
    have += payload.length;
    off += 5 + len;
    if (need < 0 && have >= 4) {
      const head = fragments.length === 1 ? fragments[0] : Buffer.concat(fragments);
      if (head[0] !== HANDSHAKE_CLIENT_HELLO) return invalid('the first handshake message is not a client hello');
      need = 4 + head.readUIntBE(1, 3);
      if (need > maxBytes) return invalid('client hello too large');
    }
    if (need >= 0 && have >= need) break;
  }
  const msg = fragments.length === 1 ? fragments[0] : Buffer.concat(fragments);
  return readClientHello(msg.subarray(4, need));
}

function invalid(reason: string): ClientHelloResult {
  return { kind: 'invalid', reason };
}

/** Reads the body of a ClientHello handshake message. */
function readClientHello(b: Buffer): ClientHelloResult {
  let p = 2 + 32; // client_version, random
  if (b.length < p + 1) return invalid('truncated client hello');
  p += 1 + b[p]; // session_id
  if (b.length < p + 2) return invalid('truncated client hello');
  p += 2 + b.readUInt16BE(p); // cipher_suites
  if (b.length < p + 1) return invalid('truncated client hello');
  p += 1 + b[p]; // compression_methods
  if (p === b.length) return { kind: 'clientHello', serverName: '', alpn: [] }; // no extensions
  if (b.length < p + 2) return invalid('truncated client hello');
  const end = p + 2 + b.readUInt16BE(p);
  if (end > b.length) return invalid('extensions overrun the client hello');
  p += 2;
  let serverName = '';
  let alpn: string[] = [];
  while (p + 4 <= end) {
    const type = b.readUInt16BE(p);
    const len = b.readUInt16BE(p + 2);
    const data = p + 4;
    if (data + len > end) return invalid('an extension overruns the client hello');
    if (type === EXT_SERVER_NAME) {
      const name = readServerName(b, data, data + len);
      if (name === undefined) return invalid('malformed server_name extension');
      serverName = name;
    } else if (type === EXT_ALPN) {
      const list = readAlpn(b, data, data + len);
      if (list === undefined) return invalid('malformed ALPN extension');
      alpn = list;
    }
    p = data + len;
  }
  return { kind: 'clientHello', serverName, alpn };
}

function readServerName(b: Buffer, p: number, end: number): string | undefined {
  if (p + 2 > end) return undefined;
  const listEnd = p + 2 + b.readUInt16BE(p);
  if (listEnd > end) return undefined;
  p += 2;
  while (p + 3 <= listEnd) {
    const nameType = b[p];
    const len = b.readUInt16BE(p + 1);
    if (p + 3 + len > listEnd) return undefined;
    // host_name (0) is the only type defined; names are ASCII and compared case-insensitively.
    if (nameType === 0) return b.toString('latin1', p + 3, p + 3 + len).toLowerCase();
    p += 3 + len;
  }
  return '';
}

function readAlpn(b: Buffer, p: number, end: number): string[] | undefined {
  if (p + 2 > end) return undefined;
  const listEnd = p + 2 + b.readUInt16BE(p);
  if (listEnd > end) return undefined;
  p += 2;
  const out: string[] = [];
  while (p < listEnd) {
    const len = b[p];
    if (len === 0 || p + 1 + len > listEnd) return undefined;
    out.push(b.toString('latin1', p + 1, p + 1 + len));
    p += 1 + len;
  }
  return out;
}
