/**
 * TLS (envoy.extensions.transport_sockets.tls.v3): Downstream/UpstreamTlsContext, CommonTlsContext
 * and the SDS Secret resource.
 *
 * Ignored, with the reason:
 * - SdsSecretConfig `sds_config`: weft resolves a secret by name from the same snapshot (as Cilium
 *   fills in its own SDS source).
 * - DownstreamTlsContext `full_scan_certs_on_sni_mismatch`: a certificate-selection speed-up.
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import {
  secretName,
  type CertificateValidationContext,
  type CommonTlsContext,
  type DataSource,
  type DownstreamTlsContext,
  type SanType,
  type SdsSecretConfig,
  type Secret,
  type SecretType,
  type SourceRef,
  type SubjectAltNameMatcher,
  type TlsCertificate,
  type TlsParameters,
  type TlsProtocolVersion,
  type UpstreamTlsContext,
} from '../../model/index.ts';
import { compact, convertDataSource, enumIn } from './convert-common.ts';
import { convertStringMatcher } from './convert-matchers.ts';
import type { ProtoObject } from './proto-object.ts';

const TLS_VERSIONS: readonly TlsProtocolVersion[] = ['TLS_AUTO', 'TLSv1_0', 'TLSv1_1', 'TLSv1_2', 'TLSv1_3'];

function dataSource(o: ProtoObject, field: string): DataSource | undefined {
  const m = o.msg(field);
  return m ? convertDataSource(m) : undefined;
}

function convertTlsParameters(o: ProtoObject): TlsParameters {
  return compact({
    tlsMinimumProtocolVersion: enumIn(o, 'tls_minimum_protocol_version', TLS_VERSIONS, 'TLS version'),
    tlsMaximumProtocolVersion: enumIn(o, 'tls_maximum_protocol_version', TLS_VERSIONS, 'TLS version'),
    cipherSuites: o.strs('cipher_suites'),
    ecdhCurves: o.strs('ecdh_curves'),
  });
}

function convertTlsCertificate(o: ProtoObject): TlsCertificate | undefined {
  const certificateChain = dataSource(o, 'certificate_chain');
  const privateKey = dataSource(o, 'private_key');
  const password = dataSource(o, 'password');
  if (!certificateChain || !privateKey) {
    if (!o.has('pkcs12') && !o.has('private_key_provider')) {
      o.error(certificateChain ? 'private_key' : 'certificate_chain', DIAGNOSTIC_CODES.REQUIRED, 'a TLS certificate needs certificate_chain and private_key');
    }
    return undefined;
  }
  return compact({ certificateChain, privateKey, password });
}

function convertSds(o: ProtoObject): SdsSecretConfig {
  o.ignore('sds_config');
  return { name: secretName(o.str('name') ?? '') };
}

const SAN_TYPES: readonly SanType[] = ['DNS', 'EMAIL', 'URI', 'IP_ADDRESS', 'OTHER_NAME'];

function convertSanMatcher(o: ProtoObject): SubjectAltNameMatcher | undefined {
  const sanType = enumIn(o, 'san_type', SAN_TYPES, 'san_type');
  const m = o.msg('matcher');
  const matcher = m ? convertStringMatcher(m) : undefined;
  return sanType && matcher ? { sanType, matcher } : undefined;
}

function convertValidationContext(o: ProtoObject): CertificateValidationContext {
  const trust = o.enum('trust_chain_verification') as CertificateValidationContext['trustChainVerification'];
  return compact({
    trustedCa: dataSource(o, 'trusted_ca'),
    matchTypedSubjectAltNames: o.msgs('match_typed_subject_alt_names').map(convertSanMatcher).filter((m): m is SubjectAltNameMatcher => m !== undefined),
    verifyCertificateHash: o.strs('verify_certificate_hash'),
    verifyCertificateSpki: o.strs('verify_certificate_spki'),
    crl: dataSource(o, 'crl'),
    trustChainVerification: trust,
  });
}

function convertCommonTlsContext(o: ProtoObject | undefined): CommonTlsContext {
  if (!o) return { tlsCertificates: [], tlsCertificateSdsSecretConfigs: [], alpnProtocols: [] };
  const params = o.msg('tls_params');
  let validation: CommonTlsContext['validationContextType'];
  switch (o.oneof('validation_context_type')) {
    case 'validation_context': {
      const v = o.msg('validation_context');
      if (v) validation = { kind: 'validationContext', validationContext: convertValidationContext(v) };
      break;
    }
    case 'validation_context_sds_secret_config': {
      const v = o.msg('validation_context_sds_secret_config');
      if (v) validation = { kind: 'validationContextSdsSecretConfig', validationContextSdsSecretConfig: convertSds(v) };
      break;
    }
    case 'combined_validation_context': {
      const c = o.msg('combined_validation_context');
      const d = c?.msg('default_validation_context');
      const s = c?.msg('validation_context_sds_secret_config');
      if (d && s) {
        validation = {
          kind: 'combinedValidationContext',
          combinedValidationContext: { defaultValidationContext: convertValidationContext(d), validationContextSdsSecretConfig: convertSds(s) },
        };
      }
      break;
    }
    default:
      break;
  }
  return compact({
    tlsParams: params ? convertTlsParameters(params) : undefined,
    tlsCertificates: o.msgs('tls_certificates').map(convertTlsCertificate).filter((c): c is TlsCertificate => c !== undefined),
    tlsCertificateSdsSecretConfigs: o.msgs('tls_certificate_sds_secret_configs').map(convertSds),
    validationContextType: validation,
    alpnProtocols: o.strs('alpn_protocols'),
  });
}

export function convertDownstreamTlsContext(o: ProtoObject): DownstreamTlsContext {
  o.ignore('full_scan_certs_on_sni_mismatch');
  return compact({
    commonTlsContext: convertCommonTlsContext(o.msg('common_tls_context')),
    requireClientCertificate: o.bool('require_client_certificate'),
    requireSni: o.bool('require_sni'),
    sessionTimeoutMs: o.durationMs('session_timeout'),
    disableStatelessSessionResumption: o.bool('disable_stateless_session_resumption') || undefined,
  });
}

export function convertUpstreamTlsContext(o: ProtoObject): UpstreamTlsContext {
  return compact({
    commonTlsContext: convertCommonTlsContext(o.msg('common_tls_context')),
    sni: o.str('sni') || undefined,
    allowRenegotiation: o.bool('allow_renegotiation') || undefined,
    maxSessionKeys: o.num('max_session_keys'),
  });
}

export function convertSecret(o: ProtoObject, sources: readonly SourceRef[]): Secret | undefined {
  const name = o.str('name') ?? '';
  if (name === '') o.error('name', DIAGNOSTIC_CODES.REQUIRED, 'a Secret needs a name (TLS contexts refer to it by name)');
  let type: SecretType | undefined;
  switch (o.oneof('type')) {
    case 'tls_certificate': {
      const c = o.msg('tls_certificate');
      const cert = c ? convertTlsCertificate(c) : undefined;
      if (cert) type = { kind: 'tlsCertificate', tlsCertificate: cert };
      break;
    }
    case 'validation_context': {
      const v = o.msg('validation_context');
      if (v) type = { kind: 'validationContext', validationContext: convertValidationContext(v) };
      break;
    }
    case 'generic_secret': {
      const g = o.msg('generic_secret');
      const secret = g ? dataSource(g, 'secret') : undefined;
      if (secret) type = { kind: 'genericSecret', genericSecret: { secret } };
      break;
    }
    case undefined:
      o.error(undefined, DIAGNOSTIC_CODES.REQUIRED, 'a Secret needs one of tls_certificate, validation_context, generic_secret');
      break;
    default:
      // session_ticket_keys stays unread and is reported as unsupported.
      break;
  }
  if (!type || name === '') return undefined;
  return { name: secretName(name), type, sources };
}
