/**
 * envoy.filters.http.fault, per stream. The config is the route's typed_per_filter_config for this
 * filter when there is one, else the HCM's. A request the fault applies to (upstream_cluster,
 * downstream_nodes and headers all match, and max_active_faults is not reached — else
 * `faults_overflow`) may be delayed (fixed, or `x-envoy-fault-delay-request` ms when the config
 * takes it from the header; `delays_injected`, flag DI) and then aborted (the configured status, or
 * `x-envoy-fault-abort-request`; `aborts_injected`, flag FI, body `fault filter abort`). The
 * `x-envoy-fault-*-request-percentage` headers can only lower the configured percentage
 * (numerator over 100). The delay timer exists only while a delay is being injected.
 */
import { assertNever } from '../../../lib/assert-never.ts';
import type { Fault } from '../../../model/index.ts';
import { RESPONSE_FLAGS } from '../../../observe/response-flags.ts';
import type { StatScope, StatStore } from '../../../observe/stats/index.ts';
import { FILTER_CONTINUE, FILTER_STOP, type FilterStatus, type HttpFilter } from '../../http/http-filter.ts';
import type { HttpStream } from '../../http/http-stream.ts';
import type { Random } from '../../lb/index.ts';
import { createFaultStats, FaultFilterConfig, type FaultStats } from './config.ts';

export const FAULT_ABORT_BODY = 'fault filter abort';

/** Per-stream state while a delay runs. */
interface DelayState {
  timer: NodeJS.Timeout;
  readonly config: FaultFilterConfig;
}

export class FaultFilter implements HttpFilter {
  readonly name: string;
  readonly disabledByDefault: boolean;
  readonly config: FaultFilterConfig;
  readonly stats: FaultStats;
  readonly #scope: StatScope;
  readonly #index: number;
  readonly #random: Random;
  readonly #perRoute = new WeakMap<Fault, FaultFilterConfig>();
  #active = 0;

  constructor(name: string, disabled: boolean, config: FaultFilterConfig, index: number, deps: { random: Random; stats: StatStore; statPrefix: string }) {
    this.name = name;
    this.disabledByDefault = disabled;
    this.config = config;
    const s = createFaultStats(deps.stats, deps.statPrefix);
    this.stats = s.stats;
    this.#scope = s.scope;
    this.#index = index;
    this.#random = deps.random;
  }

  decodeHeaders(s: HttpStream): FilterStatus {
    const c = this.#configFor(s);
    if (c === undefined || (c.delay === undefined && c.abort === undefined) || !this.#applies(s, c)) return FILTER_CONTINUE;
    if (this.#active >= c.maxActiveFaults) {
      this.stats.faultsOverflow.inc();
      return FILTER_CONTINUE;
    }
    const delayMs = this.#delayMs(s, c);
    if (delayMs !== undefined) {
      this.stats.delaysInjected.inc();
      s.info.responseFlags |= RESPONSE_FLAGS.DI;
      this.#setActive(+1);
      const state: DelayState = { timer: setTimeout(onDelayDone, delayMs, this, s), config: c };
      (s.filterState ??= [])[this.#index] = state;
      return FILTER_STOP;
    }
    return this.#maybeAbort(s, c) ? FILTER_STOP : FILTER_CONTINUE;
  }

  /** The delay is over: abort if the abort fault applies, else go on down the chain. */
  delayDone(s: HttpStream): void {
    const state = s.filterState?.[this.#index] as DelayState | undefined;
    if (state === undefined) return;
    s.filterState![this.#index] = undefined;
    this.#setActive(-1);
    if (!this.#maybeAbort(s, state.config)) s.continueDecoding();
  }

  onStreamComplete(s: HttpStream): void {
    const state = s.filterState?.[this.#index] as DelayState | undefined;
    if (state === undefined) return;
    clearTimeout(state.timer);
    s.filterState![this.#index] = undefined;
    this.#setActive(-1);
  }

  release(): void {
    this.#scope.release();
  }

  #maybeAbort(s: HttpStream, c: FaultFilterConfig): boolean {
    const a = c.abort;
    if (a === undefined || !this.#hit(a.percentage, s.get('x-envoy-fault-abort-request-percentage'))) return false;
    let status: number;
    let extra: string[] | undefined;
    switch (a.kind) {
      case 'http':
        status = a.status;
        break;
      case 'grpc':
        status = 200;
        extra = ['content-type', 'application/grpc', 'grpc-status', String(a.grpcStatus), 'grpc-message', FAULT_ABORT_BODY];
        break;
      case 'header': {
        const v = Number(s.get('x-envoy-fault-abort-request'));
        if (!Number.isInteger(v) || v < 200 || v >= 600) return false;
        status = v;
        break;
      }
      default:
        return assertNever(a, 'fault abort kind');
    }
    this.stats.abortsInjected.inc();
    s.sendLocalReply(status, extra === undefined ? FAULT_ABORT_BODY : '', RESPONSE_FLAGS.FI, 'fault_filter_abort', extra);
    return true;
  }

  #delayMs(s: HttpStream, c: FaultFilterConfig): number | undefined {
    const d = c.delay;
    if (d === undefined || !this.#hit(d.percentage, s.get('x-envoy-fault-delay-request-percentage'))) return undefined;
    if (d.kind === 'fixed') return d.ms > 0 ? d.ms : undefined;
    const v = Number(s.get('x-envoy-fault-delay-request'));
    return Number.isInteger(v) && v > 0 ? v : undefined;
  }

  /** The configured share, lowered (never raised) by a `*-percentage` header. */
  #hit(configured: number, header: string | undefined): boolean {
    let f = configured;
    if (header !== undefined) {
      const n = Number(header);
      if (Number.isFinite(n) && n >= 0) f = Math.min(f, n / 100);
    }
    return f >= 1 || (f > 0 && this.#random.next() < f);
  }

  #applies(s: HttpStream, c: FaultFilterConfig): boolean {
    if (c.upstreamCluster !== undefined) {
      const action = s.route?.action;
      if (action?.kind !== 'route' || !action.target.choices.some((ch) => ch.cluster === c.upstreamCluster)) return false;
    }
    if (c.downstreamNodes !== undefined) {
      const node = s.get('x-envoy-downstream-service-node');
      if (node === undefined || !c.downstreamNodes.has(node)) return false;
    }
    for (const h of c.headers) if (!h(s)) return false;
    return true;
  }

  #configFor(s: HttpStream): FaultFilterConfig | undefined {
    const r = s.route?.perFilterConfig[this.name];
    if (r === undefined || r.kind !== 'fault') return this.config;
    let c = this.#perRoute.get(r.typedConfig);
    if (c === undefined) {
      // The route configuration was checked when it was built (FaultFilterConfig.build).
      const built = FaultFilterConfig.build(r.typedConfig);
      if (!built.ok) return undefined;
      c = built.value;
      this.#perRoute.set(r.typedConfig, c);
    }
    return c;
  }

  #setActive(delta: number): void {
    this.#active += delta;
    this.stats.activeFaults.set(this.#active);
  }
}

function onDelayDone(f: FaultFilter, s: HttpStream): void {
  f.delayDone(s);
}
