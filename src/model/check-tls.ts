/** TLS checks: SDS secret references resolve, and a server context has a certificate. */
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import type { ReferenceIndex } from './check-route-configuration.ts';
import type { FieldPath, ResourceContext, SnapshotDiagnostics } from './snapshot-diagnostics.ts';
import type { CommonTlsContext, DownstreamTlsContext, SdsSecretConfig } from './tls.ts';

function checkSecretRef(sds: SdsSecretConfig, ctx: ResourceContext, path: FieldPath, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  if (index.secrets.has(sds.name)) return;
  out.error(ctx, [...path, 'name'], `secret ${JSON.stringify(sds.name)} does not exist`, DIAGNOSTIC_CODES.UNRESOLVED_REF, 'define a Secret of that name');
}

export function checkTlsSecretRefs(c: CommonTlsContext, ctx: ResourceContext, path: FieldPath, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  c.tlsCertificateSdsSecretConfigs.forEach((s, i) => checkSecretRef(s, ctx, [...path, 'tlsCertificateSdsSecretConfigs', i], index, out));
  const v = c.validationContextType;
  if (v?.kind === 'validationContextSdsSecretConfig') {
    checkSecretRef(v.validationContextSdsSecretConfig, ctx, [...path, 'validationContextSdsSecretConfig'], index, out);
  } else if (v?.kind === 'combinedValidationContext') {
    checkSecretRef(v.combinedValidationContext.validationContextSdsSecretConfig, ctx, [...path, 'combinedValidationContext', 'validationContextSdsSecretConfig'], index, out);
  }
}

/** Envoy refuses a server TLS context with no certificate ("No TLS certificates found for server context"). */
export function checkDownstreamTls(t: DownstreamTlsContext, ctx: ResourceContext, path: FieldPath, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  const c = t.commonTlsContext;
  if (c.tlsCertificates.length === 0 && c.tlsCertificateSdsSecretConfigs.length === 0) {
    out.error(ctx, [...path, 'commonTlsContext', 'tlsCertificates'], 'a downstream TLS context needs at least one certificate', DIAGNOSTIC_CODES.REQUIRED);
  }
  if (t.requireClientCertificate && !c.validationContextType) {
    out.error(ctx, [...path, 'requireClientCertificate'], 'require_client_certificate needs a validation context (trusted CA) to verify the client certificate');
  }
  checkTlsSecretRefs(c, ctx, [...path, 'commonTlsContext'], index, out);
}
