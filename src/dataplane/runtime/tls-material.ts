/**
 * TLS material resolved once per snapshot: a CommonTlsContext's certificates and validation
 * context, with SDS secrets looked up by name and DataSources read (files, inline strings, base64
 * bytes, environment variables). Listener and cluster builders turn the result into secure
 * contexts; nothing here runs per connection.
 */
import { readFileSync } from 'node:fs';
import type {
  CertificateValidationContext,
  CommonTlsContext,
  DataSource,
  Secret,
  SubjectAltNameMatcher,
  TlsParameters,
  TlsProtocolVersion,
} from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import { err, ok, type Result } from '../../lib/result.ts';

export interface CertificateMaterial {
  readonly certPem: string;
  readonly keyPem: string;
  readonly passphrase?: string;
}

export interface ValidationMaterial {
  readonly trustedCaPem?: string;
  readonly crlPem?: string;
  readonly sanMatchers: readonly SubjectAltNameMatcher[];
  /** Lower-case hex without colons. */
  readonly certificateHashes: readonly string[];
  readonly spkiHashes: readonly string[];
  readonly acceptUntrusted: boolean;
}

export interface TlsMaterial {
  readonly certificates: readonly CertificateMaterial[];
  readonly validation: ValidationMaterial | undefined;
  readonly alpn: readonly string[];
  readonly minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list, or undefined for Node's defaults. */
  readonly ciphers: string | undefined;
  readonly ecdhCurve: string | undefined;
}

/** Reads a DataSource; files are read with the injected reader (tests and the runtime use fs). */
export type DataSourceReader = (source: DataSource) => Result<string, string>;

export const readDataSource: DataSourceReader = (source) => {
  switch (source.kind) {
    case 'inlineString':
      return ok(source.inlineString);
    case 'inlineBytes':
      return ok(Buffer.from(source.inlineBytes, 'base64').toString('latin1'));
    case 'filename':
      try {
        return ok(readFileSync(source.filename, 'latin1'));
      } catch (e) {
        return err(`cannot read ${source.filename}: ${(e as Error).message}`);
      }
    case 'environmentVariable': {
      const v = process.env[source.environmentVariable];
      return v === undefined ? err(`environment variable ${source.environmentVariable} is not set`) : ok(v);
    }
    default:
      return assertNever(source, 'data source');
  }
};

function tlsVersion(v: TlsProtocolVersion | undefined, fallback: TlsMaterial['minVersion']): TlsMaterial['minVersion'] {
  switch (v) {
    case undefined:
    case 'TLS_AUTO':
      return fallback;
    case 'TLSv1_0':
      return 'TLSv1';
    case 'TLSv1_1':
      return 'TLSv1.1';
    case 'TLSv1_2':
      return 'TLSv1.2';
    case 'TLSv1_3':
      return 'TLSv1.3';
    default:
      return assertNever(v, 'TLS version');
  }
}

function resolveValidation(v: CertificateValidationContext, read: DataSourceReader): Result<ValidationMaterial, string> {
  let trustedCaPem: string | undefined;
  let crlPem: string | undefined;
  if (v.trustedCa) {
    const r = read(v.trustedCa);
    if (!r.ok) return r;
    trustedCaPem = r.value;
  }
  if (v.crl) {
    const r = read(v.crl);
    if (!r.ok) return r;
    crlPem = r.value;
  }
  return ok({
    ...(trustedCaPem !== undefined ? { trustedCaPem } : {}),
    ...(crlPem !== undefined ? { crlPem } : {}),
    sanMatchers: v.matchTypedSubjectAltNames,
    certificateHashes: v.verifyCertificateHash.map((h) => h.replace(/:/g, '').toLowerCase()),
    spkiHashes: v.verifyCertificateSpki,
    acceptUntrusted: v.trustChainVerification === 'ACCEPT_UNTRUSTED',
  });
}

function secretOf(name: string, secrets: ReadonlyMap<string, Secret>): Result<Secret, string> {
  const s = secrets.get(name);
  return s ? ok(s) : err(`secret ${JSON.stringify(name)} does not exist`);
}

/** Resolves a CommonTlsContext against the snapshot's secrets. */
export function resolveTlsMaterial(
  ctx: CommonTlsContext,
  secrets: ReadonlyMap<string, Secret>,
  read: DataSourceReader = readDataSource,
): Result<TlsMaterial, string> {
  const certificates: CertificateMaterial[] = [];
  const certs = [...ctx.tlsCertificates];
  for (const sds of ctx.tlsCertificateSdsSecretConfigs) {
    const s = secretOf(sds.name, secrets);
    if (!s.ok) return s;
    if (s.value.type.kind !== 'tlsCertificate') return err(`secret ${JSON.stringify(sds.name)} is not a TLS certificate`);
    certs.push(s.value.type.tlsCertificate);
  }
  for (const c of certs) {
    const cert = read(c.certificateChain);
    if (!cert.ok) return cert;
    const key = read(c.privateKey);
    if (!key.ok) return key;
    let passphrase: string | undefined;
    if (c.password) {
      const p = read(c.password);
      if (!p.ok) return p;
      passphrase = p.value;
    }
    certificates.push({ certPem: cert.value, keyPem: key.value, ...(passphrase !== undefined ? { passphrase } : {}) });
  }
  let validation: ValidationMaterial | undefined;
  const vt = ctx.validationContextType;
  if (vt) {
    let vc: CertificateValidationContext;
    switch (vt.kind) {
      case 'validationContext':
        vc = vt.validationContext;
        break;
      case 'validationContextSdsSecretConfig':
      case 'combinedValidationContext': {
        const name = vt.kind === 'validationContextSdsSecretConfig' ? vt.validationContextSdsSecretConfig.name : vt.combinedValidationContext.validationContextSdsSecretConfig.name;
        const s = secretOf(name, secrets);
        if (!s.ok) return s;
        if (s.value.type.kind !== 'validationContext') return err(`secret ${JSON.stringify(name)} is not a validation context`);
        const fromSecret = s.value.type.validationContext;
        // Combined: the default context's matchers, the secret's trust anchors (Envoy merges them).
        vc = vt.kind === 'combinedValidationContext' ? { ...vt.combinedValidationContext.defaultValidationContext, ...pickTrust(fromSecret) } : fromSecret;
        break;
      }
      default:
        return assertNever(vt, 'validation context type');
    }
    const r = resolveValidation(vc, read);
    if (!r.ok) return r;
    validation = r.value;
  }
  const params: TlsParameters | undefined = ctx.tlsParams;
  return ok({
    certificates,
    validation,
    alpn: ctx.alpnProtocols,
    minVersion: tlsVersion(params?.tlsMinimumProtocolVersion, 'TLSv1.2'),
    maxVersion: tlsVersion(params?.tlsMaximumProtocolVersion, 'TLSv1.3'),
    ciphers: params && params.cipherSuites.length > 0 ? params.cipherSuites.join(':') : undefined,
    ecdhCurve: params && params.ecdhCurves.length > 0 ? params.ecdhCurves.join(':') : undefined,
  });
}

function pickTrust(v: CertificateValidationContext): Partial<CertificateValidationContext> {
  return { ...(v.trustedCa ? { trustedCa: v.trustedCa } : {}), ...(v.crl ? { crl: v.crl } : {}) };
}
