/**
 * kubectl's Deployment describer (describeDeployment and DescribePodTemplate in k8s.io/kubectl
 * pkg/describe/describe.go). weft keeps no ReplicaSet objects, so OldReplicaSets and NewReplicaSet
 * read `<none>`; the Progressing condition's message names the ReplicaSet the Pods stand for.
 */
import type { KubeObject } from '../../api/object.ts';
import { describeContainers } from './describe-containers.ts';
import type { Container } from './describe-containers.ts';
import { describeTopologySpreadConstraints } from './describe-pod.ts';
import type { PodSpec } from './describe-pod.ts';
import { describeVolumes } from './describe-volumes.ts';
import {
  describeNoEvents,
  formatRfc1123z,
  PrefixWriter,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTolerationsMultiline,
} from './describe-writer.ts';
import type { DescribeContext } from './describe-writer.ts';
import { formatLabelSelector } from './kube-format.ts';

interface PodTemplate {
  readonly metadata?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec?: PodSpec;
}

interface DeploymentSpec {
  readonly replicas?: number;
  readonly selector?: unknown;
  readonly template?: PodTemplate;
  readonly strategy?: { readonly type?: string; readonly rollingUpdate?: { readonly maxSurge?: number | string; readonly maxUnavailable?: number | string } };
  readonly minReadySeconds?: number;
}

interface DeploymentStatus {
  readonly replicas?: number;
  readonly updatedReplicas?: number;
  readonly availableReplicas?: number;
  readonly unavailableReplicas?: number;
  readonly conditions?: readonly { readonly type: string; readonly status: string; readonly reason?: string }[];
}

function objectOr<T>(v: unknown): T {
  return (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as T;
}

/** DescribePodTemplate: the template's labels, containers (no statuses), volumes and scheduling. */
export function describePodTemplate(template: PodTemplate | undefined, w: PrefixWriter, ctx: DescribeContext): void {
  w.write(0, 'Pod Template:\n');
  if (!template) {
    w.write(1, '<unset>\n');
    return;
  }
  const spec = template.spec ?? {};
  printLabelsMultiline(w, '  Labels', template.metadata?.labels);
  const annotations = template.metadata?.annotations;
  if (annotations && Object.keys(annotations).length > 0) printAnnotationsMultiline(w, '  Annotations', annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  const init: readonly Container[] = spec.initContainers ?? [];
  if (init.length > 0) describeContainers('Init Containers', init, undefined, undefined, w, '  ', ctx);
  describeContainers('Containers', spec.containers ?? [], undefined, undefined, w, '  ', ctx);
  describeVolumes(spec.volumes, w, '  ');
  describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}

/** labels.Selector's String(): requirements sorted by key, '' for a selector that selects all. */
function selectorString(selector: unknown): string {
  const s = formatLabelSelector(selector);
  return s === '<none>' ? '' : s;
}

/** The text `kubectl describe deployment` prints for this Deployment. */
export function describeDeployment(d: KubeObject, ctx: DescribeContext): string {
  const spec = objectOr<DeploymentSpec>(d.spec);
  const status = objectOr<DeploymentStatus>(d.status);
  const w = new PrefixWriter();
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${formatRfc1123z(d.metadata.creationTimestamp, ctx)}\n`);
  printLabelsMultiline(w, 'Labels', d.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  w.write(
    0,
    `Replicas:\t${spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ` +
      `${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
  );
  // The API server's defaults: RollingUpdate with 25% max unavailable and 25% max surge.
  const type = spec.strategy?.type ?? 'RollingUpdate';
  w.write(0, `StrategyType:\t${type}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  if (type === 'RollingUpdate') {
    const ru = spec.strategy?.rollingUpdate;
    w.write(0, `RollingUpdateStrategy:\t${String(ru?.maxUnavailable ?? '25%')} max unavailable, ${String(ru?.maxSurge ?? '25%')} max surge\n`);
  }
  describePodTemplate(spec.template, w, ctx);
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  w.write(0, 'OldReplicaSets:\t<none>\n');
  w.write(0, 'NewReplicaSet:\t<none>\n');
  describeNoEvents(w);
  return w.render();
}
