/** The fault filter's factory: model HTTPFault → one FaultFilter per HCM. */
import { DIAGNOSTIC_CODES } from '../../../lib/diagnostic.ts';
import { err, ok } from '../../../lib/result.ts';
import type { HttpFilterFactory } from '../../http/http-filter.ts';
import { FaultFilterConfig } from './config.ts';
import { FaultFilter } from './filter.ts';

export const faultFilterFactory: HttpFilterFactory<'fault'> = {
  kind: 'fault',
  create(model, ctx) {
    const built = FaultFilterConfig.build(model.typedConfig);
    if (!built.ok) {
      return err(built.error.map((message) => ({ code: DIAGNOSTIC_CODES.INVALID_VALUE, severity: 'error' as const, message: `HTTP filter ${model.name}: ${message}` })));
    }
    return ok(new FaultFilter(model.name, model.disabled === true, built.value, ctx.index, ctx));
  },
};
