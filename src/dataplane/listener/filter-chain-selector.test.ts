import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FilterChainMatch } from '../../model/index.ts';
import { parseIp } from './cidr.ts';
import { FilterChainSelector, type ConnectionFacts } from './filter-chain-selector.ts';

function match(o: Partial<FilterChainMatch>): FilterChainMatch {
  return { prefixRanges: [], directSourcePrefixRanges: [], sourcePrefixRanges: [], sourcePorts: [], serverNames: [], applicationProtocols: [], ...o };
}

function facts(o: Partial<Omit<ConnectionFacts, 'localIp' | 'remoteIp'>> & { local?: string; remote?: string } = {}): ConnectionFacts {
  return {
    localPort: o.localPort ?? 443,
    localIp: parseIp(o.local ?? '127.0.0.1'),
    remoteIp: parseIp(o.remote ?? '127.0.0.1'),
    remotePort: o.remotePort ?? 50000,
    serverName: o.serverName ?? '',
    transportProtocol: o.transportProtocol ?? 'raw_buffer',
    applicationProtocols: o.applicationProtocols ?? [],
  };
}

test('server names: exact beats the longest wildcard, which beats a shorter one, which beats none', () => {
  const s = new FilterChainSelector(
    [
      { match: match({ serverNames: ['www.example.com'] }), value: 'exact' },
      { match: match({ serverNames: ['*.example.com'] }), value: 'wild' },
      { match: match({ serverNames: ['*.com'] }), value: 'com' },
      { match: match({}), value: 'any' },
    ],
    undefined,
  );
  assert.equal(s.select(facts({ serverName: 'www.example.com' })), 'exact');
  assert.equal(s.select(facts({ serverName: 'api.example.com' })), 'wild');
  assert.equal(s.select(facts({ serverName: 'a.b.example.com' })), 'wild');
  assert.equal(s.select(facts({ serverName: 'other.com' })), 'com');
  assert.equal(s.select(facts({ serverName: 'example.org' })), 'any');
  assert.equal(s.select(facts({})), 'any');
  assert.equal(s.needsClientHello, true);
});

test('a chosen criterion does not fall back when a later one fails', () => {
  // Envoy's documented example: SNI matches the first chain, whose transport protocol then fails.
  const s = new FilterChainSelector(
    [
      { match: match({ serverNames: ['foo.test'], transportProtocol: 'tls' }), value: 'tls-foo' },
      { match: match({}), value: 'any' },
    ],
    'default',
  );
  assert.equal(s.select(facts({ serverName: 'foo.test', transportProtocol: 'tls' })), 'tls-foo');
  assert.equal(s.select(facts({ serverName: 'foo.test', transportProtocol: 'raw_buffer' })), 'default');
});

test('destination port first, then transport protocol and ALPN', () => {
  const s = new FilterChainSelector(
    [
      { match: match({ destinationPort: 8443, transportProtocol: 'tls' }), value: 'port-tls' },
      { match: match({ transportProtocol: 'tls', applicationProtocols: ['h2'] }), value: 'tls-h2' },
      { match: match({ transportProtocol: 'tls' }), value: 'tls' },
      { match: match({ transportProtocol: 'raw_buffer' }), value: 'plain' },
    ],
    undefined,
  );
  assert.equal(s.select(facts({ localPort: 8443, transportProtocol: 'tls' })), 'port-tls');
  assert.equal(s.select(facts({ localPort: 8443, transportProtocol: 'raw_buffer' })), undefined);
  assert.equal(s.select(facts({ transportProtocol: 'tls', applicationProtocols: ['http/1.1', 'h2'] })), 'tls-h2');
  assert.equal(s.select(facts({ transportProtocol: 'tls', applicationProtocols: ['http/1.1'] })), 'tls');
  assert.equal(s.select(facts({ transportProtocol: 'raw_buffer' })), 'plain');
});

test('IP ranges: the longest prefix wins; source type and port', () => {
  const s = new FilterChainSelector(
    [
      { match: match({ sourcePrefixRanges: [{ addressPrefix: '127.0.0.0', prefixLen: 8 }] }), value: 'loop8' },
      { match: match({ sourcePrefixRanges: [{ addressPrefix: '127.1.0.0', prefixLen: 16 }] }), value: 'loop16' },
      { match: match({ sourcePrefixRanges: [{ addressPrefix: '::1', prefixLen: 128 }] }), value: 'v6' },
    ],
    'default',
  );
  assert.equal(s.select(facts({ remote: '127.0.0.9' })), 'loop8');
  assert.equal(s.select(facts({ remote: '127.1.2.3' })), 'loop16');
  assert.equal(s.select(facts({ remote: '::ffff:127.1.2.3' })), 'loop16');
  assert.equal(s.select(facts({ remote: '::1' })), 'v6');
  assert.equal(s.select(facts({ remote: '10.0.0.1' })), 'default');

  const t = new FilterChainSelector(
    [
      { match: match({ sourceType: 'SAME_IP_OR_LOOPBACK', sourcePorts: [1234] }), value: 'local-1234' },
      { match: match({ sourceType: 'EXTERNAL' }), value: 'external' },
    ],
    undefined,
  );
  assert.equal(t.select(facts({ remote: '127.0.0.1', remotePort: 1234 })), 'local-1234');
  assert.equal(t.select(facts({ remote: '127.0.0.1', remotePort: 999 })), undefined);
  assert.equal(t.select(facts({ remote: '192.0.2.1', local: '192.0.2.2' })), 'external');
  assert.equal(t.select(facts({ remote: '192.0.2.1', local: '192.0.2.1' })), undefined);
});

test('one catch-all chain needs no ClientHello; bad CIDRs are reported', () => {
  const invalid: string[] = [];
  const s = new FilterChainSelector([{ match: undefined, value: 'only' }], undefined, invalid);
  assert.equal(s.needsClientHello, false);
  assert.equal(s.select(facts({ serverName: 'x' })), 'only');
  new FilterChainSelector([{ match: match({ prefixRanges: [{ addressPrefix: 'nope', prefixLen: 8 }] }), value: 1 }], undefined, invalid);
  assert.deepEqual(invalid, ['nope/8']);
});
