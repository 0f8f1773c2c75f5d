/**
 * A config's report: its status conditions (Accepted, Programmed, Conflicted: what Cilium never
 * tells its users) and what it turned into (qualified names, redirects, EDS names), for
 * `weft get cec -o wide` and `weft explain cec`.
 */
import { formatObjectRef, type Diagnostic } from '../../lib/diagnostic.ts';
import { edsServiceName, type SocketAddress } from '../../model/index.ts';
import type { Admission } from './admission.ts';
import type { PreparedConfig } from './prepare-config.ts';
import { formatHostPort } from './service-view.ts';
import type { CiliumEnvoyConfigReport, ClusterReport, ConfigCondition, ListenerReport } from './types.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function firstError(ds: readonly Diagnostic[]): string {
  const errors = ds.filter((d) => d.severity === 'error');
  const d = errors[0];
  if (!d) return 'the config is invalid';
  const where = d.position ? `${d.position.file}:${d.position.line}:${d.position.column}: ` : '';
  const more = errors.length > 1 ? ` (and ${plural(errors.length - 1, 'more error')})` : '';
  return `${where}${d.field ? `${d.field}: ` : ''}${d.message}${more}`;
}

function listenerReports(c: PreparedConfig): ListenerReport[] {
  return c.resources.flatMap(({ resource: r }) => {
    if (r.kind !== 'listener') return [];
    const l = r.listener;
    const socket = (a: SocketAddress): string => formatHostPort(a.address, a.portValue);
    const addresses = [...(l.address ? [l.address.kind === 'pipe' ? l.address.path : socket(l.address)] : []), ...l.additionalAddresses.map(socket)];
    return [{ name: l.name, addresses, internal: l.address === undefined }];
  });
}

function clusterReports(c: PreparedConfig): ClusterReport[] {
  return c.resources.flatMap(({ resource: r }) => (r.kind === 'cluster' ? [{ name: r.cluster.name, type: r.cluster.type, ...(r.cluster.type === 'EDS' ? { edsServiceName: edsServiceName(r.cluster) } : {}) }] : []));
}

function programmedMessage(c: PreparedConfig, listeners: readonly ListenerReport[], clusters: number): string {
  const parts = [`${plural(listeners.length, 'listener')}, ${plural(clusters, 'cluster')}`];
  if (c.redirects.length > 0) parts.push(`intercepts ${c.redirects.map((r) => `${r.namespace}/${r.service}:${r.port}`).join(', ')}`);
  for (const s of c.pendingServices) parts.push(`Service ${s} does not exist yet: its traffic is intercepted once it does`);
  const internal = listeners.filter((l) => l.internal).map((l) => l.name);
  if (internal.length > 0) parts.push(`internal (no address, no Service redirected to it): ${internal.join(', ')}`);
  return parts.join('; ');
}

function conditions(c: PreparedConfig, a: Admission, listeners: readonly ListenerReport[], clusters: number): ConfigCondition[] {
  const accepted: ConfigCondition = a.accepted.ok
    ? { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'the config is valid and its references resolve' }
    : { type: 'Accepted', status: 'False', reason: a.accepted.reason, message: firstError(c.diagnostics.list) };
  const programmed: ConfigCondition = a.programmed.ok
    ? { type: 'Programmed', status: 'True', reason: 'Programmed', message: programmedMessage(c, listeners, clusters) }
    : { type: 'Programmed', status: 'False', reason: a.programmed.reason, message: a.programmed.message };
  const conflicted: ConfigCondition =
    a.conflicts.length === 0
      ? { type: 'Conflicted', status: 'False', reason: 'NoConflicts', message: 'no conflict with another config' }
      : {
          type: 'Conflicted',
          status: 'True',
          reason: 'Conflicted',
          message: a.conflicts.map((w) => `with ${formatObjectRef(w.other)} (${w.older ? 'older' : 'newer'}): ${w.what.join('; ')}`).join('; '),
        };
  return [accepted, programmed, conflicted];
}

export function configReport(c: PreparedConfig, a: Admission): CiliumEnvoyConfigReport {
  const shown = a.accepted.ok ? c : { ...c, resources: [], redirects: [] };
  const listeners = listenerReports(shown);
  const clusters = clusterReports(shown);
  const routeConfigurations = shown.resources.flatMap(({ resource: r }) => (r.kind === 'routeConfiguration' ? [r.routeConfiguration.name as string] : []));
  const secrets = shown.resources.flatMap(({ resource: r }) => (r.kind === 'secret' ? [r.secret.name as string] : []));
  const backend = new Set<string>([...c.spec.services.map((s) => `${s.namespace}/${s.name}`), ...c.spec.backendServices.map((b) => `${b.namespace}/${b.name}`)]);
  const generation = c.object.metadata.generation;
  return {
    object: c.ref,
    ...(typeof generation === 'number' ? { generation } : {}),
    conditions: conditions(c, a, listeners, clusters.length),
    diagnostics: c.diagnostics.list,
    listeners,
    routeConfigurations,
    clusters,
    secrets,
    redirects: shown.redirects,
    backendServices: [...backend],
  };
}

