/**
 * The kinds weft serves (DESIGN.md "Objects weft serves"), with the names kubectl accepts for them.
 * This table is the single source for the CLI's kind resolution, the API server's REST paths and
 * the manifest loader's "unknown kind" diagnostic.
 */
export interface KindInfo {
  /** API group; '' for the core group. */
  readonly group: string;
  /** Served versions, preferred (storage) version first. */
  readonly versions: readonly string[];
  readonly kind: string;
  /** Lower-case plural used in REST paths (`services`). */
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
}

function k(
  group: string,
  versions: readonly string[],
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: readonly string[] = [],
): KindInfo {
  return { group, versions, kind, plural, singular: kind.toLowerCase(), shortNames, namespaced };
}

const GW = 'gateway.networking.k8s.io';
const CILIUM = 'cilium.io';
const ISTIO = 'networking.istio.io';

export const SERVED_KINDS: readonly KindInfo[] = [
  k('', ['v1'], 'Namespace', 'namespaces', false, ['ns']),
  k('', ['v1'], 'Service', 'services', true, ['svc']),
  k('', ['v1'], 'Secret', 'secrets', true),
  k('', ['v1'], 'ConfigMap', 'configmaps', true, ['cm']),
  k('', ['v1'], 'Pod', 'pods', true, ['po']),
  k('', ['v1'], 'ServiceAccount', 'serviceaccounts', true, ['sa']),
  k('', ['v1'], 'Endpoints', 'endpoints', true, ['ep']),
  k('', ['v1'], 'Node', 'nodes', false, ['no']),
  k('apps', ['v1'], 'Deployment', 'deployments', true, ['deploy']),
  k('discovery.k8s.io', ['v1'], 'EndpointSlice', 'endpointslices', true),
  k('networking.k8s.io', ['v1'], 'Ingress', 'ingresses', true, ['ing']),
  k('networking.k8s.io', ['v1'], 'IngressClass', 'ingressclasses', false),
  k('networking.k8s.io', ['v1'], 'NetworkPolicy', 'networkpolicies', true, ['netpol']),
  k(GW, ['v1', 'v1beta1'], 'GatewayClass', 'gatewayclasses', false, ['gc']),
  k(GW, ['v1', 'v1beta1'], 'Gateway', 'gateways', true, ['gtw']),
  k(GW, ['v1', 'v1beta1'], 'HTTPRoute', 'httproutes', true),
  k(GW, ['v1', 'v1alpha2'], 'GRPCRoute', 'grpcroutes', true),
  k(GW, ['v1beta1', 'v1'], 'ReferenceGrant', 'referencegrants', true, ['refgrant']),
  k(GW, ['v1alpha2', 'v1alpha3', 'v1'], 'TLSRoute', 'tlsroutes', true),
  k(GW, ['v1alpha2'], 'TCPRoute', 'tcproutes', true),
  k(CILIUM, ['v2', 'v2alpha1'], 'CiliumEnvoyConfig', 'ciliumenvoyconfigs', true, ['cec']),
  k(CILIUM, ['v2', 'v2alpha1'], 'CiliumClusterwideEnvoyConfig', 'ciliumclusterwideenvoyconfigs', false, ['ccec']),
  k(CILIUM, ['v2'], 'CiliumNetworkPolicy', 'ciliumnetworkpolicies', true, ['cnp', 'ciliumnp']),
  k(CILIUM, ['v2'], 'CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', false, [
    'ccnp',
  ]),
  k(CILIUM, ['v2', 'v2alpha1'], 'CiliumLoadBalancerIPPool', 'ciliumloadbalancerippools', false, [
    'ippools',
    'ippool',
    'lbippool',
    'lbippools',
  ]),
  k(CILIUM, ['v2alpha1'], 'CiliumL2AnnouncementPolicy', 'ciliuml2announcementpolicies', false, [
    'l2announcement',
  ]),
  k(ISTIO, ['v1', 'v1beta1', 'v1alpha3'], 'Gateway', 'gateways', true),
  k(ISTIO, ['v1', 'v1beta1', 'v1alpha3'], 'VirtualService', 'virtualservices', true, ['vs']),
  k(ISTIO, ['v1', 'v1beta1', 'v1alpha3'], 'DestinationRule', 'destinationrules', true, ['dr']),
];

/** `group/Kind` (core group: `Kind`) — the identity of a kind regardless of version. */
export function groupKind(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

const BY_GROUP_KIND = new Map<string, KindInfo>(SERVED_KINDS.map((i) => [groupKind(i.group, i.kind), i]));

export function kindInfo(group: string, kind: string): KindInfo | undefined {
  return BY_GROUP_KIND.get(groupKind(group, kind));
}

export function kindInfoByPlural(group: string, plural: string): KindInfo | undefined {
  return SERVED_KINDS.find((i) => i.group === group && i.plural === plural);
}

/** `apiVersion kind` pairs, for the "unknown kind" diagnostic. */
export function servedKindList(): string[] {
  return SERVED_KINDS.map((i) => `${i.group === '' ? i.versions[0] : `${i.group}/${i.versions[0]}`} ${i.kind}`);
}

/**
 * Resolves a kind the way kubectl does: plural, singular, short name or Kind, optionally qualified
 * by group (`gateways.gateway.networking.k8s.io`, `gateway.networking.istio.io`). An ambiguous bare
 * name (Gateway exists in two groups) resolves to the Gateway API one, as kubectl's discovery
 * order would with both CRDs installed.
 */
export function resolveKind(name: string): KindInfo | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const matches = SERVED_KINDS.filter(
    (i) =>
      (group === undefined || i.group === group || i.group.startsWith(`${group}.`)) &&
      (i.plural === base || i.singular === base || i.kind.toLowerCase() === base || i.shortNames.includes(base)),
  );
  if (matches.length === 0) return undefined;
  return matches.find((i) => i.group === GW) ?? matches[0];
}
