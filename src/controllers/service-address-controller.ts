/**
 * The repair half of Service address allocation (Kubernetes' ClusterIP/NodePort repair loops):
 * a stored Service that lacks an address it needs — written before weft allocated addresses, or
 * by a store without the service admission hook — is written again, so that admission
 * (service-admission.ts) allocates it. New Services never need this: admission allocates on write.
 */
import type { Store } from '../store/index.ts';
import type { Controller, Trigger } from './controller.ts';
import { serviceSpecOf } from './kube-types.ts';
import { keyOfObject, splitNamespacedKey } from './object-refs.ts';
import { needsClusterIP, needsHealthCheckNodePort, needsNodePorts } from './service-defaults.ts';

export class ServiceAddressController implements Controller {
  readonly name = 'service-addresses';
  readonly workers = 1;
  readonly triggers: readonly Trigger[] = [{ group: '', kind: 'Service', keysFor: (ev) => (ev.type === 'DELETED' ? [] : [keyOfObject(ev.object)]) }];
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitNamespacedKey(key);
    const svc = this.#store.get('', 'Service', namespace, name);
    if (svc === undefined) return;
    const spec = serviceSpecOf(svc) as Record<string, unknown>;
    const ports = Array.isArray(spec.ports) ? (spec.ports as { nodePort?: unknown }[]) : [];
    const missing =
      (needsClusterIP(spec) && !spec.clusterIP) ||
      (needsNodePorts(spec) && ports.some((p) => !p.nodePort)) ||
      (needsHealthCheckNodePort(spec) && !spec.healthCheckNodePort);
    if (missing) await this.#store.update(structuredClone(svc));
  }
}
