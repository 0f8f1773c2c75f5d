/**
 * The parts of Pod, Service and Deployment the controllers read and write, as read-only views of
 * stored objects (KubeObject keeps `spec` and `status` open). Stored objects passed validation, but
 * readers still treat every field as optional.
 */
import type { KubeObject } from '../api/object.ts';

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly ports?: readonly ContainerPort[];
  /** `Always` on an init container makes it a sidecar. */
  readonly restartPolicy?: string;
}

export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly nodeName?: string;
  readonly hostname?: string;
  readonly subdomain?: string;
}

export interface PodCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  readonly lastProbeTime?: string | null;
  readonly lastTransitionTime?: string;
}

export type ContainerState =
  | { readonly running: { readonly startedAt?: string } }
  | { readonly waiting: { readonly reason?: string; readonly message?: string } }
  | { readonly terminated: { readonly exitCode: number; readonly reason?: string } };

export interface ContainerStatus {
  readonly name: string;
  readonly image: string;
  readonly imageID: string;
  readonly containerID?: string;
  readonly ready: boolean;
  readonly started: boolean;
  readonly restartCount: number;
  readonly state: ContainerState;
}

export interface PodStatus {
  readonly phase?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly conditions?: readonly PodCondition[];
  readonly hostIP?: string;
  readonly hostIPs?: readonly { readonly ip: string }[];
  readonly podIP?: string;
  readonly podIPs?: readonly { readonly ip: string }[];
  readonly startTime?: string;
  readonly containerStatuses?: readonly ContainerStatus[];
}

export interface ServicePort {
  readonly name?: string;
  readonly protocol?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly nodePort?: number;
  readonly appProtocol?: string;
}

export interface ServiceSpec {
  readonly type?: string;
  readonly selector?: Readonly<Record<string, string>> | null;
  readonly ports?: readonly ServicePort[];
  readonly clusterIP?: string;
  readonly clusterIPs?: readonly string[];
  readonly publishNotReadyAddresses?: boolean;
}

export interface DeploymentSpec {
  readonly replicas?: number;
  readonly selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  readonly template?: { readonly metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; readonly spec?: unknown };
  readonly strategy?: { readonly type?: string; readonly rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  readonly minReadySeconds?: number;
  readonly progressDeadlineSeconds?: number;
  readonly paused?: boolean;
}

function objectOr<T>(v: unknown): T {
  return (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as T;
}

export function podSpecOf(pod: KubeObject): PodSpec {
  return objectOr<PodSpec>(pod.spec);
}

export function podStatusOf(pod: KubeObject): PodStatus {
  return objectOr<PodStatus>(pod.status);
}

export function serviceSpecOf(svc: KubeObject): ServiceSpec {
  return objectOr<ServiceSpec>(svc.spec);
}

export function deploymentSpecOf(d: KubeObject): DeploymentSpec {
  return objectOr<DeploymentSpec>(d.spec);
}

export function containersOf(pod: KubeObject): readonly Container[] {
  const c = podSpecOf(pod).containers;
  return Array.isArray(c) ? c : [];
}

/** Kubernetes' IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return podStatusOf(pod).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Succeeded or Failed: the Pod will not run again. */
export function isPodTerminal(pod: KubeObject): boolean {
  const phase = podStatusOf(pod).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
