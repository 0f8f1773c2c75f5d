/**
 * The defaults the API server gives every Service it stores (SetDefaults_Service in
 * k8s.io/kubernetes pkg/apis/core/v1/defaults.go, plus the single-stack IP family fields the
 * service REST storage sets). Applied to every write by the service admission hook, so that a
 * manifest that leaves them out compares equal to the stored object.
 */

/** Kubernetes' v1.DefaultClientIPServiceAffinitySeconds (3 hours). */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

type Spec = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function serviceTypeOf(spec: Spec): string {
  return typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'ClusterIP';
}

export function needsClusterIP(spec: Spec): boolean {
  return serviceTypeOf(spec) !== 'ExternalName';
}

export function needsNodePorts(spec: Spec): boolean {
  const t = serviceTypeOf(spec);
  return t === 'NodePort' || (t === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

export function needsHealthCheckNodePort(spec: Spec): boolean {
  return serviceTypeOf(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

function defaultPorts(spec: Spec): void {
  if (!Array.isArray(spec.ports)) return;
  for (const p of spec.ports) {
    if (!isObject(p)) continue;
    if (p.protocol === undefined || p.protocol === '') p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
}

function defaultSessionAffinity(spec: Spec): void {
  if (spec.sessionAffinity === undefined || spec.sessionAffinity === '') spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') {
    delete spec.sessionAffinityConfig;
  } else if (spec.sessionAffinity === 'ClientIP') {
    const cfg = isObject(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : {};
    const clientIP = isObject(cfg.clientIP) ? cfg.clientIP : {};
    if (clientIP.timeoutSeconds === undefined) clientIP.timeoutSeconds = DEFAULT_CLIENT_IP_AFFINITY_SECONDS;
    cfg.clientIP = clientIP;
    spec.sessionAffinityConfig = cfg;
  }
}

/** Applies the defaults to `spec` (a private, mutable copy). */
export function defaultServiceSpec(spec: Spec): void {
  defaultSessionAffinity(spec);
  if (spec.type === undefined || spec.type === '') spec.type = 'ClusterIP';
  defaultPorts(spec);
  const type = serviceTypeOf(spec);
  if ((type === 'NodePort' || type === 'LoadBalancer') && (spec.externalTrafficPolicy === undefined || spec.externalTrafficPolicy === '')) {
    spec.externalTrafficPolicy = 'Cluster';
  }
  if (spec.internalTrafficPolicy === undefined && type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  if (type !== 'ExternalName') {
    if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) spec.ipFamilyPolicy = 'SingleStack';
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  }
}
