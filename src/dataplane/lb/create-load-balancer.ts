/**
 * The one place a Cluster's lb_policy, lb_config and common_lb_config become a balancer.
 */
import type { Cluster } from '../../model/index.ts';
import { ENVOY_DEFAULTS } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import type { LbHost, LoadBalancer } from './host.ts';
import { LeastRequestBalancer } from './least-request.ts';
import { MaglevBalancer } from './maglev.ts';
import type { Random } from './random.ts';
import { RandomBalancer } from './random-balancer.ts';
import { RingHashBalancer } from './ring-hash.ts';
import { RoundRobinBalancer } from './round-robin.ts';

export type LoadBalancerSettings = Pick<Cluster, 'lbPolicy' | 'lbConfig' | 'commonLbConfig'>;

export function createLoadBalancer<H extends LbHost>(
  settings: LoadBalancerSettings,
  hostsByPriority: readonly (readonly H[])[],
  random: Random,
): LoadBalancer<H> {
  const base = {
    random,
    healthyPanicThreshold: settings.commonLbConfig?.healthyPanicThreshold ?? ENVOY_DEFAULTS.cluster.healthyPanicThreshold,
  };
  const cfg = settings.lbConfig;
  const policy = settings.lbPolicy ?? 'ROUND_ROBIN';
  switch (policy) {
    case 'ROUND_ROBIN':
      return new RoundRobinBalancer(hostsByPriority, base);
    case 'LEAST_REQUEST': {
      const lr = cfg?.kind === 'leastRequestLbConfig' ? cfg.leastRequestLbConfig : {};
      return new LeastRequestBalancer(hostsByPriority, { ...base, choiceCount: lr.choiceCount, activeRequestBias: lr.activeRequestBias });
    }
    case 'RANDOM':
      return new RandomBalancer(hostsByPriority, base);
    case 'RING_HASH': {
      const rh = cfg?.kind === 'ringHashLbConfig' ? cfg.ringHashLbConfig : {};
      return new RingHashBalancer(hostsByPriority, { ...base, minimumRingSize: rh.minimumRingSize, maximumRingSize: rh.maximumRingSize });
    }
    case 'MAGLEV': {
      const m = cfg?.kind === 'maglevLbConfig' ? cfg.maglevLbConfig : {};
      return new MaglevBalancer(hostsByPriority, { ...base, tableSize: m.tableSize });
    }
    default:
      return assertNever(policy, 'lb_policy');
  }
}
