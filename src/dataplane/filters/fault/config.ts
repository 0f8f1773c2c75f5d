/**
 * The fault filter's shared config (Envoy's FaultFilterConfig + FaultSettings: delay, abort,
 * response_rate_limit and the conditions): built once from
 * the model's HTTPFault, for the HCM's filter or one route's typed_per_filter_config. Header
 * matchers are compiled here; the `http.<stat_prefix>.fault.*` stats are the HCM's.
 */
import { err, ok, type Result } from '../../../lib/result.ts';
import type { Fault } from '../../../model/index.ts';
import { counter, createStatSet, gauge, type StatScope, type StatSet, type StatStore } from '../../../observe/stats/index.ts';
import { compileHeaderMatcher, type RequestPredicate } from '../../routing/index.ts';

export const ALL_FAULT_STATS = {
  delaysInjected: counter('delays_injected'),
  abortsInjected: counter('aborts_injected'),
  responseRlInjected: counter('response_rl_injected'),
  faultsOverflow: counter('faults_overflow'),
  activeFaults: gauge('active_faults'),
} as const;

export type FaultStats = StatSet<typeof ALL_FAULT_STATS>;

/** `http.<stat_prefix>.fault.` (Envoy's fault filter stats). */
export function createFaultStats(store: StatStore, hcmStatPrefix: string): { stats: FaultStats; scope: StatScope } {
  const scope = store.scope(`http.${hcmStatPrefix}.fault`);
  return { stats: createStatSet(scope, ALL_FAULT_STATS), scope };
}

export type CompiledDelay = { readonly kind: 'fixed'; readonly ms: number; readonly percentage: number } | { readonly kind: 'header'; readonly percentage: number };

export type CompiledAbort =
  | { readonly kind: 'http'; readonly status: number; readonly percentage: number }
  | { readonly kind: 'grpc'; readonly grpcStatus: number; readonly percentage: number }
  | { readonly kind: 'header'; readonly percentage: number };

/** response_rate_limit: a fixed KiB/s, or the `x-envoy-fault-throughput-response` header's. */
export type CompiledRateLimit = { readonly kind: 'fixed'; readonly kbps: number; readonly percentage: number } | { readonly kind: 'header'; readonly percentage: number };

export class FaultFilterConfig {
  readonly delay: CompiledDelay | undefined;
  readonly abort: CompiledAbort | undefined;
  readonly responseRateLimit: CompiledRateLimit | undefined;
  readonly upstreamCluster: string | undefined;
  readonly headers: readonly RequestPredicate[];
  readonly downstreamNodes: ReadonlySet<string> | undefined;
  readonly maxActiveFaults: number;

  private constructor(m: Fault, headers: RequestPredicate[]) {
    const d = m.delay;
    // The model's default percentage is 100% once a delay / abort is configured at all.
    this.delay =
      d === undefined
        ? undefined
        : d.faultDelaySpecifier.kind === 'fixedDelay'
          ? { kind: 'fixed', ms: d.faultDelaySpecifier.fixedDelayMs, percentage: d.percentage ?? 1 }
          : { kind: 'header', percentage: d.percentage ?? 1 };
    const a = m.abort;
    if (a === undefined) this.abort = undefined;
    else {
      const e = a.errorType;
      const percentage = a.percentage ?? 1;
      this.abort = e.kind === 'httpStatus' ? { kind: 'http', status: e.httpStatus, percentage } : e.kind === 'grpcStatus' ? { kind: 'grpc', grpcStatus: e.grpcStatus, percentage } : { kind: 'header', percentage };
    }
    const rl = m.responseRateLimit;
    this.responseRateLimit =
      rl === undefined
        ? undefined
        : rl.limitType.kind === 'fixedLimit'
          ? { kind: 'fixed', kbps: rl.limitType.limitKbps, percentage: rl.percentage ?? 1 }
          : { kind: 'header', percentage: rl.percentage ?? 1 };
    this.upstreamCluster = m.upstreamCluster;
    this.headers = headers;
    this.downstreamNodes = m.downstreamNodes.length > 0 ? new Set(m.downstreamNodes) : undefined;
    this.maxActiveFaults = m.maxActiveFaults ?? Number.POSITIVE_INFINITY;
  }

  static build(m: Fault): Result<FaultFilterConfig, string[]> {
    const problems: string[] = [];
    const headers: RequestPredicate[] = [];
    for (const h of m.headers) {
      const c = compileHeaderMatcher(h);
      if (c.ok) headers.push(c.value);
      else problems.push(`fault: headers: ${c.error}`);
    }
    const e = m.abort?.errorType;
    if (e?.kind === 'httpStatus' && !(e.httpStatus >= 200 && e.httpStatus < 600)) problems.push(`fault: abort http_status ${e.httpStatus} must be in [200, 600)`);
    const lt = m.responseRateLimit?.limitType;
    if (lt?.kind === 'fixedLimit' && !(Number.isInteger(lt.limitKbps) && lt.limitKbps >= 1)) problems.push(`fault: response_rate_limit limit_kbps ${lt.limitKbps} must be at least 1`);
    if (problems.length > 0) return err(problems);
    return ok(new FaultFilterConfig(m, headers));
  }
}
