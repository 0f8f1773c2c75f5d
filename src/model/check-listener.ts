/**
 * Checks Envoy's listener manager makes (source/common/listener_manager/): filter chains present
 * and distinct, terminal filters last, HCM references resolvable, TLS secrets resolvable.
 */
import { assertNever } from '../lib/assert-never.ts';
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import { stableStringify } from '../lib/stable-hash.ts';
import { checkClusterRef, checkRouteConfiguration, type ReferenceIndex } from './check-route-configuration.ts';
import { checkDownstreamTls } from './check-tls.ts';
import type { HttpConnectionManager } from './http-connection-manager.ts';
import type { FilterChain, FilterChainMatch, Listener } from './listener.ts';
import type { NetworkFilter } from './network-filters.ts';
import type { FieldPath, ResourceContext, SnapshotDiagnostics } from './snapshot-diagnostics.ts';

const TERMINAL_NETWORK_FILTERS: ReadonlySet<NetworkFilter['kind']> = new Set(['httpConnectionManager', 'tcpProxy']);

export function checkListener(listener: Listener, ctx: ResourceContext, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  if (listener.filterChains.length === 0 && !listener.defaultFilterChain) {
    out.error(ctx, ['filterChains'], 'no filter chains specified', DIAGNOSTIC_CODES.REQUIRED);
  }
  // Envoy: "multiple filter chains with the same matching rules are defined".
  const matches = new Map<string, number>();
  listener.filterChains.forEach((chain, i) => {
    const key = stableStringify(canonicalMatch(chain.filterChainMatch));
    const first = matches.get(key);
    if (first !== undefined) {
      out.error(ctx, ['filterChains', i, 'filterChainMatch'], `filter chain ${i} has the same match as filter chain ${first}`, DIAGNOSTIC_CODES.CONFLICT);
    } else {
      matches.set(key, i);
    }
    checkFilterChain(chain, ctx, ['filterChains', i], index, out);
  });
  if (listener.defaultFilterChain) checkFilterChain(listener.defaultFilterChain, ctx, ['defaultFilterChain'], index, out);
}

/** A match with absent fields and empty lists made equal, lists sorted: Envoy compares them as sets. */
function canonicalMatch(m: FilterChainMatch | undefined): unknown {
  const sorted = <T>(xs: readonly T[] | undefined): string[] => (xs ?? []).map((x) => stableStringify(x)).sort();
  return {
    destinationPort: m?.destinationPort ?? null,
    prefixRanges: sorted(m?.prefixRanges),
    directSourcePrefixRanges: sorted(m?.directSourcePrefixRanges),
    sourceType: m?.sourceType ?? 'ANY',
    sourcePrefixRanges: sorted(m?.sourcePrefixRanges),
    sourcePorts: sorted(m?.sourcePorts),
    serverNames: sorted(m?.serverNames?.map((s) => s.toLowerCase())),
    transportProtocol: m?.transportProtocol ?? '',
    applicationProtocols: sorted(m?.applicationProtocols),
  };
}

function checkFilterChain(chain: FilterChain, ctx: ResourceContext, path: FieldPath, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  if (chain.transportSocket) checkDownstreamTls(chain.transportSocket, ctx, [...path, 'transportSocket'], index, out);
  const last = chain.filters.length - 1;
  chain.filters.forEach((filter, i) => {
    const fp = [...path, 'filters', i];
    const terminal = TERMINAL_NETWORK_FILTERS.has(filter.kind);
    // Envoy's two messages, verbatim in meaning.
    if (terminal && i !== last) {
      out.error(ctx, fp, `terminal filter named ${filter.name} must be the last filter in a network filter chain`);
    } else if (!terminal && i === last) {
      out.error(ctx, fp, `non-terminal filter named ${filter.name} is the last filter in a network filter chain`);
    }
    checkNetworkFilter(filter, ctx, [...fp, 'typedConfig'], index, out);
  });
}

function checkNetworkFilter(filter: NetworkFilter, ctx: ResourceContext, path: FieldPath, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  switch (filter.kind) {
    case 'httpConnectionManager':
      checkHttpConnectionManager(filter.typedConfig, ctx, path, index, out);
      return;
    case 'tcpProxy': {
      const cs = filter.typedConfig.clusterSpecifier;
      if (cs.kind === 'cluster') {
        checkClusterRef(cs.cluster, ctx, [...path, 'cluster'], index, out);
      } else {
        const clusters = cs.weightedClusters.clusters;
        if (clusters.length === 0) out.error(ctx, [...path, 'weightedClusters', 'clusters'], 'weighted_clusters needs at least one cluster');
        clusters.forEach((c, i) => checkClusterRef(c.name, ctx, [...path, 'weightedClusters', 'clusters', i, 'name'], index, out));
        if (clusters.length > 0 && clusters.every((c) => c.weight <= 0)) {
          out.error(ctx, [...path, 'weightedClusters'], 'the sum of the weights must be greater than 0');
        }
      }
      return;
    }
    case 'localRateLimit': {
      const tb = filter.typedConfig.tokenBucket;
      if (tb.fillIntervalMs <= 0) out.error(ctx, [...path, 'tokenBucket', 'fillInterval'], 'fill_interval must be greater than 0');
      return;
    }
    case 'connectionLimit':
      if (filter.typedConfig.maxConnections < 1) out.error(ctx, [...path, 'maxConnections'], 'max_connections must be at least 1');
      return;
    default:
      assertNever(filter, 'network filter');
  }
}

function checkHttpConnectionManager(hcm: HttpConnectionManager, ctx: ResourceContext, path: FieldPath, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  const rs = hcm.routeSpecifier;
  if (rs.kind === 'rds') {
    if (!index.routeConfigurations.has(rs.rds.routeConfigName)) {
      out.error(
        ctx,
        [...path, 'rds', 'routeConfigName'],
        `route configuration ${JSON.stringify(rs.rds.routeConfigName)} does not exist`,
        DIAGNOSTIC_CODES.UNRESOLVED_REF,
        'define a RouteConfiguration of that name, or put the routes inline under route_config',
      );
    }
  } else {
    checkRouteConfiguration(rs.routeConfig, ctx, [...path, 'routeConfig'], index, out);
  }
  const filters = hcm.httpFilters;
  if (filters.length === 0) {
    out.error(ctx, [...path, 'httpFilters'], 'http_filters is empty; the router filter must be the last one', DIAGNOSTIC_CODES.REQUIRED);
  }
  filters.forEach((f, i) => {
    const terminal = f.kind === 'router';
    if (terminal && i !== filters.length - 1) {
      out.error(ctx, [...path, 'httpFilters', i], `terminal filter named ${f.name} must be the last filter in a http filter chain`);
    } else if (!terminal && i === filters.length - 1) {
      out.error(ctx, [...path, 'httpFilters', i], `non-terminal filter named ${f.name} is the last filter in a http filter chain`);
    }
  });
  const upgrades = new Set<string>();
  hcm.upgradeConfigs.forEach((u, i) => {
    const key = u.upgradeType.toLowerCase();
    if (upgrades.has(key)) out.error(ctx, [...path, 'upgradeConfigs', i], `duplicate upgrade ${u.upgradeType}`);
    upgrades.add(key);
  });
}
