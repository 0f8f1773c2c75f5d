/**
 * One config on its own: decode every `spec.resources[i]` with Envoy's descriptors, qualify the
 * names, apply Cilium's cluster defaults, bind the listeners (redirects, explicit addresses) and
 * check what does not depend on other configs. Any error makes the whole config invalid; it then
 * contributes nothing (Cilium would log and skip the bad resource; weft refuses the object, so
 * that what runs is what the user wrote).
 */
import type { KubeObject } from '../../api/object.ts';
import { DIAGNOSTIC_CODES, type ObjectRef } from '../../lib/diagnostic.ts';
import type { ModelResource, PositionOf } from '../envoy/index.ts';
import { decodeEnvoyResource } from '../envoy/index.ts';
import { bindListeners, type ConfigListener } from './bind-listeners.ts';
import { withCiliumClusterDefaults } from './cluster-defaults.ts';
import { ConfigDiagnostics } from './config-diagnostics.ts';
import { readConfigSpec, type ConfigSpec } from './config-spec.ts';
import type { QualifyScope } from './qualified-name.ts';
import { qualifyResource, resourceName, type NameRef } from './qualify-resource.ts';
import { RawCursor } from './raw-cursor.ts';
import type { ServiceView } from './service-view.ts';
import type { ServicePortRedirect } from './types.ts';

export const CLUSTERWIDE_KIND = 'CiliumClusterwideEnvoyConfig';

/** A resource of the config and the index of the `spec.resources[]` entry it came from. */
export interface PlacedResource {
  readonly resource: ModelResource;
  readonly index: number;
}

export interface PreparedConfig {
  readonly inputIndex: number;
  readonly object: KubeObject;
  readonly ref: ObjectRef;
  readonly scope: QualifyScope;
  readonly spec: ConfigSpec;
  readonly diagnostics: ConfigDiagnostics;
  /** Qualified, defaulted and bound: what decoded, even when the config has an error elsewhere. */
  readonly resources: readonly PlacedResource[];
  /** References, with paths from the object's root. */
  readonly refs: readonly NameRef[];
  readonly redirects: readonly ServicePortRedirect[];
  readonly pendingServices: readonly string[];
}

export interface PrepareContext {
  readonly services: ReadonlyMap<string, ServiceView>;
  readonly nodeAddress: string;
  readonly externalClusters: ReadonlySet<string>;
  readonly positionOf?: (object: KubeObject) => PositionOf | undefined;
}

const KIND_NAMES: Readonly<Record<ModelResource['kind'], string>> = {
  listener: 'Listener',
  routeConfiguration: 'RouteConfiguration',
  cluster: 'Cluster',
  clusterLoadAssignment: 'ClusterLoadAssignment',
  secret: 'Secret',
};

export function resourceKindName(r: ModelResource): string {
  return KIND_NAMES[r.kind];
}

function nameField(r: ModelResource): string {
  return r.kind === 'clusterLoadAssignment' ? 'cluster_name' : 'name';
}

/** Names defined twice after qualification; clusters that clash with weft's own or the admin cluster. */
function checkNames(placed: readonly PlacedResource[], raws: readonly unknown[], written: ReadonlyMap<number, string>, cx: PrepareContext, out: ConfigDiagnostics): void {
  const seen = new Map<string, number>();
  for (const { resource, index } of placed) {
    const kind = resourceKindName(resource);
    const name = resourceName(resource);
    const at = new RawCursor(raws[index], ['spec', 'resources', index]).get(nameField(resource)).path;
    const first = seen.get(`${kind}/${name}`);
    if (first !== undefined) {
      out.error(at, DIAGNOSTIC_CODES.CONFLICT, `duplicate ${kind} name "${name}" (also spec.resources[${first}])`, 'names are unique per type within a config, after qualification');
      continue;
    }
    seen.set(`${kind}/${name}`, index);
    if (resource.kind !== 'cluster') continue;
    if (cx.externalClusters.has(name)) {
      out.error(at, DIAGNOSTIC_CODES.CONFLICT, `cluster "${name}" is already defined by weft (a Service or the bootstrap)`, 'give the cluster another name');
    } else if (name === '/envoy-admin') {
      out.error(at, DIAGNOSTIC_CODES.CONFLICT, '"/envoy-admin" is the built-in admin cluster and cannot be redefined', 'give the cluster another name');
    } else if (written.get(index) === 'envoy-admin') {
      out.warning(at, DIAGNOSTIC_CODES.CONFLICT, `this cluster is named "${name}"; a reference to "envoy-admin" means weft's built-in admin cluster, not this one`, `refer to it as "${name}"`);
    }
  }
}

export function prepareConfig(object: KubeObject, inputIndex: number, cx: PrepareContext): PreparedConfig {
  const clusterwide = object.kind === CLUSTERWIDE_KIND;
  const namespace = clusterwide ? undefined : (object.metadata.namespace ?? 'default');
  const ref: ObjectRef = { kind: object.kind, ...(namespace !== undefined ? { namespace } : {}), name: object.metadata.name };
  const scope: QualifyScope = { namespace: namespace ?? '', configName: object.metadata.name };
  const positionOf = cx.positionOf?.(object);
  const out = new ConfigDiagnostics(ref, positionOf);
  const spec = readConfigSpec(object.spec, namespace, out);

  const placed: PlacedResource[] = [];
  const refs: NameRef[] = [];
  const written = new Map<number, string>();
  spec.resources.forEach((raw, index) => {
    const basePath = ['spec', 'resources', index];
    const decoded = decodeEnvoyResource(raw, undefined, positionOf, { basePath, object: ref });
    out.push(decoded.diagnostics);
    if (!decoded.resource) return;
    const q = qualifyResource(decoded.resource, raw, scope);
    written.set(index, q.writtenName);
    refs.push(...q.refs.map((r) => ({ ...r, path: [...basePath, ...r.path] })));
    const resource = q.resource.kind === 'cluster' ? { kind: 'cluster' as const, cluster: withCiliumClusterDefaults(q.resource.cluster) } : q.resource;
    placed.push({ resource, index });
  });
  checkNames(placed, spec.resources, written, cx, out);

  const listeners: ConfigListener[] = placed.flatMap((p) => (p.resource.kind === 'listener' ? [{ listener: p.resource.listener, resourceIndex: p.index }] : []));
  const bound = bindListeners(spec, listeners, cx.services, scope, cx.nodeAddress, out);
  const byIndex = new Map(bound.listeners.map((l) => [l.resourceIndex, l.listener]));
  const resources = placed.map((p) => {
    const l = p.resource.kind === 'listener' ? byIndex.get(p.index) : undefined;
    return l ? { resource: { kind: 'listener' as const, listener: l }, index: p.index } : p;
  });

  return { inputIndex, object, ref, scope, spec, diagnostics: out, resources, refs, redirects: bound.redirects, pendingServices: bound.pendingServices };
}
