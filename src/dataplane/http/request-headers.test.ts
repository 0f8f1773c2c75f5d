import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newHttpConnectionManager, newRouteConfiguration } from '../../model/index.ts';
import { parseIp } from '../listener/cidr.ts';
import { resolveConnectionManagerSettings, type ConnectionManagerSettings } from './connection-manager-settings.ts';
import type { RequestHeaders } from './header-list.ts';
import { mutateRequestHeaders, type DownstreamConnection } from './request-headers.ts';

function settings(o: Parameters<typeof newHttpConnectionManager>[0] extends infer T ? Partial<T> : never = {}): ConnectionManagerSettings {
  return resolveConnectionManagerSettings(
    newHttpConnectionManager({ statPrefix: 's', routeSpecifier: { kind: 'routeConfig', routeConfig: newRouteConfiguration({ name: 'r', virtualHosts: [] }) }, ...o }),
  );
}

function conn(remote: string, o: Partial<DownstreamConnection> = {}): DownstreamConnection {
  return {
    id: 1,
    remoteAddress: remote,
    remotePort: 5000,
    remoteIp: parseIp(remote),
    localAddress: '10.1.1.1',
    localPort: 80,
    tls: false,
    serverName: '',
    peerCertificatePresented: false,
    peerCertificateValidated: false,
    filterChainName: undefined,
    remoteAddressString: `${remote}:5000`,
    localAddressString: '10.1.1.1:80',
    ...o,
  };
}

const ids = (): (() => string) => {
  let n = 0;
  return () => `id-${++n}`;
};

test('Envoy XFF and internal/edge decisions, as a table', () => {
  const cases: {
    name: string;
    s: Partial<Parameters<typeof newHttpConnectionManager>[0]>;
    remote: string;
    tls?: boolean;
    in: RequestHeaders;
    out: Record<string, string | undefined>;
    clientIp: string;
    internal: boolean;
  }[] = [
    {
      name: 'default: no XFF, external; x-forwarded-proto set; request id made',
      s: {},
      remote: '203.0.113.9',
      in: {},
      out: { 'x-forwarded-for': undefined, 'x-forwarded-proto': 'http', 'x-request-id': 'id-1', 'x-envoy-internal': undefined },
      clientIp: '203.0.113.9',
      internal: false,
    },
    {
      name: 'default: the last XFF entry is the client; one RFC 1918 entry is internal',
      s: {},
      remote: '203.0.113.9',
      in: { 'x-forwarded-for': '10.0.0.5', 'x-request-id': 'keep' },
      out: { 'x-forwarded-for': '10.0.0.5', 'x-envoy-internal': 'true', 'x-request-id': 'keep' },
      clientIp: '10.0.0.5',
      internal: true,
    },
    {
      name: 'use_remote_address: the peer is appended, x-forwarded-proto overwritten, edge request',
      s: { useRemoteAddress: true },
      remote: '203.0.113.9',
      tls: true,
      in: { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'http', 'x-request-id': 'spoofed', 'x-envoy-internal': 'true' },
      out: { 'x-forwarded-for': '1.2.3.4,203.0.113.9', 'x-forwarded-proto': 'https', 'x-envoy-external-address': '203.0.113.9', 'x-request-id': 'id-1', 'x-envoy-internal': undefined },
      clientIp: '203.0.113.9',
      internal: false,
    },
    {
      name: 'use_remote_address from an internal peer with no XFF: internal, id kept',
      s: { useRemoteAddress: true },
      remote: '10.9.9.9',
      in: { 'x-request-id': 'keep' },
      out: { 'x-forwarded-for': '10.9.9.9', 'x-envoy-internal': 'true', 'x-request-id': 'keep', 'x-envoy-external-address': undefined },
      clientIp: '10.9.9.9',
      internal: true,
    },
    {
      name: 'use_remote_address with one trusted hop: the client is the last XFF entry',
      s: { useRemoteAddress: true, xffNumTrustedHops: 1 },
      remote: '10.9.9.9',
      in: { 'x-forwarded-for': '198.51.100.1' },
      out: { 'x-forwarded-for': '198.51.100.1,10.9.9.9' },
      clientIp: '198.51.100.1',
      internal: false,
    },
    {
      name: 'skip_xff_append leaves XFF alone; a loopback peer appends the local address otherwise',
      s: { useRemoteAddress: true, skipXffAppend: true },
      remote: '127.0.0.1',
      in: { 'x-forwarded-for': '198.51.100.1' },
      out: { 'x-forwarded-for': '198.51.100.1' },
      clientIp: '127.0.0.1',
      internal: false,
    },
    {
      name: 'a loopback peer: XFF gets the listener address',
      s: { useRemoteAddress: true },
      remote: '127.0.0.1',
      in: {},
      out: { 'x-forwarded-for': '10.1.1.1', 'x-envoy-internal': 'true' },
      clientIp: '127.0.0.1',
      internal: true,
    },
    {
      name: 'preserve_external_request_id keeps an edge request id; via is appended',
      s: { useRemoteAddress: true, preserveExternalRequestId: true, via: 'weft' },
      remote: '203.0.113.9',
      in: { 'x-request-id': 'theirs', via: '1.1 other' },
      out: { 'x-request-id': 'theirs', via: '1.1 other,weft' },
      clientIp: '203.0.113.9',
      internal: false,
    },
    {
      name: 'x-forwarded-client-cert is sanitised by default',
      s: {},
      remote: '203.0.113.9',
      in: { 'x-forwarded-client-cert': 'By=spoofed' },
      out: { 'x-forwarded-client-cert': undefined },
      clientIp: '203.0.113.9',
      internal: false,
    },
  ];
  for (const c of cases) {
    const h: RequestHeaders = { ...c.in };
    const r = mutateRequestHeaders(h, settings(c.s), conn(c.remote, { tls: c.tls === true }), [], ids());
    for (const [k, v] of Object.entries(c.out)) assert.equal(h[k], v, `${c.name}: ${k}`);
    assert.equal(r.clientIp, c.clientIp, `${c.name}: client ip`);
    assert.equal(r.internal, c.internal, `${c.name}: internal`);
  }
});

test('internal_only_headers are dropped from external requests only', () => {
  const ext: RequestHeaders = { 'x-secret': 'a' };
  mutateRequestHeaders(ext, settings(), conn('203.0.113.9'), ['x-secret'], ids());
  assert.equal(ext['x-secret'], undefined);
  const int: RequestHeaders = { 'x-secret': 'a', 'x-forwarded-for': '10.0.0.1' };
  mutateRequestHeaders(int, settings(), conn('203.0.113.9'), ['x-secret'], ids());
  assert.equal(int['x-secret'], 'a');
});
