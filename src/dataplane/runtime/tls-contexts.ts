/**
 * Builds the TLS objects the data plane uses, once per snapshot: a downstream filter chain's
 * secure context (certificates, ALPN, client-certificate checks) and a cluster's upstream
 * connection options (trust, client certificate, SNI, SAN checks). Envoy's verification rules:
 * a peer certificate is verified only when a validation context has a trusted CA (unless
 * ACCEPT_UNTRUSTED), then its SANs, certificate hash and SPKI pins are checked when given; the
 * host name is not compared unless a SAN matcher says so.
 */
import { createHash, X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { DownstreamTlsContext, SanType, UpstreamTlsContext } from '../../model/index.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { compileStringMatcher, type ValuePredicate } from '../routing/index.ts';
import type { DownstreamTls } from '../listener/downstream-tls.ts';
import type { TlsMaterial, ValidationMaterial } from './tls-material.ts';

interface SanCheck {
  readonly type: SanType;
  readonly test: ValuePredicate;
}

/** A compiled peer certificate check (after the chain is trusted). */
export type PeerCheck = (cert: tls.PeerCertificate) => string | undefined;

const SAN_PREFIX: Readonly<Record<SanType, string>> = {
  DNS: 'DNS:',
  EMAIL: 'email:',
  URI: 'URI:',
  IP_ADDRESS: 'IP Address:',
  OTHER_NAME: 'othername:',
};

function sansOf(cert: tls.PeerCertificate, type: SanType): string[] {
  const text = cert.subjectaltname ?? '';
  if (text === '') return [];
  const prefix = SAN_PREFIX[type];
  const out: string[] = [];
  for (const part of text.split(', ')) if (part.startsWith(prefix)) out.push(part.slice(prefix.length));
  return out;
}

/** Compiles SAN matchers and pins; undefined when there is nothing to check. */
export function compilePeerCheck(v: ValidationMaterial): Result<PeerCheck | undefined, string> {
  const sans: SanCheck[] = [];
  for (const m of v.sanMatchers) {
    const p = compileStringMatcher(m.matcher);
    if (!p.ok) return err(p.error);
    sans.push({ type: m.sanType, test: p.value });
  }
  const hashes = new Set(v.certificateHashes);
  const spkis = new Set(v.spkiHashes);
  if (sans.length === 0 && hashes.size === 0 && spkis.size === 0) return ok(undefined);
  return ok((cert) => {
    if (sans.length > 0 && !sans.some((s) => sansOf(cert, s.type).some((value) => s.test(value)))) {
      return 'the peer certificate has no subject alt name that matches';
    }
    if (hashes.size > 0 && !hashes.has((cert.fingerprint256 ?? '').replace(/:/g, '').toLowerCase())) {
      return 'the peer certificate hash is not in verify_certificate_hash';
    }
    if (spkis.size > 0) {
      const spki = cert.raw ? createHash('sha256').update(new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' })).digest('base64') : '';
      if (!spkis.has(spki)) return 'the peer public key is not in verify_certificate_spki';
    }
    return undefined;
  });
}

function secureContextOptions(m: TlsMaterial): tls.SecureContextOptions {
  return {
    cert: m.certificates.map((c) => c.certPem),
    key: m.certificates.map((c) => (c.passphrase !== undefined ? { pem: c.keyPem, passphrase: c.passphrase } : c.keyPem)),
    ...(m.validation?.trustedCaPem !== undefined ? { ca: m.validation.trustedCaPem } : {}),
    ...(m.validation?.crlPem !== undefined ? { crl: m.validation.crlPem } : {}),
    minVersion: m.minVersion,
    maxVersion: m.maxVersion,
    ...(m.ciphers !== undefined ? { ciphers: m.ciphers } : {}),
    ...(m.ecdhCurve !== undefined ? { ecdhCurve: m.ecdhCurve } : {}),
  };
}

/** A downstream filter chain's TLS termination. */
export function buildDownstreamTls(ctx: DownstreamTlsContext, m: TlsMaterial): Result<DownstreamTls, string> {
  let secureContext: tls.SecureContext;
  try {
    secureContext = tls.createSecureContext(secureContextOptions(m));
  } catch (e) {
    return err(`cannot load the TLS certificate: ${(e as Error).message}`);
  }
  const verify = m.validation !== undefined && m.validation.trustedCaPem !== undefined;
  let peerCheck: PeerCheck | undefined;
  if (m.validation) {
    const c = compilePeerCheck(m.validation);
    if (!c.ok) return err(c.error);
    peerCheck = c.value;
  }
  return ok({
    secureContext,
    // Envoy's default ALPN for an HCM chain is set by the listener builder when empty.
    alpnProtocols: m.alpn,
    requestCert: verify || ctx.requireClientCertificate === true,
    requireClientCertificate: ctx.requireClientCertificate === true,
    rejectUntrusted: verify && !(m.validation?.acceptUntrusted ?? false),
    peerCheck,
    requireSni: ctx.requireSni === true,
  });
}

/** A cluster's upstream TLS, as options for tls.connect (via undici's connector). */
export function buildUpstreamTlsOptions(ctx: UpstreamTlsContext, m: TlsMaterial): Result<tls.ConnectionOptions, string> {
  const client = m.certificates[0];
  const verify = m.validation?.trustedCaPem !== undefined && !m.validation.acceptUntrusted;
  let peerCheck: PeerCheck | undefined;
  if (m.validation) {
    const c = compilePeerCheck(m.validation);
    if (!c.ok) return err(c.error);
    peerCheck = c.value;
  }
  const check = peerCheck;
  return ok({
    ...(ctx.sni ? { servername: ctx.sni } : {}),
    ...(m.validation?.trustedCaPem !== undefined ? { ca: m.validation.trustedCaPem } : {}),
    ...(client ? { cert: client.certPem, key: client.keyPem, ...(client.passphrase !== undefined ? { passphrase: client.passphrase } : {}) } : {}),
    minVersion: m.minVersion,
    maxVersion: m.maxVersion,
    ...(m.ciphers !== undefined ? { ciphers: m.ciphers } : {}),
    ...(m.ecdhCurve !== undefined ? { ecdhCurve: m.ecdhCurve } : {}),
    rejectUnauthorized: verify,
    // Envoy compares no host name by default; SAN matchers and pins replace the check.
    checkServerIdentity: (_host: string, cert: tls.PeerCertificate): Error | undefined => {
      const problem = check?.(cert);
      return problem === undefined ? undefined : new Error(problem);
    },
  });
}
