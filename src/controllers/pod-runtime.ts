/**
 * How a Pod runs on this machine: the contract between the Pod controller (weft's kubelet, here)
 * and the runtime that starts built-in apps (src/apps/, behind an adapter in the composition root).
 *
 * The controller decides a Pod's IP and writes its status; the runtime only says what it can run
 * and runs it. Per Pod, in order:
 *   1. `weft.dev/address: IP` or `IP:PORT` on the Pod wins: the user's own process serves it at
 *      that address, nothing is started, and the runtime is not asked (kind 'external').
 *   2. Otherwise `classify(pod)` — synchronous, pure, called on every reconcile — says 'app'
 *      (start it), 'client-only' (nothing to run; the Pod is an identity), or 'unsupported' (the
 *      Pod stays Pending, showing `reason` in STATUS and `message` in its container status).
 *   3. For 'app', `start(pod, podIP)` once per Pod (uid): it resolves when the apps listen on podIP
 *      at their container ports (the Pod becomes Ready) and rejects when they cannot (retried with
 *      backoff, the error shown as RunContainerError). `stop(pod)` once when the Pod goes away
 *      (deleted, replaced, or weft stopping); it must also accept a Pod whose start failed.
 * The controller never calls start and stop concurrently for the same Pod.
 */
import type { KubeObject } from '../api/object.ts';
import { parseIpv4 } from './ipv4.ts';

/** The annotation that points a Pod at a process the user runs (DESIGN.md "Workloads"). */
export const POD_ADDRESS_ANNOTATION = 'weft.dev/address';

export interface PodAddress {
  readonly ip: string;
  /** With `IP:PORT`: every container port of the Pod is served on this one port. */
  readonly port?: number;
}

/** A container the runtime does not run but which does not hold the Pod back (a sidecar). */
export interface SkippedContainer {
  readonly name: string;
  readonly image: string;
  /** Why, for `weft get pod -o wide` and describe: "image coredns/coredns is not one weft runs". */
  readonly message: string;
}

export type PodClassification =
  | { readonly kind: 'app'; readonly skipped?: readonly SkippedContainer[] }
  | { readonly kind: 'client-only'; readonly skipped?: readonly SkippedContainer[] }
  | { readonly kind: 'external'; readonly address: PodAddress }
  | {
      readonly kind: 'unsupported';
      /** CamelCase, shown as the Pod's STATUS (as ImagePullBackOff is): `UnsupportedImage`. */
      readonly reason: string;
      /** What to do about it. */
      readonly message: string;
    };

export interface PodRuntime {
  classify(pod: KubeObject): PodClassification;
  start(pod: KubeObject, podIP: string): Promise<void>;
  stop(pod: KubeObject): Promise<void>;
}

export type PodAddressResult = { readonly ok: true; readonly address: PodAddress | undefined } | { readonly ok: false; readonly message: string };

/** Reads `weft.dev/address` (absent: ok with no address). */
export function parsePodAddress(pod: KubeObject): PodAddressResult {
  const raw = pod.metadata.annotations?.[POD_ADDRESS_ANNOTATION];
  if (raw === undefined) return { ok: true, address: undefined };
  const text = raw.trim();
  const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[2] === undefined ? undefined : Number(m[2]);
  if (!m || parseIpv4(m[1]) === undefined || (port !== undefined && (port < 1 || port > 65535))) {
    return {
      ok: false,
      message: `annotation ${POD_ADDRESS_ANNOTATION}: "${raw}" is not IP or IP:PORT (e.g. 127.0.0.1 or 127.0.0.1:3000)`,
    };
  }
  return { ok: true, address: port === undefined ? { ip: m[1] } : { ip: m[1], port } };
}

/** The annotation first, then the runtime (see the contract above). */
export function classifyPod(runtime: PodRuntime, pod: KubeObject): PodClassification {
  const addr = parsePodAddress(pod);
  if (!addr.ok) return { kind: 'unsupported', reason: 'InvalidAddress', message: addr.message };
  if (addr.address !== undefined) return { kind: 'external', address: addr.address };
  return runtime.classify(pod);
}
