/** The router's filter factory: model Router → the shared RouterFilter of one HCM. */
import { ok } from '../../../lib/result.ts';
import type { HttpFilterFactory } from '../../http/http-filter.ts';
import { buildRouterFilterConfig } from './config.ts';
import { RouterFilter } from './filter.ts';

export const routerFilterFactory: HttpFilterFactory<'router'> = {
  kind: 'router',
  create(config, ctx) {
    return ok(new RouterFilter(config.name, buildRouterFilterConfig(config.typedConfig, ctx.statPrefix, ctx.stats, ctx.random)));
  },
};
