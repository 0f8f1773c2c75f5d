/**
 * TLS (envoy.extensions.transport_sockets.tls.v3): contexts for listeners (downstream) and
 * clusters (upstream), and the SDS `Secret` resource they can refer to by name.
 */
import type { DataSource } from './common.ts';
import type { SecretName } from './ids.ts';
import type { StringMatcher } from './matchers.ts';
import type { SourceRef } from './source-ref.ts';

export type TlsProtocolVersion = 'TLS_AUTO' | 'TLSv1_0' | 'TLSv1_1' | 'TLSv1_2' | 'TLSv1_3';

/** envoy.extensions.transport_sockets.tls.v3.TlsParameters. */
export interface TlsParameters {
  /** Default TLS_AUTO (= TLSv1_2 for both sides in current Envoy). */
  readonly tlsMinimumProtocolVersion?: TlsProtocolVersion;
  /** Default TLS_AUTO (= TLSv1_3). */
  readonly tlsMaximumProtocolVersion?: TlsProtocolVersion;
  /** OpenSSL cipher names; empty = Envoy's defaults. */
  readonly cipherSuites: readonly string[];
  readonly ecdhCurves: readonly string[];
}

/** envoy.extensions.transport_sockets.tls.v3.TlsCertificate. */
export interface TlsCertificate {
  readonly certificateChain: DataSource;
  readonly privateKey: DataSource;
  readonly password?: DataSource;
}

/** envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig (by name; no config source). */
export interface SdsSecretConfig {
  readonly name: SecretName;
}

export type SanType = 'DNS' | 'EMAIL' | 'URI' | 'IP_ADDRESS' | 'OTHER_NAME';

/** envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher. */
export interface SubjectAltNameMatcher {
  readonly sanType: SanType;
  readonly matcher: StringMatcher;
}

/** envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext. */
export interface CertificateValidationContext {
  /** Absent = the peer certificate is not verified against a CA. */
  readonly trustedCa?: DataSource;
  readonly matchTypedSubjectAltNames: readonly SubjectAltNameMatcher[];
  /** Hex SHA-256 fingerprints of accepted certificates. */
  readonly verifyCertificateHash: readonly string[];
  /** Base64 SHA-256 of accepted SubjectPublicKeyInfos. */
  readonly verifyCertificateSpki: readonly string[];
  readonly crl?: DataSource;
  /** Default VERIFY_TRUST_CHAIN. */
  readonly trustChainVerification?: 'VERIFY_TRUST_CHAIN' | 'ACCEPT_UNTRUSTED';
}

/** CommonTlsContext.validation_context_type. */
export type ValidationContextType =
  | { readonly kind: 'validationContext'; readonly validationContext: CertificateValidationContext }
  | { readonly kind: 'validationContextSdsSecretConfig'; readonly validationContextSdsSecretConfig: SdsSecretConfig }
  | {
      readonly kind: 'combinedValidationContext';
      readonly combinedValidationContext: {
        readonly defaultValidationContext: CertificateValidationContext;
        readonly validationContextSdsSecretConfig: SdsSecretConfig;
      };
    };

/** envoy.extensions.transport_sockets.tls.v3.CommonTlsContext. */
export interface CommonTlsContext {
  readonly tlsParams?: TlsParameters;
  readonly tlsCertificates: readonly TlsCertificate[];
  readonly tlsCertificateSdsSecretConfigs: readonly SdsSecretConfig[];
  readonly validationContextType?: ValidationContextType;
  /** ALPN protocols offered (upstream) or accepted in preference order (downstream). */
  readonly alpnProtocols: readonly string[];
}

/** envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext. */
export interface DownstreamTlsContext {
  readonly commonTlsContext: CommonTlsContext;
  /** Default false. */
  readonly requireClientCertificate?: boolean;
  /** Refuse handshakes without SNI. Default false. */
  readonly requireSni?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly disableStatelessSessionResumption?: boolean;
}

/** envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext. */
export interface UpstreamTlsContext {
  readonly commonTlsContext: CommonTlsContext;
  /** SNI sent upstream; absent = none (unless the cluster's HTTP options ask for auto SNI). */
  readonly sni?: string;
  readonly allowRenegotiation?: boolean;
  /** Default 1; 0 disables session resumption. */
  readonly maxSessionKeys?: number;
}

/** envoy.extensions.transport_sockets.tls.v3.GenericSecret. */
export interface GenericSecret {
  readonly secret: DataSource;
}

/** envoy.extensions.transport_sockets.tls.v3.Secret.type. */
export type SecretType =
  | { readonly kind: 'tlsCertificate'; readonly tlsCertificate: TlsCertificate }
  | { readonly kind: 'validationContext'; readonly validationContext: CertificateValidationContext }
  | { readonly kind: 'genericSecret'; readonly genericSecret: GenericSecret };

/** envoy.extensions.transport_sockets.tls.v3.Secret: a top-level (SDS) resource. */
export interface Secret {
  readonly name: SecretName;
  readonly type: SecretType;
  readonly sources: readonly SourceRef[];
}
