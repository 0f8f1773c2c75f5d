/**
 * Checks of a RouteConfiguration (top-level or inline in an HCM) that Envoy makes when it accepts
 * one (source/common/router/config_impl.cc): unique domains, resolvable clusters, one path rewrite
 * per route, sane weights and statuses.
 */
import { assertNever } from '../lib/assert-never.ts';
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import { isEnvoyAdminCluster } from './ids.ts';
import type { RetryPolicy, RouteAction } from './route-action.ts';
import type { Route, RouteConfiguration } from './route-configuration.ts';
import type { FieldPath, ResourceContext, SnapshotDiagnostics } from './snapshot-diagnostics.ts';

/** The names each kind of resource in the snapshot has, for reference checks. */
export interface ReferenceIndex {
  readonly routeConfigurations: ReadonlySet<string>;
  readonly clusters: ReadonlySet<string>;
  readonly secrets: ReadonlySet<string>;
}

/** A cluster name resolves when the snapshot defines it, or it is the built-in admin cluster. */
export function checkClusterRef(
  name: string,
  ctx: ResourceContext,
  path: FieldPath,
  index: ReferenceIndex,
  out: SnapshotDiagnostics,
): void {
  if (index.clusters.has(name) || isEnvoyAdminCluster(name)) return;
  out.error(
    ctx,
    path,
    `cluster ${JSON.stringify(name)} does not exist`,
    DIAGNOSTIC_CODES.UNRESOLVED_REF,
    'define a Cluster of that name, or correct the reference (names are case-sensitive)',
  );
}

export function checkRouteConfiguration(
  rc: RouteConfiguration,
  ctx: ResourceContext,
  base: FieldPath,
  index: ReferenceIndex,
  out: SnapshotDiagnostics,
): void {
  // Envoy: "Only unique values for domains are permitted. Duplicate entry of domain X in route Y";
  // domains are compared lower-cased, and `*` may appear once.
  const seen = new Map<string, string>();
  rc.virtualHosts.forEach((vh, v) => {
    vh.domains.forEach((domain, d) => {
      const path = [...base, 'virtualHosts', v, 'domains', d];
      if (domain === '') {
        out.error(ctx, path, 'a domain must not be empty');
        return;
      }
      const key = domain.toLowerCase();
      const other = seen.get(key);
      if (other !== undefined) {
        out.error(ctx, path, `domain ${JSON.stringify(domain)} is also listed by virtual host ${JSON.stringify(other)}; domains must be unique within a route configuration`, DIAGNOSTIC_CODES.CONFLICT);
      } else {
        seen.set(key, vh.name);
      }
    });
    if (vh.retryPolicy) checkRetryPolicy(vh.retryPolicy, ctx, [...base, 'virtualHosts', v, 'retryPolicy'], out);
    vh.routes.forEach((route, r) => checkRoute(route, ctx, [...base, 'virtualHosts', v, 'routes', r], index, out));
  });
}

function checkRoute(route: Route, ctx: ResourceContext, path: FieldPath, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  const ps = route.match.pathSpecifier;
  if (ps.kind === 'pathSeparatedPrefix' && !/^[^?#]+[^?#/]$/.test(ps.prefix)) {
    out.error(ctx, [...path, 'match', 'pathSeparatedPrefix'], `path_separated_prefix ${JSON.stringify(ps.prefix)} must not contain "?" or "#" and must not end in "/"`);
  }
  route.match.headers.forEach((h, i) => {
    if (h.name === '') out.error(ctx, [...path, 'match', 'headers', i, 'name'], 'a header matcher needs a name');
  });
  const action = route.action;
  switch (action.kind) {
    case 'route':
      checkRouteAction(action.route, ctx, [...path, 'route'], index, out);
      break;
    case 'redirect': {
      const port = action.redirect.portRedirect;
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        out.error(ctx, [...path, 'redirect', 'portRedirect'], `port ${port} is not a port number`);
      }
      break;
    }
    case 'directResponse': {
      const status = action.directResponse.status;
      // DirectResponseAction.status: uint32 in [200, 600).
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        out.error(ctx, [...path, 'directResponse', 'status'], `status ${status} must be an integer from 200 to 599`);
      }
      break;
    }
    default:
      assertNever(action, 'route action');
  }
}

function checkRouteAction(ra: RouteAction, ctx: ResourceContext, path: FieldPath, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  const cs = ra.clusterSpecifier;
  if (cs.kind === 'cluster') {
    checkClusterRef(cs.cluster, ctx, [...path, 'cluster'], index, out);
  } else {
    const clusters = cs.weightedClusters.clusters;
    if (clusters.length === 0) out.error(ctx, [...path, 'weightedClusters', 'clusters'], 'weighted_clusters needs at least one cluster');
    let total = 0;
    clusters.forEach((cw, i) => {
      const p = [...path, 'weightedClusters', 'clusters', i];
      checkClusterRef(cw.name, ctx, [...p, 'name'], index, out);
      if (!Number.isInteger(cw.weight) || cw.weight < 0 || cw.weight > 0xffffffff) {
        out.error(ctx, [...p, 'weight'], `weight ${cw.weight} must be an integer from 0 to 4294967295`);
      } else {
        total += cw.weight;
      }
    });
    if (clusters.length > 0 && total === 0) {
      out.error(ctx, [...path, 'weightedClusters'], 'the sum of the weights must be greater than 0');
    }
  }
  if (ra.prefixRewrite !== undefined && ra.regexRewrite !== undefined) {
    // Envoy: "Specify only one of prefix_rewrite, regex_rewrite or path_rewrite_policy".
    out.error(ctx, [...path, 'regexRewrite'], 'specify only one of prefix_rewrite and regex_rewrite');
  }
  ra.requestMirrorPolicies.forEach((m, i) => checkClusterRef(m.cluster, ctx, [...path, 'requestMirrorPolicies', i, 'cluster'], index, out));
  if (ra.retryPolicy) checkRetryPolicy(ra.retryPolicy, ctx, [...path, 'retryPolicy'], out);
  const upgrades = new Set<string>();
  ra.upgradeConfigs.forEach((u, i) => {
    const key = u.upgradeType.toLowerCase();
    if (upgrades.has(key)) out.error(ctx, [...path, 'upgradeConfigs', i], `duplicate upgrade ${u.upgradeType}`);
    upgrades.add(key);
  });
  if (ra.timeoutMs !== undefined && ra.timeoutMs < 0) out.error(ctx, [...path, 'timeout'], 'a timeout must not be negative');
}

function checkRetryPolicy(rp: RetryPolicy, ctx: ResourceContext, path: FieldPath, out: SnapshotDiagnostics): void {
  if (rp.numRetries !== undefined && (!Number.isInteger(rp.numRetries) || rp.numRetries < 0)) {
    out.error(ctx, [...path, 'numRetries'], `num_retries ${rp.numRetries} must be a non-negative integer`);
  }
  const b = rp.retryBackOff;
  if (b && b.baseIntervalMs <= 0) out.error(ctx, [...path, 'retryBackOff', 'baseInterval'], 'base_interval must be greater than 0');
  if (b?.maxIntervalMs !== undefined && b.maxIntervalMs < b.baseIntervalMs) {
    // Envoy: "retry_policy.max_interval must greater than or equal to the base_interval".
    out.error(ctx, [...path, 'retryBackOff', 'maxInterval'], 'max_interval must be greater than or equal to base_interval');
  }
}
