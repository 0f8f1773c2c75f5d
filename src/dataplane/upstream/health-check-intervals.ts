/**
 * When a host's next active health check runs (Envoy's HealthCheckerImplBase::interval), compiled
 * once per health check config. Each host's session re-arms its own timer after every check:
 *
 *   the cluster never made a connection      no_traffic_interval (default 60 s); after a
 *                                            pass that left the host healthy,
 *                                            no_traffic_healthy_interval (default the former)
 *   check passed, host state unchanged      interval
 *   check passed, healthy_threshold pending  healthy_edge_interval (default interval)
 *   check failed, host state unchanged      unhealthy_interval (default interval)
 *   check failed, unhealthy_threshold pending unhealthy_edge_interval (default unhealthy_interval)
 *
 * (a check that changed the host's state counts as "unchanged" here, as in Envoy), plus jitter:
 * a uniform pick below interval_jitter_percent of the base, then below interval_jitter; never
 * under 1 ms. The first check of a host runs at once, or after a uniform pick below
 * initial_jitter.
 */
import { ENVOY_DEFAULTS, type HealthCheck } from '../../model/index.ts';
import type { Random } from '../lb/index.ts';

/** Envoy's default no_traffic_interval. */
export const DEFAULT_NO_TRAFFIC_INTERVAL_MS = ENVOY_DEFAULTS.healthCheck.noTrafficIntervalMs;

/** Envoy's HealthTransition. */
export type HealthTransition = 'unchanged' | 'changed' | 'changePending';

export interface HealthCheckIntervals {
  readonly intervalMs: number;
  readonly noTrafficMs: number;
  readonly noTrafficHealthyMs: number;
  readonly unhealthyMs: number;
  readonly unhealthyEdgeMs: number;
  readonly healthyEdgeMs: number;
  readonly jitterMs: number;
  readonly jitterPercent: number;
  readonly initialJitterMs: number;
}

export function compileHealthCheckIntervals(c: HealthCheck): HealthCheckIntervals {
  const interval = c.intervalMs;
  const unhealthy = c.unhealthyIntervalMs ?? interval;
  const noTraffic = c.noTrafficIntervalMs ?? DEFAULT_NO_TRAFFIC_INTERVAL_MS;
  return {
    intervalMs: interval,
    noTrafficMs: noTraffic,
    noTrafficHealthyMs: c.noTrafficHealthyIntervalMs ?? noTraffic,
    unhealthyMs: unhealthy,
    unhealthyEdgeMs: c.unhealthyEdgeIntervalMs ?? unhealthy,
    healthyEdgeMs: c.healthyEdgeIntervalMs ?? interval,
    jitterMs: c.intervalJitterMs ?? 0,
    jitterPercent: c.intervalJitterPercent ?? 0,
    initialJitterMs: c.initialJitterMs ?? 0,
  };
}

/** Delay before the next check, after one that `passed` (or failed) with `transition`. */
export function nextCheckDelayMs(iv: HealthCheckIntervals, passed: boolean, transition: HealthTransition, trafficSeen: boolean, random: Random): number {
  let base: number;
  if (!trafficSeen) base = passed && transition !== 'changePending' ? iv.noTrafficHealthyMs : iv.noTrafficMs;
  else if (passed) base = transition === 'changePending' ? iv.healthyEdgeMs : iv.intervalMs;
  else base = transition === 'changePending' ? iv.unhealthyEdgeMs : iv.unhealthyMs;
  return withJitter(iv, base, iv.jitterMs, random);
}

/** Delay before a host's first check. */
export function initialCheckDelayMs(iv: HealthCheckIntervals, random: Random): number {
  return iv.initialJitterMs > 0 ? withJitter(iv, 0, iv.initialJitterMs, random) : 0;
}

function withJitter(iv: HealthCheckIntervals, base: number, jitterMs: number, random: Random): number {
  let ms = base;
  const percentMod = Math.floor((iv.jitterPercent * base) / 100);
  if (percentMod > 0) ms += Math.floor(random.next() * percentMod);
  if (jitterMs > 0) ms += Math.floor(random.next() * jitterMs);
  return Math.max(1, ms);
}
