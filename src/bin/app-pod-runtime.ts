/**
 * The Pod runtime of `weft up`: the controllers' `PodRuntime` over the built-in apps (src/apps/).
 * `classify` plans the Pod's containers; `start` runs the planned apps on the Pod IP, reading the
 * Pod's ConfigMaps and Secrets from the store for `env.valueFrom`, `envFrom` and volumes; `stop`
 * closes them. A bind failure becomes an error message that names the address and what to do,
 * which the Pod controller shows as the container's RunContainerError.
 */
import type { KubeObject } from '../api/object.ts';
import { planPodApps, startPodApps } from '../apps/index.ts';
import type { PodLike, RunningApp, VolumeLookup } from '../apps/index.ts';
import type { PodClassification, PodRuntime } from '../controllers/index.ts';
import type { Store } from '../store/index.ts';
import { assertNever } from '../lib/assert-never.ts';

export interface AppPodRuntimeOptions {
  /** Where ConfigMaps and Secrets are read from; set before the first Pod starts. */
  readonly store: () => Store | undefined;
  /** The outbound proxy URL (with the Pod's credentials) the Pod's apps send their calls through. */
  readonly upstreamProxy?: (pod: KubeObject) => string | undefined;
}

function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}/${pod.metadata.uid ?? ''}`;
}

function decodeSecretData(data: unknown, stringData: unknown): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = Buffer.from(v, 'base64');
  }
  for (const [k, v] of Object.entries((stringData ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = Buffer.from(v, 'utf8');
  }
  return out;
}

/** ConfigMaps (data and binaryData) and Secrets (decoded) of the Pod's namespace. */
export function storeVolumeLookup(store: Store, namespace: string): VolumeLookup {
  return (kind, name) => {
    const obj = store.get('', kind, namespace, name) as (KubeObject & Record<string, unknown>) | undefined;
    if (obj === undefined) return undefined;
    if (kind === 'Secret') return decodeSecretData(obj.data, obj.stringData);
    const out: Record<string, string | Buffer> = {};
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
    for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out[k] = Buffer.from(v, 'base64');
    return out;
  };
}

/** Turns a listen error into what a user can act on. */
export function describeStartError(e: unknown, podIP: string): string {
  const err = e as NodeJS.ErrnoException & { address?: string; port?: number };
  const where = err.address !== undefined && err.port !== undefined ? `${err.address}:${err.port}` : podIP;
  switch (err.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the address is already in use by another process; stop it or change the container port`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: the address is not available on this machine (is 127.0.0.0/8 routed to loopback?)`;
    case 'EACCES':
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`;
    default:
      return err instanceof Error ? err.message : String(e);
  }
}

export class AppPodRuntime implements PodRuntime {
  readonly #opts: AppPodRuntimeOptions;
  readonly #running = new Map<string, RunningApp>();

  constructor(opts: AppPodRuntimeOptions) {
    this.#opts = opts;
  }

  get runningPods(): number {
    return this.#running.size;
  }

  classify(pod: KubeObject): PodClassification {
    const plan = planPodApps(pod as PodLike);
    switch (plan.kind) {
      case 'app':
        return { kind: 'app', skipped: plan.skipped };
      case 'client-only':
        return { kind: 'client-only', skipped: plan.skipped };
      case 'unsupported':
        return { kind: 'unsupported', reason: plan.reason, message: plan.message };
      default:
        return assertNever(plan, 'pod app plan');
    }
  }

  async start(pod: KubeObject, podIP: string): Promise<void> {
    const key = podKey(pod);
    await this.#running.get(key)?.close();
    this.#running.delete(key);
    const plan = planPodApps(pod as PodLike);
    if (plan.kind !== 'app') return;
    const store = this.#opts.store();
    const proxy = this.#opts.upstreamProxy?.(pod);
    let running: RunningApp;
    try {
      running = await startPodApps(pod as PodLike, plan.apps, {
        podIP,
        ...(proxy !== undefined ? { upstreamProxy: proxy } : {}),
        ...(store !== undefined ? { lookup: storeVolumeLookup(store, pod.metadata.namespace ?? 'default') } : {}),
      });
    } catch (e) {
      throw new Error(describeStartError(e, podIP), { cause: e });
    }
    this.#running.set(key, running);
  }

  async stop(pod: KubeObject): Promise<void> {
    const key = podKey(pod);
    const running = this.#running.get(key);
    this.#running.delete(key);
    await running?.close();
  }

  /** Closes every app still running (after the controllers stopped, nothing should be). */
  async close(): Promise<void> {
    const all = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(all.map((a) => a.close()));
  }
}
