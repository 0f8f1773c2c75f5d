import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpResponseReader, parseResponseHead } from './http-response-reader.ts';

/** Feeds `bytes` in pieces of `step` bytes; returns the statuses seen and the first error. */
function read(bytes: string, step = bytes.length): { statuses: number[]; error?: string; reader: HttpResponseReader } {
  const reader = new HttpResponseReader();
  const statuses: number[] = [];
  const buf = Buffer.from(bytes, 'latin1');
  for (let off = 0; off < buf.length; off += step) {
    const error = reader.feed(buf.subarray(off, off + step), (s) => statuses.push(s));
    if (error !== undefined) return { statuses, error, reader };
  }
  return { statuses, reader };
}

const CL = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello';
const CHUNKED = 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n';

test('a Content-Length response completes once its body is in, whatever the split', () => {
  for (let step = 1; step <= CL.length; step++) {
    const r = read(CL + CL, step);
    assert.deepEqual(r.statuses, [200, 200], `step ${step}`);
    assert.equal(r.error, undefined);
    assert.ok(r.reader.idle);
  }
});

test('a chunked response with extensions and trailers completes, whatever the split', () => {
  for (let step = 1; step <= CHUNKED.length; step++) {
    const r = read(CHUNKED + CL, step);
    assert.deepEqual(r.statuses, [201, 200], `step ${step}`);
    assert.equal(r.error, undefined);
  }
});

test('a partial body is not a response', () => {
  const r = read(CL.slice(0, -1));
  assert.deepEqual(r.statuses, []);
  assert.ok(!r.reader.idle);
});

test('204 and 304 have no body; an interim 100 is skipped', () => {
  const r = read('HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n');
  assert.deepEqual(r.statuses, [204, 304]);
});

test('a body without length ends with the connection, and the reader says so', () => {
  const r = read('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nsome bytes');
  assert.deepEqual(r.statuses, []);
  assert.ok(r.reader.closing);
  r.reader.end((s) => r.statuses.push(s));
  assert.deepEqual(r.statuses, [200]);
});

test('HTTP/1.0 and Connection: close mark the connection as closing', () => {
  assert.ok(read('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').reader.closing);
  assert.ok(read('HTTP/1.1 503 x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').reader.closing);
  assert.ok(!read(CL).reader.closing);
});

test('bytes that are not a response are refused, not guessed at', () => {
  assert.match(read('SSH-2.0-OpenSSH\r\n\r\n').error ?? '', /bad status line/);
  assert.match(read('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n').error ?? '', /conflicting/);
  assert.match(read('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n').error ?? '', /bad content-length/);
  assert.match(read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n').error ?? '', /bad chunk size/);
  assert.match(read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc').error ?? '', /CRLF/);
  assert.match(read(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}`).error ?? '', /no line end/);
});

test('parseResponseHead reads the framing headers case-insensitively', () => {
  assert.deepEqual(parseResponseHead('HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 12\r\nconnection: Keep-Alive'), {
    status: 200, contentLength: 12, chunked: false, close: false,
  });
  assert.deepEqual(parseResponseHead('HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 3'), {
    status: 502, contentLength: undefined, chunked: true, close: false,
  });
});
