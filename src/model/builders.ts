/**
 * Constructors for the model's list-heavy messages: the caller gives what matters and every list
 * or map left out becomes empty (what Envoy means by an absent repeated field). Options are applied
 * on top of the defaults, never the other way round. For ingest code and tests alike.
 */
import type { Cluster } from './cluster.ts';
import type { ClusterLoadAssignment, LbEndpoint } from './endpoint.ts';
import type { HttpConnectionManager } from './http-connection-manager.ts';
import type { HttpFilter } from './http-filters.ts';
import { clusterName, listenerName, routeConfigName } from './ids.ts';
import type { FilterChain, Listener } from './listener.ts';
import type { NetworkFilter } from './network-filters.ts';
import type { RouteAction } from './route-action.ts';
import type { Route, RouteActionSpecifier, RouteConfiguration, RouteMatch, VirtualHost } from './route-configuration.ts';

/** T with the keys K optional. */
export type WithDefaults<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

type HeaderListKeys = 'requestHeadersToAdd' | 'requestHeadersToRemove' | 'responseHeadersToAdd' | 'responseHeadersToRemove';

const NO_HEADER_MUTATIONS = {
  requestHeadersToAdd: [],
  requestHeadersToRemove: [],
  responseHeadersToAdd: [],
  responseHeadersToRemove: [],
} as const;

export function newRouteMatch(o: WithDefaults<RouteMatch, 'headers' | 'queryParameters'>): RouteMatch {
  return { headers: [], queryParameters: [], ...o };
}

export function newRouteAction(o: WithDefaults<RouteAction, 'requestMirrorPolicies' | 'hashPolicy' | 'upgradeConfigs'>): RouteAction {
  return { requestMirrorPolicies: [], hashPolicy: [], upgradeConfigs: [], ...o };
}

/** A route forwarding to one cluster. */
export function toCluster(name: string, o: Partial<RouteAction> = {}): RouteActionSpecifier {
  return { kind: 'route', route: newRouteAction({ clusterSpecifier: { kind: 'cluster', cluster: clusterName(name) }, ...o }) };
}

export function newRoute(o: WithDefaults<Route, HeaderListKeys | 'typedPerFilterConfig'>): Route {
  return { ...NO_HEADER_MUTATIONS, typedPerFilterConfig: {}, ...o };
}

export function newVirtualHost(o: WithDefaults<VirtualHost, HeaderListKeys | 'typedPerFilterConfig'>): VirtualHost {
  return { ...NO_HEADER_MUTATIONS, typedPerFilterConfig: {}, ...o };
}

export function newRouteConfiguration(
  o: WithDefaults<Omit<RouteConfiguration, 'name'>, HeaderListKeys | 'internalOnlyHeaders' | 'typedPerFilterConfig' | 'sources'> & { readonly name: string },
): RouteConfiguration {
  return { ...NO_HEADER_MUTATIONS, internalOnlyHeaders: [], typedPerFilterConfig: {}, sources: [], ...o, name: routeConfigName(o.name) };
}

export const ROUTER_FILTER: HttpFilter = { kind: 'router', name: 'envoy.filters.http.router', typedConfig: {} };

export function newHttpConnectionManager(o: WithDefaults<HttpConnectionManager, 'httpFilters' | 'accessLog' | 'upgradeConfigs'>): HttpConnectionManager {
  return { httpFilters: [ROUTER_FILTER], accessLog: [], upgradeConfigs: [], ...o };
}

export function newFilterChain(o: WithDefaults<FilterChain, 'filters'>): FilterChain {
  return { filters: [], ...o };
}

/** A filter chain whose only filter is this HCM. */
export function hcmFilter(hcm: HttpConnectionManager): NetworkFilter {
  return { kind: 'httpConnectionManager', name: 'envoy.filters.network.http_connection_manager', typedConfig: hcm };
}

export function newListener(
  o: WithDefaults<Omit<Listener, 'name'>, 'additionalAddresses' | 'listenerFilters' | 'sources'> & { readonly name: string },
): Listener {
  return { additionalAddresses: [], listenerFilters: [], sources: [], ...o, name: listenerName(o.name) };
}

export function newCluster(o: WithDefaults<Omit<Cluster, 'name'>, 'healthChecks' | 'sources'> & { readonly name: string }): Cluster {
  return { healthChecks: [], sources: [], ...o, name: clusterName(o.name) };
}

/** A load assignment of one locality at priority 0: `host:port` strings, optionally weighted. */
export function newLoadAssignment(
  name: string,
  hosts: readonly (string | { readonly address: string; readonly weight?: number; readonly priority?: number })[],
): ClusterLoadAssignment {
  const byPriority = new Map<number, LbEndpoint[]>();
  for (const h of hosts) {
    const spec = typeof h === 'string' ? { address: h } : h;
    const i = spec.address.lastIndexOf(':');
    const lb: LbEndpoint = {
      endpoint: { address: { kind: 'socketAddress', address: spec.address.slice(0, i).replace(/^\[|\]$/g, ''), portValue: Number(spec.address.slice(i + 1)) } },
      ...(spec.weight !== undefined ? { loadBalancingWeight: spec.weight } : {}),
    };
    const p = spec.priority ?? 0;
    byPriority.set(p, [...(byPriority.get(p) ?? []), lb]);
  }
  const endpoints = [...byPriority.entries()].sort((a, b) => a[0] - b[0]).map(([priority, lbEndpoints]) => ({ priority, lbEndpoints }));
  return { clusterName: name, endpoints, sources: [] };
}
