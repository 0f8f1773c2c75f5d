/** One decoded top-level Envoy resource, as weft's model holds it. */
import { assertNever } from '../../lib/assert-never.ts';
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret, SnapshotResources } from '../../model/index.ts';

export type ModelResource =
  | { readonly kind: 'listener'; readonly listener: Listener }
  | { readonly kind: 'routeConfiguration'; readonly routeConfiguration: RouteConfiguration }
  | { readonly kind: 'cluster'; readonly cluster: Cluster }
  | { readonly kind: 'clusterLoadAssignment'; readonly clusterLoadAssignment: ClusterLoadAssignment }
  | { readonly kind: 'secret'; readonly secret: Secret };

export type ModelResourceKind = ModelResource['kind'];

/** Groups decoded resources into the lists `buildSnapshot` takes, keeping their order. */
export function toSnapshotResources(resources: readonly ModelResource[]): Required<SnapshotResources> {
  const out = { listeners: [] as Listener[], routeConfigurations: [] as RouteConfiguration[], clusters: [] as Cluster[], endpoints: [] as ClusterLoadAssignment[], secrets: [] as Secret[] };
  for (const r of resources) {
    switch (r.kind) {
      case 'listener':
        out.listeners.push(r.listener);
        break;
      case 'routeConfiguration':
        out.routeConfigurations.push(r.routeConfiguration);
        break;
      case 'cluster':
        out.clusters.push(r.cluster);
        break;
      case 'clusterLoadAssignment':
        out.endpoints.push(r.clusterLoadAssignment);
        break;
      case 'secret':
        out.secrets.push(r.secret);
        break;
      default:
        assertNever(r, 'resource kind');
    }
  }
  return out;
}
