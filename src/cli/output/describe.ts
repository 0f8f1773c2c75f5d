/**
 * `weft describe`'s output: picks kubectl's describer for a kind (Pod, Service, Deployment,
 * EndpointSlice, Endpoints) or its generic one for every other kind, as kubectl's DescriberFor /
 * GenericDescriberFor do, and renders one object.
 */
import type { KindInfo } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/object.ts';
import { assertNever } from '../../lib/assert-never.ts';
import { describeDeployment } from './describe-deployment.ts';
import { describeEndpointSlice, describeEndpoints } from './describe-endpoints.ts';
import { describeGeneric } from './describe-generic.ts';
import { describePod } from './describe-pod.ts';
import { describeService } from './describe-service.ts';
import type { DescribeContext } from './describe-writer.ts';

export type DescriberKind = 'pod' | 'service' | 'deployment' | 'endpoint-slice' | 'endpoints' | 'generic';

/** An object with the related objects its describer shows (a Service's EndpointSlices). */
export type DescribeInput =
  | { readonly kind: 'pod'; readonly object: KubeObject }
  | { readonly kind: 'service'; readonly object: KubeObject; readonly endpointSlices: readonly KubeObject[] }
  | { readonly kind: 'deployment'; readonly object: KubeObject }
  | { readonly kind: 'endpoint-slice'; readonly object: KubeObject }
  | { readonly kind: 'endpoints'; readonly object: KubeObject }
  | { readonly kind: 'generic'; readonly object: KubeObject };

/** The label an EndpointSlice carries naming its Service (discovery.k8s.io/v1 LabelServiceName). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const DESCRIBERS: Readonly<Record<string, DescriberKind>> = {
  '/Pod': 'pod',
  '/Service': 'service',
  '/Endpoints': 'endpoints',
  'apps/Deployment': 'deployment',
  'discovery.k8s.io/EndpointSlice': 'endpoint-slice',
};

export function describerKindOf(info: KindInfo): DescriberKind {
  return DESCRIBERS[`${info.group}/${info.kind}`] ?? 'generic';
}

/** The text `kubectl describe` prints for one object (ends with a newline). */
export function describeObject(input: DescribeInput, ctx: DescribeContext): string {
  switch (input.kind) {
    case 'pod':
      return describePod(input.object, ctx);
    case 'service':
      return describeService(input.object, input.endpointSlices);
    case 'deployment':
      return describeDeployment(input.object, ctx);
    case 'endpoint-slice':
      return describeEndpointSlice(input.object);
    case 'endpoints':
      return describeEndpoints(input.object);
    case 'generic':
      return describeGeneric(input.object);
    default:
      return assertNever(input, 'describe input');
  }
}

/** kubectl joins the descriptions of several objects with two newlines. */
export function joinDescriptions(texts: readonly string[]): string {
  return texts.join('\n\n');
}
