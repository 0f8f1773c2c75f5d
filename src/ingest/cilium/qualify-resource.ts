/**
 * Qualifies the names in one decoded Envoy resource of a config exactly where Cilium's agent does
 * (cec_resource_parser.go, cilium-semantics.md §1.1.2), and collects every name the resource refers
 * to, each with the field path the user wrote, so that a dangling reference is reported at its
 * line and column.
 *
 * Forced: Listener, RouteConfiguration and virtual host names, RDS `route_config_name`, inline
 * `route_config.name`. Not forced: Cluster names and every cluster reference (route `cluster`,
 * `weighted_clusters`, `request_mirror_policies`, tcp_proxy), ClusterLoadAssignment
 * `cluster_name` (top-level and a cluster's `load_assignment`), Secret names and SDS references.
 * Beyond Cilium: the fault filter's `upstream_cluster` is qualified like a cluster reference, so
 * that it still names the (qualified) cluster the route picks.
 */
import { assertNever } from '../../lib/assert-never.ts';
import {
  clusterName,
  listenerName,
  routeConfigName,
  secretName,
  type Cluster,
  type CommonTlsContext,
  type FilterChain,
  type HttpConnectionManager,
  type HttpFilter,
  type SourceRef,
  type Listener,
  type NetworkFilter,
  type PerFilterConfigs,
  type Route,
  type RouteAction,
  type RouteConfiguration,
  type SdsSecretConfig,
  type ValidationContextType,
  type VirtualHost,
} from '../../model/index.ts';
import type { FieldPath, ModelResource } from '../envoy/index.ts';
import { qualifyClusterRef, qualifyName, type QualifyScope } from './qualified-name.ts';
import { RawCursor } from './raw-cursor.ts';

export type NameRefKind = 'cluster' | 'routeConfiguration' | 'secret';

/** A (qualified) name a resource refers to, and where the user wrote it inside the resource. */
export interface NameRef {
  readonly kind: NameRefKind;
  readonly name: string;
  readonly path: FieldPath;
}

export interface QualifiedResource {
  readonly resource: ModelResource;
  /** The resource's name as written (a ClusterLoadAssignment's `cluster_name`). */
  readonly writtenName: string;
  readonly refs: readonly NameRef[];
}

class Qualifier {
  readonly refs: NameRef[] = [];

  constructor(readonly scope: QualifyScope) {}

  forced(name: string): string {
    return qualifyName(this.scope, name, true);
  }

  plain(name: string): string {
    return qualifyName(this.scope, name, false);
  }

  clusterRef(name: string, at: RawCursor): string {
    const q = qualifyClusterRef(this.scope, name);
    this.refs.push({ kind: 'cluster', name: q, path: at.path });
    return q;
  }

  sds(s: SdsSecretConfig, at: RawCursor): SdsSecretConfig {
    const name = this.plain(s.name);
    this.refs.push({ kind: 'secret', name, path: at.get('name').path });
    return { ...s, name: secretName(name) };
  }

  commonTls(c: CommonTlsContext, at: RawCursor): CommonTlsContext {
    const certs = at.get('tls_certificate_sds_secret_configs');
    return {
      ...c,
      tlsCertificateSdsSecretConfigs: c.tlsCertificateSdsSecretConfigs.map((s, i) => this.sds(s, certs.at(i))),
      ...(c.validationContextType ? { validationContextType: this.validationContext(c.validationContextType, at) } : {}),
    };
  }

  validationContext(v: ValidationContextType, at: RawCursor): ValidationContextType {
    switch (v.kind) {
      case 'validationContext':
        return v;
      case 'validationContextSdsSecretConfig':
        return { ...v, validationContextSdsSecretConfig: this.sds(v.validationContextSdsSecretConfig, at.get('validation_context_sds_secret_config')) };
      case 'combinedValidationContext': {
        const sds = this.sds(v.combinedValidationContext.validationContextSdsSecretConfig, at.get('combined_validation_context').get('validation_context_sds_secret_config'));
        return { ...v, combinedValidationContext: { ...v.combinedValidationContext, validationContextSdsSecretConfig: sds } };
      }
      default:
        return assertNever(v, 'validation context');
    }
  }

