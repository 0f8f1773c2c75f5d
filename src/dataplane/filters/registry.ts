/**
 * The HTTP filter registry: a typed filter config kind → the factory that builds it. The runtime
 * builds each HCM's chain through `createHttpFilters`, once per snapshot.
 *
 * Every kind the model holds has a factory: the registry's type is exhaustive over the model's
 * filter kinds, so a new kind does not compile until its factory is registered.
 */
import type { Diagnostic } from '../../lib/diagnostic.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import type { HttpFilter as HttpFilterModel, HttpFilterKind } from '../../model/index.ts';
import type { FilterFactoryContext, HttpFilter, HttpFilterFactory } from '../http/http-filter.ts';
import { faultFilterFactory } from './fault/index.ts';
import { localRateLimitFilterFactory } from './local-ratelimit/index.ts';
import { routerFilterFactory } from './router/index.ts';

export type HttpFilterRegistry = { readonly [K in HttpFilterKind]: HttpFilterFactory<K> };

export const HTTP_FILTER_FACTORIES: HttpFilterRegistry = {
  router: routerFilterFactory,
  localRateLimit: localRateLimitFilterFactory,
  fault: faultFilterFactory,
};

export interface BuiltFilters {
  readonly filters: readonly HttpFilter[];
  readonly warnings: readonly Diagnostic[];
}

function create<K extends HttpFilterKind>(
  registry: HttpFilterRegistry,
  model: Extract<HttpFilterModel, { kind: K }>,
  ctx: FilterFactoryContext,
): Result<HttpFilter, Diagnostic[]> {
  const factory = registry[model.kind as K] as HttpFilterFactory<K>;
  return factory.create(model, ctx);
}

export function createHttpFilters(
  models: readonly HttpFilterModel[],
  context: Omit<FilterFactoryContext, 'index'>,
  where: string,
  registry: HttpFilterRegistry = HTTP_FILTER_FACTORIES,
): Result<BuiltFilters, Diagnostic[]> {
  const filters: HttpFilter[] = [];
  const warnings: Diagnostic[] = [];
  const problems: Diagnostic[] = [];
  for (const m of models) {
    const built = create(registry, m, { ...context, index: filters.length });
    if (built.ok) filters.push(built.value);
    else problems.push(...built.error);
  }
  return problems.length > 0 ? err(problems) : ok({ filters, warnings });
}
