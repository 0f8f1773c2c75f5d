/**
 * The clusters of one runtime, by name (Envoy's ClusterManager): what the router and tcp_proxy
 * resolve a cluster name against. Built per snapshot; clusters whose config is unchanged are the
 * same objects as in the previous runtime, so their hosts and pooled connections carry on.
 */
import type { UpstreamLookup } from '../http/route-snapshot.ts';
import type { UpstreamCluster } from './upstream-cluster.ts';

export class ClusterManager implements UpstreamLookup {
  readonly #byName: ReadonlyMap<string, UpstreamCluster>;

  constructor(byName: ReadonlyMap<string, UpstreamCluster>) {
    this.#byName = byName;
  }

  cluster(name: string): UpstreamCluster | undefined {
    return this.#byName.get(name);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Every distinct cluster (the admin cluster once, though it answers to two names). */
  clusters(): UpstreamCluster[] {
    return [...new Set(this.#byName.values())];
  }
}
