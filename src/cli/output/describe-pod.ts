/**
 * kubectl's Pod describer (describePod in k8s.io/kubectl pkg/describe/describe.go), field for field.
 * A Pod weft cannot run is Pending with status.reason/message (controllers/pod-status.ts), which
 * print as `Reason:` and `Message:` under `Status:`, and its container shows `Waiting` with the
 * same reason.
 */
import type { KubeObject } from '../../api/object.ts';
import { describeContainers } from './describe-containers.ts';
import type { Container, ContainerStatus, FieldResolver } from './describe-containers.ts';
import { podQosClass } from './describe-quantity.ts';
import { describeVolumes } from './describe-volumes.ts';
import type { Volume } from './describe-volumes.ts';
import {
  controllerOf,
  describeNoEvents,
  formatRfc1123z,
  PrefixWriter,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTolerationsMultiline,
  timestampSince,
} from './describe-writer.ts';
import type { DescribeContext, Toleration } from './describe-writer.ts';
import { formatLabelSelector } from './kube-format.ts';

export interface TopologySpreadConstraint {
  readonly topologyKey?: string;
  readonly whenUnsatisfiable?: string;
  readonly maxSkew?: number;
  readonly labelSelector?: unknown;
}

export interface PodSpec {
  readonly priority?: number;
  readonly priorityClassName?: string;
  readonly runtimeClassName?: string;
  readonly serviceAccountName?: string;
  readonly nodeName?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly readinessGates?: readonly { readonly conditionType: string }[];
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  readonly securityContext?: { readonly seccompProfile?: { readonly type?: string; readonly localhostProfile?: string } };
}

interface PodStatus {
  readonly phase?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly hostIP?: string;
  readonly podIP?: string;
  readonly podIPs?: readonly { readonly ip: string }[];
  readonly startTime?: string;
  readonly nominatedNodeName?: string;
  readonly qosClass?: string;
  readonly conditions?: readonly { readonly type: string; readonly status: string }[];
  readonly containerStatuses?: readonly ContainerStatus[];
  readonly initContainerStatuses?: readonly ContainerStatus[];
}

function objectOr<T>(v: unknown): T {
  return (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as T;
}

/** describeTopologySpreadConstraints: one line per constraint, sorted by topology key. */
export function describeTopologySpreadConstraints(list: readonly TopologySpreadConstraint[] | undefined, w: PrefixWriter, space: string): void {
  if (!list || list.length === 0) return;
  const sorted = [...list].sort((a, b) => ((a.topologyKey ?? '') < (b.topologyKey ?? '') ? -1 : (a.topologyKey ?? '') > (b.topologyKey ?? '') ? 1 : 0));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, `${space}\t`);
    const selector = t.labelSelector ? ` for selector ${formatLabelSelector(t.labelSelector)}` : '';
    w.write(0, `${t.topologyKey ?? ''}:${t.whenUnsatisfiable ?? ''} when max skew ${t.maxSkew ?? 0} is exceeded${selector}\n`);
  });
}

/** kubectl's EnvValueRetriever: the Pod fields a `fieldRef` may name. */
function fieldResolver(pod: KubeObject, spec: PodSpec, status: PodStatus): FieldResolver {
  return (path) => {
    const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
    if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? '';
    switch (path) {
      case 'metadata.name':
        return pod.metadata.name;
      case 'metadata.namespace':
        return pod.metadata.namespace ?? '';
      case 'metadata.uid':
        return pod.metadata.uid ?? '';
      case 'spec.nodeName':
        return spec.nodeName ?? '';
      case 'spec.serviceAccountName':
        return spec.serviceAccountName ?? '';
      case 'status.hostIP':
        return status.hostIP ?? '';
      case 'status.podIP':
        return status.podIP ?? '';
      case 'status.podIPs':
        return (status.podIPs ?? []).map((p) => p.ip).join(',');
      default:
        return '';
    }
  };
}

function describeHeader(pod: KubeObject, spec: PodSpec, status: PodStatus, w: PrefixWriter, ctx: DescribeContext): void {
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace ?? ''}\n`);
  if (typeof spec.priority === 'number') w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${formatRfc1123z(status.startTime, ctx)}\n`);
  printLabelsMultiline(w, 'Labels', pod.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', pod.metadata.annotations);
  const deletion = pod.metadata.deletionTimestamp;
  if (deletion && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${timestampSince(deletion, ctx)})\n`);
    const grace = pod.metadata.deletionGracePeriodSeconds;
    if (typeof grace === 'number') w.write(0, `Termination Grace Period:\t${grace}s\n`);
  } else {
    w.write(0, `Status:\t${status.phase ?? ''}\n`);
  }
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  const seccomp = spec.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(0, `SeccompProfile:\t${seccomp.type ?? ''}\n`);
    if (seccomp.type === 'Localhost') w.write(0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  const ips = status.podIPs ?? [];
  if (ips.length === 0) {
    w.write(0, 'IPs:\t<none>\n');
  } else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const controlledBy = controllerOf(pod.metadata.ownerReferences);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
}

function describeConditions(spec: PodSpec, status: PodStatus, w: PrefixWriter): void {
  const conditions = status.conditions ?? [];
  if (spec.readinessGates && spec.readinessGates.length > 0) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = conditions.find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
}

/** The text `kubectl describe pod` prints for this Pod. */
export function describePod(pod: KubeObject, ctx: DescribeContext): string {
  const spec = objectOr<PodSpec>(pod.spec);
  const status = objectOr<PodStatus>(pod.status);
  const w = new PrefixWriter();
  const resolve = fieldResolver(pod, spec, status);
  describeHeader(pod, spec, status, w, ctx);
  if (spec.initContainers && spec.initContainers.length > 0) {
    describeContainers('Init Containers', spec.initContainers, status.initContainerStatuses ?? [], resolve, w, '', ctx);
  }
  describeContainers('Containers', spec.containers ?? [], status.containerStatuses ?? [], resolve, w, '', ctx);
  describeConditions(spec, status, w);
  describeVolumes(spec.volumes, w, '');
  const qos = status.qosClass || podQosClass([...(spec.containers ?? []), ...(spec.initContainers ?? [])]);
  w.write(0, `QoS Class:\t${qos}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '');
  describeNoEvents(w);
  return w.render();
}
