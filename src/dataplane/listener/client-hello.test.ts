import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import tls from 'node:tls';
import { parseClientHello } from './client-hello.ts';

/** The first bytes a real TLS client sends, captured on a plain TCP server. */
async function captureClientHello(options: tls.ConnectionOptions): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const got = new Promise<Buffer>((resolve) => {
      server.once('connection', (sock) => {
        const chunks: Buffer[] = [];
        sock.on('data', (c: Buffer) => {
          chunks.push(c);
          const all = Buffer.concat(chunks);
          if (parseClientHello(all, 65536).kind !== 'incomplete') {
            resolve(all);
            sock.destroy();
          }
        });
      });
    });
    const client = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options });
    client.on('error', () => {});
    const bytes = await got;
    client.destroy();
    return bytes;
  } finally {
    server.close();
  }
}

test('reads SNI and ALPN from a real client hello', async () => {
  const hello = await captureClientHello({ servername: 'Foo.Example.COM', ALPNProtocols: ['h2', 'http/1.1'] });
  assert.deepEqual(parseClientHello(hello, 65536), { kind: 'clientHello', serverName: 'foo.example.com', alpn: ['h2', 'http/1.1'] });
});

test('a client hello without SNI or ALPN has an empty name and no protocols', async () => {
  const hello = await captureClientHello({});
  assert.deepEqual(parseClientHello(hello, 65536), { kind: 'clientHello', serverName: '', alpn: [] });
});

test('every strict prefix of a client hello is incomplete', async () => {
  const hello = await captureClientHello({ servername: 'a.test' });
  for (let n = 1; n < hello.length; n++) {
    assert.equal(parseClientHello(hello.subarray(0, n), 65536).kind, 'incomplete', `prefix of ${n} bytes`);
  }
});

test('a client hello split over two records is reassembled', async () => {
  const hello = await captureClientHello({ servername: 'split.test', ALPNProtocols: ['http/1.1'] });
  const payload = hello.subarray(5, 5 + hello.readUInt16BE(3));
  const cut = 20;
  const rec = (p: Buffer): Buffer => Buffer.concat([Buffer.from([22, 3, 1, p.length >> 8, p.length & 255]), p]);
  const two = Buffer.concat([rec(payload.subarray(0, cut)), rec(payload.subarray(cut))]);
  assert.deepEqual(parseClientHello(two, 65536), { kind: 'clientHello', serverName: 'split.test', alpn: ['http/1.1'] });
  assert.equal(parseClientHello(two.subarray(0, 5 + cut + 3), 65536).kind, 'incomplete');
});

test('plain HTTP and the HTTP/2 preface are not TLS', () => {
  assert.equal(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n'), 65536).kind, 'notTls');
  assert.equal(parseClientHello(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), 65536).kind, 'notTls');
  assert.equal(parseClientHello(Buffer.from([22, 9]), 65536).kind, 'notTls');
});

test('a client hello larger than the peek limit is invalid, not incomplete forever', async () => {
  const hello = await captureClientHello({ servername: 'big.test' });
  const r = parseClientHello(hello.subarray(0, 100), 64);
  assert.equal(r.kind, 'invalid');
});

test('garbage inside a handshake record is invalid', () => {
  const body = Buffer.alloc(10, 0xff);
  const rec = Buffer.concat([Buffer.from([22, 3, 1, 0, body.length]), body]);
  assert.equal(parseClientHello(rec, 65536).kind, 'invalid');
});
