/**
 * Reference resolution across configs. A cluster a route, weighted cluster, mirror or tcp_proxy
 * names must be defined by the config itself, by another config, by weft (`externalClusters`:
 * Services, bootstrap) or be the built-in admin cluster; an RDS `route_config_name` and an SDS
 * secret must be defined by a config. Cilium would hand a dangling name to Envoy and the user would
 * see a 503 at request time; weft reports it at the field, at apply time.
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import { isEnvoyAdminCluster } from '../../model/index.ts';
import type { PreparedConfig } from './prepare-config.ts';
import type { NameRef, NameRefKind } from './qualify-resource.ts';
import { resourceName } from './qualify-resource.ts';

export type DefinedNames = Readonly<Record<NameRefKind, ReadonlySet<string>>>;

/** The names a set of configs define, per kind of reference. */
export function definedNames(configs: Iterable<PreparedConfig>): DefinedNames {
  const out = { cluster: new Set<string>(), routeConfiguration: new Set<string>(), secret: new Set<string>() };
  for (const c of configs) {
    for (const { resource } of c.resources) {
      if (resource.kind === 'cluster' || resource.kind === 'routeConfiguration' || resource.kind === 'secret') out[resource.kind].add(resourceName(resource));
    }
  }
  return out;
}

export function unresolvedRefs(config: PreparedConfig, defined: DefinedNames, external: ReadonlySet<string>): NameRef[] {
  return config.refs.filter((r) => !(defined[r.kind].has(r.name) || (r.kind === 'cluster' && (external.has(r.name) || isEnvoyAdminCluster(r.name)))));
}

const WHAT: Readonly<Record<NameRefKind, string>> = { cluster: 'cluster', routeConfiguration: 'route configuration', secret: 'secret' };

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}

/** `cluster "foo" (qualified as "default/cec/foo")`, naming what the user wrote first. */
export function describeRef(config: PreparedConfig, ref: NameRef): string {
  const written = valueAt(config.object, ref.path);
  const shown = typeof written === 'string' && written !== ref.name ? `"${written}" (qualified as "${ref.name}")` : `"${ref.name}"`;
  return `${WHAT[ref.kind]} ${shown}`;
}

/**
 * Reports each dangling reference of a config at its field. `definers` names configs that define
 * the name but are not accepted, to say why it is missing.
 */
export function reportUnresolved(config: PreparedConfig, refs: readonly NameRef[], definers: (ref: NameRef) => string | undefined): void {
  for (const ref of refs) {
    const by = definers(ref);
    const where = ref.kind === 'cluster' ? 'this config, another accepted config, or weft (Services, bootstrap)' : 'this config or another accepted config';
    const message = by ? `${describeRef(config, ref)} is defined by ${by}, which is not accepted` : `${describeRef(config, ref)} is not defined by ${where}`;
    const local = typeof valueAt(config.object, ref.path) === 'string' && !String(valueAt(config.object, ref.path)).includes('/');
    const hint = by
      ? 'fix that config first'
      : local
        ? ref.kind === 'cluster'
          ? 'a name without "/" is local to its config; a Service\'s backends are the cluster "<namespace>/<service>" (an EDS Cluster of that name), another config\'s cluster is written with its qualified name'
          : `a name without "/" is local to its config; to refer to another config's ${WHAT[ref.kind]}, write its qualified name`
        : `define a ${ref.kind === 'cluster' ? 'Cluster' : ref.kind === 'routeConfiguration' ? 'RouteConfiguration' : 'Secret'} of that name, or correct the reference (names are case-sensitive)`;
    config.diagnostics.error(ref.path, DIAGNOSTIC_CODES.UNRESOLVED_REF, message, hint);
  }
}
