/**
 * The JSON echo of a request that the Gateway API conformance echo server (`echo-basic`) prints,
 * field for field: `path` (the request-target), `host`, `method`, `proto`, `headers` (Go's
 * canonical names, each with its list of values, `Host` left out), `namespace`, `ingress`,
 * `service`, `pod`, `sni`. Serialised as Go's `json.MarshalIndent(v, "", " ")` does: one-space
 * indent, map keys sorted, `<`, `>` and `&` escaped.
 */
import type { AppRequest } from '../http/exchange.ts';
import { canonicalHeaderKey } from '../http/go-header.ts';

export interface EchoContext {
  readonly namespace: string;
  readonly ingress: string;
  readonly service: string;
  readonly pod: string;
}

/** The request's headers as Go's `http.Header` holds them: canonical names, values in arrival order, no Host. */
export function goHeaders(req: AppRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const key = canonicalHeaderKey(req.rawHeaders[i]);
    if (key === 'Host') continue;
    (out[key] ??= []).push(req.rawHeaders[i + 1]);
  }
  const sorted: Record<string, string[]> = {};
  for (const k of Object.keys(out).sort()) sorted[k] = out[k];
  return sorted;
}

/** `JSON.stringify` with Go's HTML-safe escaping of `<`, `>`, `&`, U+2028 and U+2029. */
export function goJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function echoDocument(req: AppRequest, context: EchoContext): Record<string, unknown> {
  return {
    path: req.target,
    host: req.authority,
    method: req.method,
    proto: `HTTP/${req.httpVersion === '2.0' ? '2.0' : req.httpVersion}`,
    headers: goHeaders(req),
    namespace: context.namespace,
    ingress: context.ingress,
    service: context.service,
    pod: context.pod,
    sni: '',
  };
}

/** The context echo-basic reads from its environment, falling back to the Pod's own identity. */
export function echoContext(env: Readonly<Record<string, string>>, podName: string, namespace: string): EchoContext {
  return {
    namespace: env.NAMESPACE || env.POD_NAMESPACE || namespace,
    ingress: env.INGRESS_NAME ?? '',
    service: env.SERVICE_NAME ?? '',
    pod: env.POD_NAME || podName,
  };
}
