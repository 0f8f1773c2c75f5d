/**
 * A RouteConfiguration compiled against a runtime's clusters: routing/'s RouteTable, plus what
 * the router needs per route at request time (header mutations compiled, direct response bodies
 * read), and a check that every cluster a route names exists in this runtime (buildSnapshot checks
 * the same; a snapshot made some other way is refused here rather than answering 503 NC later).
 */
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../lib/diagnostic.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import type { RouteConfiguration } from '../../model/index.ts';
import { isEnvoyAdminCluster } from '../../model/index.ts';
import { FaultFilterConfig } from '../filters/fault/index.ts';
import { checkLocalRateLimit } from '../filters/local-ratelimit/index.ts';
import { compileMutationLayer, type HeaderMutationLayer } from '../http/header-mutations.ts';
import type { RouteExtras, RouteMutations, RouteSnapshot, UpstreamLookup } from '../http/route-snapshot.ts';
import { RouteTable, type HeaderMutations, type RouteEntry } from '../routing/index.ts';
import { runtimeDiagnostic, type RuntimeResource } from './runtime-diagnostic.ts';
import { readDataSource, type DataSourceReader } from './tls-material.ts';

function compileLayers(layers: readonly HeaderMutations[], problems: string[]): HeaderMutationLayer[] {
  const out: HeaderMutationLayer[] = [];
  for (const l of layers) {
    const c = compileMutationLayer(l.add, l.remove);
    if (c.ok) out.push(c.value);
    else problems.push(c.error);
  }
  return out;
}

function mutationsOf(entry: RouteEntry, problems: string[]): RouteMutations | undefined {
  if (entry.requestHeaders.length === 0 && entry.responseHeaders.length === 0) return undefined;
  return { request: compileLayers(entry.requestHeaders, problems), response: compileLayers(entry.responseHeaders, problems) };
}

export function buildRouteSnapshot(
  rc: RouteConfiguration,
  upstream: UpstreamLookup & { has(name: string): boolean },
  resource: RuntimeResource,
  read: DataSourceReader = readDataSource,
): Result<RouteSnapshot, Diagnostic[]> {
  const built = RouteTable.build(rc);
  if (!built.ok) return built;
  const table = built.value;
  const extras = new Map<RouteEntry, RouteExtras>();
  const problems: Diagnostic[] = [];
  for (const vh of table.virtualHosts) {
    for (const entry of vh.routes) {
      const errors: string[] = [];
      const mutations = mutationsOf(entry, errors);
      let weighted: Map<object, RouteMutations> | undefined;
      let directBody: string | undefined;
      const action = entry.action;
      if (action.kind === 'route') {
        for (const choice of action.target.choices) {
          if (!upstream.has(choice.cluster) && !isEnvoyAdminCluster(choice.cluster)) {
            problems.push(runtimeDiagnostic(resource, `route ${JSON.stringify(entry.route.name ?? '')} in virtual host ${JSON.stringify(vh.virtualHost.name)} names cluster ${JSON.stringify(choice.cluster)}, which does not exist`, DIAGNOSTIC_CODES.UNRESOLVED_REF));
          }
          const w = choice.weighted;
          if (w === undefined) continue;
          if (w.requestHeadersToAdd.length + w.requestHeadersToRemove.length + w.responseHeadersToAdd.length + w.responseHeadersToRemove.length === 0) continue;
          const req = compileLayers([{ add: w.requestHeadersToAdd, remove: w.requestHeadersToRemove }], errors);
          const resp = compileLayers([{ add: w.responseHeadersToAdd, remove: w.responseHeadersToRemove }], errors);
          (weighted ??= new Map()).set(w, { request: req, response: resp });
        }
      } else if (action.kind === 'directResponse' && action.body !== undefined) {
        const body = read(action.body);
        if (body.ok) directBody = body.value;
        else errors.push(`direct response body: ${body.error}`);
      }
      for (const name in entry.perFilterConfig) {
        const c = entry.perFilterConfig[name];
        const where = `route ${JSON.stringify(entry.route.name ?? '')}: typed_per_filter_config ${name}`;
        if (c.kind === 'localRateLimit') for (const e of checkLocalRateLimit(c.typedConfig)) errors.push(`${where}: ${e}`);
        else if (c.kind === 'fault') {
          const built = FaultFilterConfig.build(c.typedConfig);
          if (!built.ok) for (const e of built.error) errors.push(`${where}: ${e}`);
        }
      }
      for (const e of errors) problems.push(runtimeDiagnostic(resource, e));
      if (mutations !== undefined || weighted !== undefined || directBody !== undefined) extras.set(entry, { mutations, weighted, directBody });
    }
  }
  if (problems.length > 0) return err(problems);
  return ok({ table, upstream, extras });
}
