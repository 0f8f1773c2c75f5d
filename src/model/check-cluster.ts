/**
 * Cluster and endpoint checks Envoy makes when it accepts a cluster (source/common/upstream/):
 * lb_config fits lb_policy, STATIC hosts are IP addresses, endpoint weights ≥ 1, Maglev's table
 * size is prime, ring sizes ordered, TLS secrets resolvable, health checks with positive timings.
 */
import { isIP } from 'node:net';
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import type { ReferenceIndex } from './check-route-configuration.ts';
import { checkTlsSecretRefs } from './check-tls.ts';
import type { Cluster, LbConfig, LbPolicy } from './cluster.ts';
import type { ClusterLoadAssignment } from './endpoint.ts';
import type { FieldPath, ResourceContext, SnapshotDiagnostics } from './snapshot-diagnostics.ts';

const LB_CONFIG_POLICY: Readonly<Record<LbConfig['kind'], LbPolicy>> = {
  ringHashLbConfig: 'RING_HASH',
  maglevLbConfig: 'MAGLEV',
  leastRequestLbConfig: 'LEAST_REQUEST',
  roundRobinLbConfig: 'ROUND_ROBIN',
};

export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

export function checkCluster(c: Cluster, ctx: ResourceContext, index: ReferenceIndex, out: SnapshotDiagnostics): void {
  const policy = c.lbPolicy ?? 'ROUND_ROBIN';
  if (c.lbConfig && LB_CONFIG_POLICY[c.lbConfig.kind] !== policy) {
    out.error(ctx, ['lbConfig'], `${c.lbConfig.kind} does not apply to lb_policy ${policy}`);
  }
  if (c.lbConfig?.kind === 'maglevLbConfig') {
    const size = c.lbConfig.maglevLbConfig.tableSize;
    if (size !== undefined && (!isPrime(size) || size > 5_000_011)) {
      out.error(ctx, ['lbConfig', 'maglevLbConfig', 'tableSize'], `table_size ${size} must be a prime number no greater than 5000011`);
    }
  }
  if (c.lbConfig?.kind === 'ringHashLbConfig') {
    const { minimumRingSize = 1024, maximumRingSize = 8_388_608 } = c.lbConfig.ringHashLbConfig;
    if (minimumRingSize > maximumRingSize) {
      out.error(ctx, ['lbConfig', 'ringHashLbConfig', 'minimumRingSize'], `minimum_ring_size ${minimumRingSize} is greater than maximum_ring_size ${maximumRingSize}`);
    }
  }
  if (c.lbConfig?.kind === 'leastRequestLbConfig') {
    const n = c.lbConfig.leastRequestLbConfig.choiceCount;
    if (n !== undefined && (!Number.isInteger(n) || n < 2)) out.error(ctx, ['lbConfig', 'leastRequestLbConfig', 'choiceCount'], 'choice_count must be at least 2');
  }
  if (c.loadAssignment) checkLoadAssignment(c.loadAssignment, ctx, ['loadAssignment'], c.type === 'STATIC', out);
  if (c.connectTimeoutMs !== undefined && c.connectTimeoutMs <= 0) out.error(ctx, ['connectTimeout'], 'connect_timeout must be greater than 0');
  c.healthChecks.forEach((hc, i) => {
    if (!(hc.timeoutMs > 0)) out.error(ctx, ['healthChecks', i, 'timeout'], 'timeout must be greater than 0');
    if (!(hc.intervalMs > 0)) out.error(ctx, ['healthChecks', i, 'interval'], 'interval must be greater than 0');
  });
  if (c.transportSocket) checkTlsSecretRefs(c.transportSocket.commonTlsContext, ctx, ['transportSocket', 'commonTlsContext'], index, out);
}

/** Checks a load assignment, inline (`staticHosts`: addresses must be IPs) or top-level (EDS). */
export function checkLoadAssignment(cla: ClusterLoadAssignment, ctx: ResourceContext, base: FieldPath, staticHosts: boolean, out: SnapshotDiagnostics): void {
  cla.endpoints.forEach((lle, l) => {
    const lp = [...base, 'endpoints', l];
    if (lle.priority !== undefined && (!Number.isInteger(lle.priority) || lle.priority < 0 || lle.priority > 127)) {
      out.error(ctx, [...lp, 'priority'], `priority ${lle.priority} must be an integer from 0 to 127`);
    }
    lle.lbEndpoints.forEach((e, i) => {
      const ep = [...lp, 'lbEndpoints', i];
      const w = e.loadBalancingWeight;
      if (w !== undefined && (!Number.isInteger(w) || w < 1)) out.error(ctx, [...ep, 'loadBalancingWeight'], `load_balancing_weight ${w} must be an integer of at least 1`);
      const a = e.endpoint.address;
      if (a.kind === 'socketAddress') {
        if (!Number.isInteger(a.portValue) || a.portValue < 0 || a.portValue > 65535) {
          out.error(ctx, [...ep, 'endpoint', 'address', 'socketAddress', 'portValue'], `port ${a.portValue} is not a port number`);
        }
        if (staticHosts && isIP(a.address) === 0) {
          out.error(ctx, [...ep, 'endpoint', 'address', 'socketAddress', 'address'], `${JSON.stringify(a.address)} is not an IP address; a STATIC cluster needs IP addresses`, DIAGNOSTIC_CODES.INVALID_VALUE, 'use type STRICT_DNS or LOGICAL_DNS for host names');
        }
      }
    });
  });
}
