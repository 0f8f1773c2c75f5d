/**
 * envoy.filters.http.fault, per stream. The config is the route's typed_per_filter_config for this
 * filter when there is one, else the HCM's. A request the fault applies to (upstream_cluster,
 * downstream_nodes and headers all match) may, in Envoy's order:
 *   - get its response body throttled (response_rate_limit: a fixed KiB/s, or the
 *     `x-envoy-fault-throughput-response` header's; `response_rl_injected`),
 *   - be delayed (fixed, or `x-envoy-fault-delay-request` ms; `delays_injected`, flag DI),
 *   - be aborted (the configured status, or `x-envoy-fault-abort-request`; `aborts_injected`,
 *     flag FI, body `fault filter abort`).
 * The `x-envoy-fault-*-percentage` headers can only lower the configured percentage (numerator
 * over 100). A stream with any fault holds one `active_faults` slot until it ends; at
 * max_active_faults a fault that would be injected is skipped and counted in `faults_overflow`.
 * Per-stream state exists only for streams with a fault.
 */
import { assertNever } from '../../../lib/assert-never.ts';
import type { Fault } from '../../../model/index.ts';
import { RESPONSE_FLAGS } from '../../../observe/response-flags.ts';
import type { StatScope, StatStore } from '../../../observe/stats/index.ts';
import type { Clock } from '../../../observe/clock.ts';
import { FILTER_CONTINUE, FILTER_STOP, type FilterStatus, type HttpFilter } from '../../http/http-filter.ts';
import type { HttpStream } from '../../http/http-stream.ts';
import type { Random } from '../../lb/index.ts';
import { ENVOY_DEFAULTS } from '../../../model/index.ts';
import { createFaultStats, FaultFilterConfig, type CompiledRateLimit, type FaultStats } from './config.ts';
import { StreamRateLimiter } from './stream-rate-limiter.ts';

export const FAULT_ABORT_BODY = 'fault filter abort';

/** A stream with an injected fault: it holds an active_faults slot until it ends. */
interface FaultState {
  /** The delay timer, while a delay runs. */
  timer: NodeJS.Timeout | undefined;
  readonly config: FaultFilterConfig;
  limiter: StreamRateLimiter | undefined;
}

export class FaultFilter implements HttpFilter {
  readonly name: string;
  readonly disabledByDefault: boolean;
  readonly config: FaultFilterConfig;
  readonly stats: FaultStats;
  readonly #scope: StatScope;
  readonly #index: number;
  readonly #random: Random;
  readonly #monotonicMs: () => number;
  readonly #perRoute = new WeakMap<Fault, FaultFilterConfig>();
  #active = 0;

  constructor(name: string, disabled: boolean, config: FaultFilterConfig, index: number, deps: { random: Random; stats: StatStore; statPrefix: string; clock: Clock }) {
    this.name = name;
    this.disabledByDefault = disabled;
    this.config = config;
    const s = createFaultStats(deps.stats, deps.statPrefix);
    this.stats = s.stats;
    this.#scope = s.scope;
    this.#index = index;
    this.#random = deps.random;
    this.#monotonicMs = deps.clock.monotonicMs;
  }

  decodeHeaders(s: HttpStream): FilterStatus {
    const c = this.#configFor(s);
    if (c === undefined || (c.delay === undefined && c.abort === undefined && c.responseRateLimit === undefined) || !this.#applies(s, c)) return FILTER_CONTINUE;
    if (c.responseRateLimit !== undefined) this.#maybeThrottle(s, c, c.responseRateLimit);
    const delayMs = this.#delayMs(s, c);
    if (delayMs !== undefined) {
      const state = this.#activate(s, c);
      if (state !== undefined) {
        this.stats.delaysInjected.inc();
        s.info.responseFlags |= RESPONSE_FLAGS.DI;
        state.timer = setTimeout(onDelayDone, delayMs, this, s);
        return FILTER_STOP;
      }
    }
    return this.#maybeAbort(s, c) ? FILTER_STOP : FILTER_CONTINUE;
  }

  /** The delay is over: abort if the abort fault applies, else go on down the chain. */
  delayDone(s: HttpStream): void {
    const state = s.filterState?.[this.#index] as FaultState | undefined;
    if (state === undefined || state.timer === undefined) return;
    state.timer = undefined;
    if (!this.#maybeAbort(s, state.config)) s.continueDecoding();
  }

  onStreamComplete(s: HttpStream): void {
    const state = s.filterState?.[this.#index] as FaultState | undefined;
    if (state === undefined) return;
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.limiter?.destroy();
    s.filterState![this.#index] = undefined;
    this.#setActive(-1);
  }

  /** The stream's fault state, taking an active_faults slot the first time (Envoy's tryIncActiveFaults). */
  #activate(s: HttpStream, c: FaultFilterConfig): FaultState | undefined {
    const have = s.filterState?.[this.#index] as FaultState | undefined;
    if (have !== undefined) return have;
    if (this.#active >= c.maxActiveFaults) {
      this.stats.faultsOverflow.inc();
      return undefined;
    }
    this.#setActive(+1);
    const state: FaultState = { timer: undefined, config: c, limiter: undefined };
    (s.filterState ??= [])[this.#index] = state;
    return state;
  }

  /** response_rate_limit: pace this stream's response body. */
  #maybeThrottle(s: HttpStream, c: FaultFilterConfig, rl: CompiledRateLimit): void {
    if (s.upgrade !== undefined || !this.#hit(rl.percentage, s.get('x-envoy-fault-throughput-response-percentage'))) return;
    let kbps: number;
    if (rl.kind === 'fixed') kbps = rl.kbps;
    else {
      const v = Number(s.get('x-envoy-fault-throughput-response'));
      if (!Number.isInteger(v) || v <= 0) return;
      kbps = v;
    }
    const state = this.#activate(s, c);
    if (state === undefined) return;
    this.stats.responseRlInjected.inc();
    state.limiter = new StreamRateLimiter(kbps, ENVOY_DEFAULTS.listener.perConnectionBufferLimitBytes, s, this.#monotonicMs);
    s.setResponseThrottle(state.limiter);
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
    if (this.#activate(s, c) === undefined) return false;
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
