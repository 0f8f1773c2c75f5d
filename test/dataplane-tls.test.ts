// TLS on real sockets: termination with ALPN (h2 and http/1.1 on one port), SNI choosing the
// filter chain and certificate, TLS passthrough by SNI through tcp_proxy, and TLS to upstreams.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import https from 'node:https';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { DataPlane } from '../src/dataplane/index.ts';
import type { DownstreamTlsContext, FilterChain, UpstreamTlsContext } from '../src/model/index.ts';
import { hcmFilter, newFilterChain, newListener, secretName } from '../src/model/index.ts';
import { createTestPki, type TestCert, type TestPki } from './support/certs.ts';
import { h2Request, httpRequest, jsonOf, readUntil, tlsConnect } from './support/http-client.ts';
import {
  inlineHcm,
  prefixRoute,
  snapshotOf,
  startHttpsUpstream,
  startHttpUpstream,
  startTlsEchoUpstream,
  staticCluster,
  type Upstream,
} from './support/upstreams.ts';

function serverTls(cert: TestCert, alpn: string[] = []): DownstreamTlsContext {
  return {
    commonTlsContext: {
      tlsCertificates: [{ certificateChain: { kind: 'filename', filename: cert.certFile }, privateKey: { kind: 'filename', filename: cert.keyFile } }],
      tlsCertificateSdsSecretConfigs: [],
      alpnProtocols: alpn,
    },
  };
}