  /** Fault filters match the routed cluster by name: keep that name in step with the cluster's. */
  perFilter(configs: PerFilterConfigs): PerFilterConfigs {
    const out: Record<string, PerFilterConfigs[string]> = {};
    for (const [name, c] of Object.entries(configs)) {
      out[name] = c.kind === 'fault' && c.typedConfig.upstreamCluster ? { ...c, typedConfig: { ...c.typedConfig, upstreamCluster: clusterName(qualifyClusterRef(this.scope, c.typedConfig.upstreamCluster)) } } : c;
    }
    return out;
  }

  httpFilter(f: HttpFilter): HttpFilter {
    if (f.kind !== 'fault' || !f.typedConfig.upstreamCluster) return f;
    return { ...f, typedConfig: { ...f.typedConfig, upstreamCluster: clusterName(qualifyClusterRef(this.scope, f.typedConfig.upstreamCluster)) } };
  }

  routeAction(a: RouteAction, at: RawCursor): RouteAction {
    const cs = a.clusterSpecifier;
    const weighted = at.get('weighted_clusters').get('clusters');
    const mirrors = at.get('request_mirror_policies');
    return {
      ...a,
      clusterSpecifier:
        cs.kind === 'cluster'
          ? { kind: 'cluster', cluster: clusterName(this.clusterRef(cs.cluster, at.get('cluster'))) }
          : {
              kind: 'weightedClusters',
              weightedClusters: {
                ...cs.weightedClusters,
                clusters: cs.weightedClusters.clusters.map((c, i) => ({
                  ...c,
                  name: clusterName(this.clusterRef(c.name, weighted.at(i).get('name'))),
                  typedPerFilterConfig: this.perFilter(c.typedPerFilterConfig),
                })),
              },
            },
      requestMirrorPolicies: a.requestMirrorPolicies.map((m, i) => ({ ...m, cluster: clusterName(this.clusterRef(m.cluster, mirrors.at(i).get('cluster'))) })),
    };
  }

  route(r: Route, at: RawCursor): Route {
    const action = r.action.kind === 'route' ? { kind: 'route' as const, route: this.routeAction(r.action.route, at.get('route')) } : r.action;
    return { ...r, action, typedPerFilterConfig: this.perFilter(r.typedPerFilterConfig) };
  }

  virtualHost(vh: VirtualHost, at: RawCursor): VirtualHost {
    const routes = at.get('routes');
    return {
      ...vh,
      name: this.forced(vh.name),
      routes: vh.routes.map((r, i) => this.route(r, routes.at(i))),
      typedPerFilterConfig: this.perFilter(vh.typedPerFilterConfig),
    };
  }

  routeConfiguration(rc: RouteConfiguration, at: RawCursor): RouteConfiguration {
    const hosts = at.get('virtual_hosts');
    return {
      ...rc,
      name: routeConfigName(this.forced(rc.name)),
      virtualHosts: rc.virtualHosts.map((vh, i) => this.virtualHost(vh, hosts.at(i))),
      typedPerFilterConfig: this.perFilter(rc.typedPerFilterConfig),
    };
  }

  hcm(h: HttpConnectionManager, at: RawCursor): HttpConnectionManager {
    const rs = h.routeSpecifier;
    let routeSpecifier: HttpConnectionManager['routeSpecifier'];
    if (rs.kind === 'rds') {
      const name = this.forced(rs.rds.routeConfigName);
      this.refs.push({ kind: 'routeConfiguration', name, path: at.get('rds').get('route_config_name').path });
      routeSpecifier = { kind: 'rds', rds: { ...rs.rds, routeConfigName: routeConfigName(name) } };
    } else {
      routeSpecifier = { kind: 'routeConfig', routeConfig: this.routeConfiguration(rs.routeConfig, at.get('route_config')) };
    }
    return { ...h, routeSpecifier, httpFilters: h.httpFilters.map((f) => this.httpFilter(f)) };
  }

  networkFilter(f: NetworkFilter, at: RawCursor): NetworkFilter {
    switch (f.kind) {
      case 'httpConnectionManager':
        return { ...f, typedConfig: this.hcm(f.typedConfig, at) };
      case 'tcpProxy': {
        const cs = f.typedConfig.clusterSpecifier;
        const weighted = at.get('weighted_clusters').get('clusters');
        const clusterSpecifier =
          cs.kind === 'cluster'
            ? { kind: 'cluster' as const, cluster: clusterName(this.clusterRef(cs.cluster, at.get('cluster'))) }
            : {
                kind: 'weightedClusters' as const,
                weightedClusters: { clusters: cs.weightedClusters.clusters.map((c, i) => ({ ...c, name: clusterName(this.clusterRef(c.name, weighted.at(i).get('name'))) })) },
              };
        return { ...f, typedConfig: { ...f.typedConfig, clusterSpecifier } };
      }
      case 'localRateLimit':
      case 'connectionLimit':
        return f;
      default:
        return assertNever(f, 'network filter');
    }
  }

