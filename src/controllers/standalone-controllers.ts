/**
 * Everything standalone mode derives the way Kubernetes would, wired once: the Service admission
 * hook (given to the store when it opens) and the controllers (started over the opened store).
 *
 *   const c = createStandaloneControllers({ runtime });          // Result: options checked
 *   const { store } = await Store.open({ dir, admission: c.value.admission });
 *   const manager = c.value.start(store);                         // reconciles what exists
 *   ...
 *   await manager.stop();  await store.close();
 */
import type { Diagnostic } from '../lib/diagnostic.ts';
import { ok } from '../lib/result.ts';
import type { Result } from '../lib/result.ts';
import type { AdmissionHook, Store } from '../store/index.ts';
import { HOST_IP, resolveAddressing } from './addressing.ts';
import type { Addressing, AddressingOptions } from './addressing.ts';
import { SYSTEM_CLOCK } from './clock.ts';
import type { Clock } from './clock.ts';
import { ControllerManager } from './controller-manager.ts';
import { DeploymentController } from './deployment-controller.ts';
import { EndpointsController } from './endpoints-controller.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { NodeController } from './node-controller.ts';
import { readNodeHost } from './node-host.ts';
import type { NodeHost } from './node-host.ts';
import { PodAddressPool } from './pod-address-pool.ts';
import { DEFAULT_NODE_NAME, PodController } from './pod-controller.ts';
import type { PodRuntime } from './pod-runtime.ts';
import { CRYPTO_RANDOM } from './random.ts';
import type { RandomSource } from './random.ts';
import { createServiceAdmission } from './service-admission.ts';
import { ServiceAddressController } from './service-address-controller.ts';
import type { BackoffOptions } from './work-queue.ts';

export interface StandaloneControllerOptions extends AddressingOptions {
  readonly runtime: PodRuntime;
  /** The node every Pod is scheduled to (`weft-node`). */
  readonly nodeName?: string;
  /** The Node object weft registers: its InternalIP and labels (`weft up --node-address/--node-label`). */
  readonly node?: { readonly address: string; readonly labels: Readonly<Record<string, string>> };
  /** The machine's facts for the Node's status; read from this machine by default. */
  readonly nodeHost?: NodeHost;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly backoff?: BackoffOptions;
  /** Warnings; stderr by default. */
  readonly log?: (line: string) => void;
}

export interface StandaloneControllers {
  readonly addressing: Addressing;
  /** For `Store.open({ admission })`. */
  readonly admission: readonly AdmissionHook[];
  /** Creates the controllers over the store and starts them. */
  start(store: Store): ControllerManager;
  /** Resolves once `start` has written the Node (or logged why it could not yet). */
  nodeRegistered(): Promise<void>;
}

export function createStandaloneControllers(opts: StandaloneControllerOptions): Result<StandaloneControllers, Diagnostic[]> {
  const addressing = resolveAddressing(opts);
  if (!addressing.ok) return addressing;
  const clock = opts.clock ?? SYSTEM_CLOCK;
  const random = opts.random ?? CRYPTO_RANDOM;
  let registered: Promise<void> = Promise.resolve();
  return ok({
    addressing: addressing.value,
    admission: [createServiceAdmission({ addressing: addressing.value, random })],
    start(store: Store): ControllerManager {
      const node = new NodeController({
        store,
        clock,
        name: opts.nodeName ?? DEFAULT_NODE_NAME,
        address: opts.node?.address ?? HOST_IP,
        labels: opts.node?.labels ?? {},
        host: opts.nodeHost ?? readNodeHost(),
        podCidr: addressing.value.podCidr.text,
        log: opts.log,
      });
      const manager = new ControllerManager({
        store,
        clock,
        backoff: opts.backoff,
        log: opts.log,
        controllers: [
          new ServiceAddressController(store),
          new PodController({ store, runtime: opts.runtime, pool: new PodAddressPool(addressing.value.podCidr), clock, nodeName: opts.nodeName, log: opts.log }),
          new DeploymentController({ store, clock, random }),
          new EndpointsController({ store, random }),
          new GarbageCollector(store),
          node,
        ],
      });
      manager.start();
      registered = node.register();
      return manager;
    },
    nodeRegistered: () => registered,
  });
}
