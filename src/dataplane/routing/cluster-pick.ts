/**
 * Weighted cluster choice (RouteAction.weighted_clusters). Envoy picks per request:
 * `selected = random % total_weight`, then the cluster whose [begin, end) range of cumulative
 * weight holds it (source/common/router/weighted_cluster_specifier.cc). Here the cumulative array
 * is built once, and a pick is a binary search over it: no allocation per request. A weight of 0
 * owns an empty range and is never picked.
 */
import type { ClusterName, ClusterWeight, WeightedCluster } from '../../model/index.ts';
import type { Random } from './request.ts';

/** One cluster a route may send to, with the weighted entry's own settings when there is one. */
export interface ClusterChoice {
  readonly cluster: ClusterName;
  /** The weighted_clusters entry (its header mutations, host_rewrite_literal, per-filter config). */
  readonly weighted?: ClusterWeight;
}

export interface ClusterTarget {
  readonly choices: readonly ClusterChoice[];
  /** cumulative[i] = sum of weights of choices 0..i. */
  readonly cumulative: Float64Array;
  readonly total: number;
}

export function singleClusterTarget(cluster: ClusterName): ClusterTarget {
  return { choices: [{ cluster }], cumulative: Float64Array.of(1), total: 1 };
}

export function weightedClusterTarget(wc: WeightedCluster): ClusterTarget {
  const choices = wc.clusters.map((c): ClusterChoice => ({ cluster: c.name, weighted: c }));
  const cumulative = new Float64Array(choices.length);
  let total = 0;
  wc.clusters.forEach((c, i) => {
    total += c.weight;
    cumulative[i] = total;
  });
  return { choices, cumulative, total };
}

/** A fair weighted pick. `random.next()` is uniform in [0, 1). */
export function pickCluster(target: ClusterTarget, random: Random): ClusterChoice {
  const choices = target.choices;
  if (choices.length === 1) return choices[0];
  const r = random.next() * target.total;
  const cum = target.cumulative;
  // First index whose cumulative weight exceeds r.
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return choices[lo];
}
