/**
 * Envoy's access log filters (config.accesslog.v3.AccessLogFilter), compiled once into a
 * predicate over the entry: status code and duration comparisons, not-health-check, response
 * flags, and/or. An unknown response flag is a compile error, as Envoy's validation makes it.
 */
import { assertNever } from '../../lib/assert-never.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { ALL_RESPONSE_FLAGS, parseResponseFlag } from '../response-flags.ts';
import type { AccessLogEntry } from './entry.ts';
import type { FormatError } from './format-error.ts';

export type ComparisonOp = 'EQ' | 'GE' | 'LE';

/** Structurally the model's AccessLogFilter. */
export type AccessLogFilterSpec =
  | { readonly kind: 'statusCodeFilter'; readonly op: ComparisonOp; readonly value: number }
  | { readonly kind: 'durationFilter'; readonly op: ComparisonOp; readonly valueMs: number }
  | { readonly kind: 'notHealthCheckFilter' }
  | { readonly kind: 'responseFlagFilter'; readonly flags: readonly string[] }
  | { readonly kind: 'andFilter'; readonly filters: readonly AccessLogFilterSpec[] }
  | { readonly kind: 'orFilter'; readonly filters: readonly AccessLogFilterSpec[] };

export type AccessLogPredicate = (entry: AccessLogEntry) => boolean;

function compare(op: ComparisonOp, a: number, b: number): boolean {
  switch (op) {
    case 'EQ':
      return a === b;
    case 'GE':
      return a >= b;
    case 'LE':
      return a <= b;
    default:
      return assertNever(op, 'comparison op');
  }
}

export function compileAccessLogFilter(spec: AccessLogFilterSpec): Result<AccessLogPredicate, FormatError> {
  switch (spec.kind) {
    case 'statusCodeFilter': {
      const { op, value } = spec;
      return ok((e) => compare(op, e.responseCode, value));
    }
    case 'durationFilter': {
      const { op, valueMs } = spec;
      return ok((e) => e.durationMs !== undefined && compare(op, Math.trunc(e.durationMs), valueMs));
    }
    case 'notHealthCheckFilter':
      return ok((e) => e.isHealthCheck !== true);
    case 'responseFlagFilter': {
      let mask = 0;
      for (const f of spec.flags) {
        const bit = parseResponseFlag(f);
        if (bit === undefined) return err({ message: `unknown response flag ${JSON.stringify(f)} in response_flag_filter` });
        mask |= bit;
      }
      const m = mask === 0 ? ALL_RESPONSE_FLAGS : mask;
      return ok((e) => (e.responseFlags & m) !== 0);
    }
    case 'andFilter':
    case 'orFilter': {
      const subs: AccessLogPredicate[] = [];
      for (const f of spec.filters) {
        const c = compileAccessLogFilter(f);
        if (!c.ok) return c;
        subs.push(c.value);
      }
      return ok(spec.kind === 'andFilter' ? (e) => subs.every((p) => p(e)) : (e) => subs.some((p) => p(e)));
    }
    default:
      return assertNever(spec, 'access log filter');
  }
}
