/**
 * TLS (envoy.extensions.transport_sockets.tls.v3): the contexts of listeners and clusters, as
 * `transport_socket`s named `envoy.transport_sockets.tls`, and the SDS `Secret` resource. An SDS
 * reference names its secret and fetches it over ADS (see ADS_CONFIG_SOURCE).
 */
import { assertNever } from '../../lib/assert-never.ts';
import type {
  CertificateValidationContext,
  CommonTlsContext,
  DownstreamTlsContext,
  SdsSecretConfig,
  Secret,
  SubjectAltNameMatcher,
  TlsCertificate,
  TlsParameters,
  UpstreamTlsContext,
  ValidationContextType,
} from '../tls.ts';
import { ADS_CONFIG_SOURCE, ENVOY_TYPES, TLS_TRANSPORT_SOCKET_NAME, typed } from './any.ts';
import { encodeDataSource, encodeDataSourceOf } from './common.ts';
import { durationOf, enumName, flag, list, noOtherFields, obj, str, strings, type JsonObject } from './json.ts';
import { encodeStringMatcher } from './matchers.ts';

function encodeTlsParameters(p: TlsParameters): JsonObject {
  const { tlsMinimumProtocolVersion, tlsMaximumProtocolVersion, cipherSuites, ecdhCurves, ...rest } = p;
  noOtherFields(rest);
  return obj({
    tls_minimum_protocol_version: enumName(tlsMinimumProtocolVersion, 'TLS_AUTO'),
    tls_maximum_protocol_version: enumName(tlsMaximumProtocolVersion, 'TLS_AUTO'),
    cipher_suites: strings(cipherSuites),
    ecdh_curves: strings(ecdhCurves),
  });
}

function encodeTlsCertificate(c: TlsCertificate): JsonObject {
  const { certificateChain, privateKey, password, ...rest } = c;
  noOtherFields(rest);
  return obj({ certificate_chain: encodeDataSource(certificateChain), private_key: encodeDataSource(privateKey), password: encodeDataSourceOf(password) });
}

function encodeSds(s: SdsSecretConfig): JsonObject {
  const { name, ...rest } = s;
  noOtherFields(rest);
  return obj({ name: str(name), sds_config: ADS_CONFIG_SOURCE });
}

function encodeSanMatcher(m: SubjectAltNameMatcher): JsonObject {
  const { sanType, matcher, ...rest } = m;
  noOtherFields(rest);
  return { san_type: sanType, matcher: encodeStringMatcher(matcher) };
}

function encodeValidationContext(v: CertificateValidationContext): JsonObject {
  const { trustedCa, matchTypedSubjectAltNames, verifyCertificateHash, verifyCertificateSpki, crl, trustChainVerification, ...rest } = v;
  noOtherFields(rest);
  return obj({
    trusted_ca: encodeDataSourceOf(trustedCa),
    verify_certificate_spki: strings(verifyCertificateSpki),
    verify_certificate_hash: strings(verifyCertificateHash),
    match_typed_subject_alt_names: list(matchTypedSubjectAltNames, encodeSanMatcher),
    crl: encodeDataSourceOf(crl),
    trust_chain_verification: enumName(trustChainVerification, 'VERIFY_TRUST_CHAIN'),
  });
}

function encodeValidationContextType(v: ValidationContextType): JsonObject {
  switch (v.kind) {
    case 'validationContext':
      return { validation_context: encodeValidationContext(v.validationContext) };
    case 'validationContextSdsSecretConfig':
      return { validation_context_sds_secret_config: encodeSds(v.validationContextSdsSecretConfig) };
    case 'combinedValidationContext': {
      const { defaultValidationContext, validationContextSdsSecretConfig, ...rest } = v.combinedValidationContext;
      noOtherFields(rest);
      return {
        combined_validation_context: {
          default_validation_context: encodeValidationContext(defaultValidationContext),
          validation_context_sds_secret_config: encodeSds(validationContextSdsSecretConfig),
        },
      };
    }
    default:
      return assertNever(v, 'validation context kind');
  }
}

function encodeCommonTlsContext(c: CommonTlsContext): JsonObject {
  const { tlsParams, tlsCertificates, tlsCertificateSdsSecretConfigs, validationContextType, alpnProtocols, ...rest } = c;
  noOtherFields(rest);
  return obj({
    tls_params: tlsParams ? encodeTlsParameters(tlsParams) : undefined,
    tls_certificates: list(tlsCertificates, encodeTlsCertificate),
    tls_certificate_sds_secret_configs: list(tlsCertificateSdsSecretConfigs, encodeSds),
    ...(validationContextType ? encodeValidationContextType(validationContextType) : {}),
    alpn_protocols: strings(alpnProtocols),
  });
}

export function encodeDownstreamTlsContext(t: DownstreamTlsContext): JsonObject {
  const { commonTlsContext, requireClientCertificate, requireSni, sessionTimeoutMs, disableStatelessSessionResumption, ...rest } = t;
  noOtherFields(rest);
  return obj({
    common_tls_context: encodeCommonTlsContext(commonTlsContext),
    require_client_certificate: requireClientCertificate,
    require_sni: requireSni,
    // A oneof member; false is the same as unset, so only true is written.
    disable_stateless_session_resumption: flag(disableStatelessSessionResumption),
    session_timeout: durationOf(sessionTimeoutMs),
  });
}

export function encodeUpstreamTlsContext(t: UpstreamTlsContext): JsonObject {
  const { commonTlsContext, sni, allowRenegotiation, maxSessionKeys, ...rest } = t;
  noOtherFields(rest);
  return obj({
    common_tls_context: encodeCommonTlsContext(commonTlsContext),
    sni: str(sni),
    allow_renegotiation: flag(allowRenegotiation),
    max_session_keys: maxSessionKeys,
  });
}

/** envoy.config.core.v3.TransportSocket for a listener's filter chain. */
export function downstreamTransportSocket(t: DownstreamTlsContext): JsonObject {
  return { name: TLS_TRANSPORT_SOCKET_NAME, typed_config: typed(ENVOY_TYPES.downstreamTlsContext, encodeDownstreamTlsContext(t)) };
}

/** envoy.config.core.v3.TransportSocket for a cluster. */
export function upstreamTransportSocket(t: UpstreamTlsContext): JsonObject {
  return { name: TLS_TRANSPORT_SOCKET_NAME, typed_config: typed(ENVOY_TYPES.upstreamTlsContext, encodeUpstreamTlsContext(t)) };
}

/**
 * envoy.extensions.transport_sockets.tls.v3.Secret. Envoy's Secret has no `metadata`, so its
 * `sources` cannot be written into it (encodeSnapshot returns them beside the config).
 */
export function encodeSecret(s: Secret): JsonObject {
  const { name, type, sources: _sources, ...rest } = s;
  noOtherFields(rest);
  switch (type.kind) {
    case 'tlsCertificate':
      return obj({ name: str(name), tls_certificate: encodeTlsCertificate(type.tlsCertificate) });
    case 'validationContext':
      return obj({ name: str(name), validation_context: encodeValidationContext(type.validationContext) });
    case 'genericSecret': {
      const { secret, ...genericRest } = type.genericSecret;
      noOtherFields(genericRest);
      return obj({ name: str(name), generic_secret: { secret: encodeDataSource(secret) } });
    }
    default:
      return assertNever(type, 'secret type kind');
  }
}