  filterChain(fc: FilterChain, at: RawCursor): FilterChain {
    const filters = at.get('filters');
    const tls = fc.transportSocket;
    return {
      ...fc,
      filters: fc.filters.map((f, i) => this.networkFilter(f, filters.at(i).get('typed_config'))),
      ...(tls ? { transportSocket: { ...tls, commonTlsContext: this.commonTls(tls.commonTlsContext, at.get('transport_socket').get('typed_config').get('common_tls_context')) } } : {}),
    };
  }

  listener(l: Listener, at: RawCursor): Listener {
    const chains = at.get('filter_chains');
    return {
      ...l,
      name: listenerName(this.forced(l.name)),
      filterChains: l.filterChains.map((fc, i) => this.filterChain(fc, chains.at(i))),
      ...(l.defaultFilterChain ? { defaultFilterChain: this.filterChain(l.defaultFilterChain, at.get('default_filter_chain')) } : {}),
    };
  }

  cluster(c: Cluster, at: RawCursor): Cluster {
    const tls = c.transportSocket;
    return {
      ...c,
      name: clusterName(this.plain(c.name)),
      ...(c.loadAssignment ? { loadAssignment: { ...c.loadAssignment, clusterName: this.plain(c.loadAssignment.clusterName) } } : {}),
      ...(tls ? { transportSocket: { ...tls, commonTlsContext: this.commonTls(tls.commonTlsContext, at.get('transport_socket').get('typed_config').get('common_tls_context')) } } : {}),
    };
  }
}

/** `raw` is the resource as the user wrote it (`spec.resources[i]`); paths in refs are relative to it. */
export function qualifyResource(resource: ModelResource, raw: unknown, scope: QualifyScope): QualifiedResource {
  const q = new Qualifier(scope);
  const at = new RawCursor(raw, []);
  switch (resource.kind) {
    case 'listener':
      return { resource: { kind: 'listener', listener: q.listener(resource.listener, at) }, writtenName: resource.listener.name, refs: q.refs };
    case 'routeConfiguration':
      return {
        resource: { kind: 'routeConfiguration', routeConfiguration: q.routeConfiguration(resource.routeConfiguration, at) },
        writtenName: resource.routeConfiguration.name,
        refs: q.refs,
      };
    case 'cluster':
      return { resource: { kind: 'cluster', cluster: q.cluster(resource.cluster, at) }, writtenName: resource.cluster.name, refs: q.refs };
    case 'clusterLoadAssignment': {
      const cla = resource.clusterLoadAssignment;
      return { resource: { kind: 'clusterLoadAssignment', clusterLoadAssignment: { ...cla, clusterName: q.plain(cla.clusterName) } }, writtenName: cla.clusterName, refs: q.refs };
    }
    case 'secret':
      return { resource: { kind: 'secret', secret: { ...resource.secret, name: secretName(q.plain(resource.secret.name)) } }, writtenName: resource.secret.name, refs: q.refs };
    default:
      return assertNever(resource, 'resource kind');
  }
}

/** The name a resource is defined under (a ClusterLoadAssignment's cluster_name), and its sources. */
export function resourceIdentity(r: ModelResource): { readonly name: string; readonly sources: readonly SourceRef[] } {
  switch (r.kind) {
    case 'listener':
      return r.listener;
    case 'routeConfiguration':
      return r.routeConfiguration;
    case 'cluster':
      return r.cluster;
    case 'clusterLoadAssignment':
      return { name: r.clusterLoadAssignment.clusterName, sources: r.clusterLoadAssignment.sources };
    case 'secret':
      return r.secret;
    default:
      return assertNever(r, 'resource kind');
  }
}

/** The name a resource is defined under (a ClusterLoadAssignment's cluster_name). */
export function resourceName(r: ModelResource): string {
  return resourceIdentity(r).name;
}
