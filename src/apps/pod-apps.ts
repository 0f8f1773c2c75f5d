/**
 * What a Pod's containers become on this machine, on plain Pod data (the shape of a Kubernetes
 * Pod, read structurally: apps/ imports nothing but lib/). The Pod runtime adapter in the
 * composition root calls `planPodApps` to classify a Pod and `startPodApps` to run it:
 * - a container whose image is a built-in app runs as that app on the Pod IP at its container
 *   ports (or the ports the original image listens on, when it declares none);
 * - a client-only image (curl, netshoot, fortio as a client) runs nothing;
 * - an image weft does not know does not hold the Pod back when another container runs or is a
 *   client (a sidecar such as coredns next to json-mock): it is reported as skipped;
 * - a Pod with no container weft knows is unsupported.
 */
import type { AppSpec, RunningApp } from './app.ts';
import { KNOWN_REPOSITORIES, matchImage } from './image-registry.ts';
import { containerEnv, containerFiles, type ContainerLike, type PodLike, type VolumeLookup } from './pod-env.ts';

export interface PlannedApp {
  readonly container: string;
  readonly spec: AppSpec;
  /** TCP container ports, or the image's own ports when the container declares none. */
  readonly ports: readonly number[];
}

export interface SkippedContainer {
  readonly name: string;
  readonly image: string;
  readonly message: string;
}

export type PodAppPlan =
  | { readonly kind: 'app'; readonly apps: readonly PlannedApp[]; readonly skipped: readonly SkippedContainer[] }
  | { readonly kind: 'client-only'; readonly skipped: readonly SkippedContainer[] }
  | { readonly kind: 'unsupported'; readonly reason: 'UnsupportedImage'; readonly message: string };

function tcpPorts(c: ContainerLike): number[] {
  const ports = (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort);
  return [...new Set(ports)];
}

export function planPodApps(pod: PodLike): PodAppPlan {
  const apps: PlannedApp[] = [];
  const skipped: SkippedContainer[] = [];
  let clients = 0;
  for (const c of pod.spec?.containers ?? []) {
    const image = c.image ?? '';
    const match = matchImage(image, { ...(c.command ? { command: c.command } : {}), ...(c.args ? { args: c.args } : {}) });
    if (match?.kind === 'app') {
      const declared = tcpPorts(c);
      apps.push({ container: c.name, spec: match, ports: declared.length > 0 ? declared : match.defaultPorts(containerEnv(c, pod, '')) });
    } else if (match?.kind === 'client-only') clients++;
    else skipped.push({ name: c.name, image, message: `image ${image || '(none)'} is not one weft runs; container ${c.name} is skipped` });
  }
  if (apps.length > 0) return { kind: 'app', apps, skipped };
  if (clients > 0) return { kind: 'client-only', skipped };
  const images = (pod.spec?.containers ?? []).map((c) => c.image ?? '(none)').join(', ');
  return {
    kind: 'unsupported',
    reason: 'UnsupportedImage',
    message:
      `weft cannot run ${images}: not a built-in app or client image. Run the workload yourself and annotate the Pod ` +
      `with weft.dev/address: IP (or IP:PORT). Built-in images: ${KNOWN_REPOSITORIES.join(', ')}`,
  };
}

export interface PodStartOptions {
  readonly podIP: string;
  /** The outbound proxy URL carrying this Pod's credentials, for apps that call other services. */
  readonly upstreamProxy?: string;
  /** Reads ConfigMaps and Secrets (decoded) for `env.valueFrom` and volumes; absent: none resolve. */
  readonly lookup?: VolumeLookup;
}

/** Starts every planned app of the Pod; if one cannot start, those already started are closed and it rejects. */
export async function startPodApps(pod: PodLike, apps: readonly PlannedApp[], options: PodStartOptions): Promise<RunningApp> {
  const started: RunningApp[] = [];
  try {
    for (const planned of apps) {
      const container = (pod.spec?.containers ?? []).find((c) => c.name === planned.container);
      if (!container) throw new Error(`container ${planned.container} is not in the Pod`);
      const files = containerFiles(container, pod, options.lookup);
      started.push(
        await planned.spec.start({
          host: options.podIP,
          ports: planned.ports,
          env: containerEnv(container, pod, options.podIP, options.lookup),
          podName: pod.metadata.name ?? '',
          namespace: pod.metadata.namespace ?? 'default',
          labels: pod.metadata.labels ?? {},
          ...(options.upstreamProxy ? { upstreamProxy: options.upstreamProxy } : {}),
          ...(files.size > 0 ? { files } : {}),
        }),
      );
    }
  } catch (e) {
    await Promise.all(started.map((a) => a.close()));
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    ports: started.flatMap((a) => a.ports),
    close: () => (closing ??= Promise.all(started.map((a) => a.close())).then(() => undefined)),
  };
}
