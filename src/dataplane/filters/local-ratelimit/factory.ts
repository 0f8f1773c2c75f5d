/** The local rate limit filter's factory: model LocalRateLimit → one LocalRateLimitFilter per HCM. */
import { DIAGNOSTIC_CODES } from '../../../lib/diagnostic.ts';
import { err, ok } from '../../../lib/result.ts';
import type { HttpFilterFactory } from '../../http/http-filter.ts';
import { LocalRateLimitFilterConfig } from './config.ts';
import { LocalRateLimitFilter } from './filter.ts';

export const localRateLimitFilterFactory: HttpFilterFactory<'localRateLimit'> = {
  kind: 'localRateLimit',
  create(model, ctx) {
    const built = LocalRateLimitFilterConfig.build(model.typedConfig, ctx.stats, ctx.clock);
    if (!built.ok) {
      return err(built.error.map((message) => ({ code: DIAGNOSTIC_CODES.INVALID_VALUE, severity: 'error' as const, message: `HTTP filter ${model.name}: ${message}` })));
    }
    return ok(new LocalRateLimitFilter(model.name, model.disabled === true, built.value, ctx.index, ctx));
  },
};
