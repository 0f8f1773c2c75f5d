/**
 * Plain views of the running data plane for the admin renderers in observe/admin (`/clusters`,
 * `/listeners`): built on request, from the runtime's objects, nothing cached.
 */
import type { Snapshot } from '../../model/index.ts';
import { edsServiceName, effectiveThresholds, isEnvoyAdminCluster, thresholdsFor } from '../../model/index.ts';
import {
  type CircuitBreakerThresholdsView,
  type ClusterStatusView,
  type HostHealthFlag,
  type HostStatusView,
  type ListenerStatusView,
} from '../../observe/admin/index.ts';
import type { ListenerSocket } from '../listener/listener-socket.ts';
import type { ClusterManager } from '../upstream/cluster-manager.ts';
import type { UpstreamCluster } from '../upstream/upstream-cluster.ts';
import { HEALTH_FLAGS, type UpstreamHost } from '../upstream/upstream-host.ts';

function healthFlags(h: UpstreamHost): HostHealthFlag[] {
  const f = h.healthFlags;
  const out: HostHealthFlag[] = [];
  if (f & HEALTH_FLAGS.FAILED_ACTIVE_HC) out.push('failed_active_hc');
  if (f & HEALTH_FLAGS.FAILED_OUTLIER_CHECK) out.push('failed_outlier_check');
  if (f & HEALTH_FLAGS.FAILED_EDS_HEALTH) out.push('failed_eds_health');
  if (f & HEALTH_FLAGS.DEGRADED_EDS_HEALTH) out.push('degraded_eds_health');
  if (f & HEALTH_FLAGS.PENDING_ACTIVE_HC) out.push('pending_active_hc');
  return out;
}

function thresholds(c: UpstreamCluster, priority: 'DEFAULT' | 'HIGH'): CircuitBreakerThresholdsView {
  return effectiveThresholds(thresholdsFor(c.config.circuitBreakers, priority));
}

export function clusterViews(clusters: ClusterManager): ClusterStatusView[] {
  return clusters
    .clusters()
    .map((c): ClusterStatusView => {
      const hosts = [...c.hosts].sort((a, b) => a.priority - b.priority);
      return {
        name: c.name,
        ...(c.statName !== c.name ? { observabilityName: c.statName } : {}),
        addedViaApi: !isEnvoyAdminCluster(c.name),
        ...(c.config.type === 'EDS' ? { edsServiceName: edsServiceName(c.config) } : {}),
        circuitBreakers: { default: thresholds(c, 'DEFAULT'), high: thresholds(c, 'HIGH') },
        ...(c.outlierDetector !== undefined ? { outlier: c.outlierDetector.view() } : {}),
        hosts: hosts.map(
          (h): HostStatusView => ({
            address: h.address,
            port: h.port,
            ...(h.hostname !== undefined ? { hostname: h.hostname } : {}),
            weight: h.weight,
            priority: h.priority,
            healthFlags: healthFlags(h),
            stats: h.stats,
            ...(h.outlier !== undefined ? { successRate: h.outlier.successRate, localOriginSuccessRate: h.outlier.localOriginSuccessRate } : {}),
          }),
        ),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function listenerViews(snapshot: Snapshot, sockets: ReadonlyMap<string, readonly ListenerSocket[]>): ListenerStatusView[] {
  return snapshot.listeners.map((l): ListenerStatusView => {
    const bound = sockets.get(l.name) ?? [];
    const first = bound[0]?.bound;
    return {
      name: l.name,
      ...(first ? { address: first.address, port: first.port } : {}),
      ...(bound.length > 1 ? { additionalAddresses: bound.slice(1).map((s) => s.bound) } : {}),
    };
  });
}