function httpsGet(port: number, servername: string, ca: string, path: string): Promise<{ status: number; body: string; cn: string; alpn: string }> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions & { ALPNProtocols: string[] } = { host: '127.0.0.1', port, path, servername, ca, agent: false, ALPNProtocols: ['http/1.1'], headers: { host: servername } };
    const req = https.request(options, (res) => {
      const sock = res.socket as tls.TLSSocket;
      const cn = String(sock.getPeerCertificate().subject.CN);
      const alpn = String(sock.alpnProtocol);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cn, alpn }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS', () => {
  let pki: TestPki;
  let plain: Upstream;
  let echoA: Upstream;
  let echoB: Upstream;
  let secure: Upstream;
  let dp: DataPlane;
  let terminatePort: number;
  let passthroughPort: number;
  let upstreamTlsPort: number;

  before(async () => {
    pki = createTestPki();
    const a = pki.issue('a.test');
    const b = pki.issue('b.test', ['b.test', '*.b.test']);
    plain = await startHttpUpstream('plain');
    echoA = await startTlsEchoUpstream('echo-a', pki.issue('a.internal'));
    echoB = await startTlsEchoUpstream('echo-b', pki.issue('b.internal'));
    secure = await startHttpsUpstream('secure', pki.issue('secure.internal'));
    const chainFor = (names: string[], cert: TestCert, body: string): FilterChain =>
      newFilterChain({
        filterChainMatch: { serverNames: names, prefixRanges: [], directSourcePrefixRanges: [], sourcePrefixRanges: [], sourcePorts: [], applicationProtocols: [] },
        transportSocket: serverTls(cert),
        filters: [
          hcmFilter(
            inlineHcm([
              { ...prefixRoute('/who', 'plain'), action: { kind: 'directResponse', directResponse: { status: 200, body: { kind: 'inlineString', inlineString: body } } } },
              prefixRoute('/', 'plain'),
            ]),
          ),
        ],
      });
    const passthrough = (name: string, cluster: string): FilterChain =>
      newFilterChain({
        filterChainMatch: { serverNames: [name], transportProtocol: 'tls', prefixRanges: [], directSourcePrefixRanges: [], sourcePrefixRanges: [], sourcePorts: [], applicationProtocols: [] },
        filters: [{ kind: 'tcpProxy', name: 'envoy.filters.network.tcp_proxy', typedConfig: { statPrefix: `pass_${cluster}`, clusterSpecifier: { kind: 'cluster', cluster: cluster as never }, accessLog: [] } }],
      });
    const upstreamTls: UpstreamTlsContext = {
      sni: 'secure.internal',
      commonTlsContext: {
        tlsCertificates: [],
        tlsCertificateSdsSecretConfigs: [],
        alpnProtocols: [],
        validationContextType: { kind: 'validationContextSdsSecretConfig', validationContextSdsSecretConfig: { name: secretName('test-ca') } },
      },
    };
    dp = new DataPlane();
    const applied = await dp.apply(
      snapshotOf({
        listeners: [
          newListener({
            name: 'terminate',
            address: { kind: 'socketAddress', address: '127.0.0.1', portValue: 0 },
            listenerFilters: [{ kind: 'tlsInspector', name: 'envoy.filters.listener.tls_inspector', typedConfig: {} }],
            filterChains: [chainFor(['a.test'], a, 'chain a'), chainFor(['b.test', '*.b.test'], b, 'chain b')],
          }),
          newListener({
            name: 'passthrough',
            address: { kind: 'socketAddress', address: '127.0.0.2', portValue: 0 },
            listenerFilters: [{ kind: 'tlsInspector', name: 'envoy.filters.listener.tls_inspector', typedConfig: {} }],
            filterChains: [passthrough('a.internal', 'echo-a'), passthrough('b.internal', 'echo-b')],
          }),
          newListener({
            name: 'to-tls-upstream',
            address: { kind: 'socketAddress', address: '127.0.0.3', portValue: 0 },
            filterChains: [newFilterChain({ filters: [hcmFilter(inlineHcm([prefixRoute('/', 'secure')]))] })],
          }),
        ],
        clusters: [
          staticCluster('plain', [plain.address]),
          staticCluster('echo-a', [echoA.address]),
          staticCluster('echo-b', [echoB.address]),
          staticCluster('secure', [secure.address], {
            transportSocket: upstreamTls,
            httpProtocolOptions: { upstreamProtocolOptions: { kind: 'autoConfig' } },
          }),
        ],
        secrets: [
          {
            name: secretName('test-ca'),
            type: { kind: 'validationContext', validationContext: { trustedCa: { kind: 'inlineString', inlineString: pki.caPem }, matchTypedSubjectAltNames: [], verifyCertificateHash: [], verifyCertificateSpki: [] } },
            sources: [],
          },
        ],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    terminatePort = dp.boundAddress('terminate')!.port;
    passthroughPort = dp.boundAddress('passthrough')!.port;
    upstreamTlsPort = dp.boundAddress('to-tls-upstream')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    await Promise.all([plain.close(), echoA.close(), echoB.close(), secure.close()]);
    pki.cleanup();
  });

  test('two SNI names pick two filter chains with two certificates', async () => {
    const a = await httpsGet(terminatePort, 'a.test', pki.caPem, '/who');
    assert.deepEqual([a.status, a.body, a.cn], [200, 'chain a', 'a.test']);
    const b = await httpsGet(terminatePort, 'b.test', pki.caPem, '/who');
    assert.deepEqual([b.status, b.body, b.cn], [200, 'chain b', 'b.test']);
    const wild = await httpsGet(terminatePort, 'x.b.test', pki.caPem, '/who');
    assert.deepEqual([wild.body, wild.cn], ['chain b', 'b.test']);
    assert.equal(a.alpn, 'http/1.1');
  });

  test('an unknown SNI matches no chain and the connection is closed', async () => {
    await assert.rejects(tlsConnect(terminatePort, { servername: 'c.test', ca: pki.caPem }));
    const counter = dp.stats.get(`listener.127.0.0.1_${terminatePort}.no_filter_chain_match`) as { value: number } | undefined;
    assert.ok(counter !== undefined && counter.value >= 1);
  });

  test('HTTP/2 over TLS by ALPN, proxied to an HTTP/1.1 upstream', async () => {
    const session = http2.connect(`https://127.0.0.1:${terminatePort}`, { servername: 'a.test', ca: pki.caPem });
    try {
      const r = await h2Request(session, { ':path': '/hello', ':authority': 'a.test' });
      assert.equal(r.status, 200);
      assert.equal((JSON.parse(r.text) as { upstream: string; url: string }).url, '/hello');
      assert.equal(r.headers.server, 'envoy');
      assert.equal((session.socket as tls.TLSSocket).alpnProtocol, 'h2');
    } finally {
      session.close();
    }
  });

  test('TLS passthrough by SNI: bytes go to the host the name selects, untouched', async () => {
    for (const [name, upstream] of [
      ['a.internal', 'echo-a'],
      ['b.internal', 'echo-b'],
    ] as const) {
      const s = await tlsConnect(passthroughPort, { host: '127.0.0.2', servername: name, ca: pki.caPem });
      try {
        assert.equal(s.getPeerCertificate().subject.CN, name, 'the upstream terminated TLS');
        const greeting = await readUntil(s, (t) => t.includes('\n'));
        assert.equal(greeting, `hello from ${upstream} sni=${name}\n`);
        s.write('ping through\n');
        assert.equal(await readUntil(s, (t) => t.includes('\n')), 'ping through\n');
      } finally {
        s.destroy();
      }
    }
  });

  test('TLS to the upstream with a trusted CA and ALPN (h2)', async () => {
    const r = await httpRequest({ host: '127.0.0.3', port: upstreamTlsPort, path: '/over-tls' });
    assert.equal(r.status, 200);
    const seen = jsonOf(r);
    assert.equal(seen.upstream, 'secure');
    assert.equal(seen.httpVersion, '2.0');
  });
});
