import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kitchenSinkSecretsForTest } from './kitchen-sink-clusters.ts';
import { encodeSecret } from './tls.ts';

test('each secret type encodes to the hand-written Envoy JSON (Secret has no metadata: no sources)', () => {
  assert.deepEqual(kitchenSinkSecretsForTest().map(encodeSecret), [
    { name: 'demo/gateway-cert', tls_certificate: { certificate_chain: { inline_string: '-----BEGIN CERTIFICATE-----' }, private_key: { inline_bytes: 'a2V5' } } },
    {
      name: 'demo/ca',
      validation_context: {
        trusted_ca: { filename: '/certs/ca.crt' },
        verify_certificate_spki: ['NvqYIYSbgK2vCJpQhObf77vv+bQWtc5ek5RIOwPiC9A='],
        verify_certificate_hash: ['df6ff72fe9116521268f6f2dd4966f51df479883fe7037b39f75916ac3049d1a'],
        match_typed_subject_alt_names: [
          { san_type: 'DNS', matcher: { suffix: '.example.com' } },
          { san_type: 'EMAIL', matcher: { exact: 'ops@example.com' } },
          { san_type: 'IP_ADDRESS', matcher: { exact: '10.0.0.1' } },
          { san_type: 'URI', matcher: { contains: 'weft' } },
        ],
        crl: { filename: '/certs/ca.crl' },
        trust_chain_verification: 'ACCEPT_UNTRUSTED',
      },
    },
    { name: 'demo/token', generic_secret: { secret: { environment_variable: 'TOKEN' } } },
  ]);
});
