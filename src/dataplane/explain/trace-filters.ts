/**
 * The HTTP filters of a trace, in chain order: whether each runs for this request (a filter
 * disabled by default runs only where a route enables it; a route can disable one), and what it
 * would do where that is decidable from the request alone — the fault filter's conditions with its
 * compiled header matchers (FaultFilterConfig, as the filter builds it) and its percentages after
 * the `x-envoy-fault-*-percentage` headers, the local rate limit's share checked, bucket and
 * enforcement. What is left to chance is a note on the outcome, never a guess.
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { Fault, HttpFilter, LocalRateLimit, PerFilterConfig } from '../../model/index.ts';
import { FaultFilterConfig } from '../filters/fault/index.ts';
import type { RouteEntry, RouteRequest } from '../routing/index.ts';
import { describeDuration, describeHeaderMatcher, percentOf } from './describe.ts';
import type { HttpFilterTrace, TraceOutcome } from './request-trace.ts';

export interface FilterDecision {
  readonly filters: readonly HttpFilterTrace[];
  /** A filter answers every such request itself (a fault abort at 100%). */
  readonly stop?: TraceOutcome;
  /** What happens to a share of such requests. */
  readonly notes: readonly string[];
}

/** Tokens left in a rate limit filter's bucket, when the running data plane can tell. */
export type TokensLeft = (filterName: string) => number | undefined;

function runsFor(f: HttpFilter, override: PerFilterConfig | undefined): { runs: boolean; why?: string } {
  const disabledHere = override?.kind === 'filterConfig' && override.disabled;
  if (f.disabled === true) return override !== undefined && !disabledHere ? { runs: true } : { runs: false, why: 'disabled by default and not enabled on this route' };
  return disabledHere ? { runs: false, why: 'disabled on this route' } : { runs: true };
}

/** The configured share, lowered (never raised) by a `*-percentage` request header, in percent. */
function effectivePercent(configured: number, header: string | undefined): number {
  let f = configured;
  if (header !== undefined) {
    const n = Number(header);
    if (Number.isFinite(n) && n >= 0) f = Math.min(f, n / 100);
  }
  return percentOf(Math.min(1, Math.max(0, f)));
}

function traceRateLimit(
  f: Extract<HttpFilter, { kind: 'localRateLimit' }>,
  override: PerFilterConfig | undefined,
  runs: boolean,
  why: string | undefined,
  tokensLeft: TokensLeft | undefined,
  notes: string[],
): { trace: HttpFilterTrace; stop?: TraceOutcome } {
  const fromRoute = override?.kind === 'localRateLimit';
  const m: LocalRateLimit = fromRoute ? override.typedConfig : f.typedConfig;
  const status = m.status !== undefined && m.status >= 400 ? m.status : 429;
  const checked = percentOf(m.filterEnabled ?? 0);
  const enforced = percentOf(m.filterEnforced ?? 0);
  const tb = m.tokenBucket;
  const left = runs ? tokensLeft?.(f.name) : undefined;
  const base = {
    kind: 'localRateLimit' as const,
    name: f.name,
    runs,
    configFrom: fromRoute ? ('route' as const) : ('filter' as const),
    status,
    checkedPercent: checked,
    enforcedPercent: enforced,
    ...(tb !== undefined ? { tokenBucket: { maxTokens: tb.maxTokens, tokensPerFill: tb.tokensPerFill ?? 1, fillIntervalMs: tb.fillIntervalMs } } : {}),
    perConnection: m.localRateLimitPerDownstreamConnection === true,
    descriptors: m.descriptors?.length ?? 0,
    ...(left !== undefined ? { tokensLeft: left } : {}),
  };
  if (!runs) return { trace: { ...base, summary: `does not run: ${why}` } };
  if (checked === 0) return { trace: { ...base, summary: 'off (filter_enabled 0%): every request passes' } };
  if (tb === undefined && base.descriptors === 0) return { trace: { ...base, summary: 'no token bucket: every request passes' } };
  const refill = tb === undefined ? 'descriptor buckets' : `${tb.maxTokens} token(s), +${tb.tokensPerFill ?? 1} every ${describeDuration(tb.fillIntervalMs)}`;
  const bucket =
    tb === undefined
      ? `${base.descriptors} descriptor bucket(s)`
      : `a bucket of ${refill}${base.perConnection ? ' per connection' : ''}${base.descriptors > 0 ? ` (and ${base.descriptors} descriptor bucket(s))` : ''}`;
  const when = enforced === 0 ? 'counted only (filter_enforced 0%)' : `${status} local_rate_limited${enforced < 100 ? ` for ${enforced}% of them` : ''}`;
  const trace = { ...base, summary: `checks ${checked === 100 ? 'every request' : `${checked}% of requests`} against ${bucket}; tokens left: ${left ?? 'unknown'}; when empty: ${when}` };
  // Certain only when the running data plane says the (default) bucket is empty and every request is checked and refused.
  if (left === 0 && base.descriptors === 0 && checked >= 100 && enforced >= 100) {
    return { trace, stop: { kind: 'localReply', status, flag: 'RL', summary: `${status} local_rate_limited (${f.name}: no token left; ${refill})`, notes: [] } };
  }
  if (enforced > 0 && left === undefined) notes.push(`${f.name}: ${status} when the bucket is empty (${refill})`);
  return { trace };
}

/** upstream_cluster, downstream_nodes and headers, each as text, and the ones this request fails. */
function faultConditions(c: FaultFilterConfig, model: Fault, entry: RouteEntry | undefined, req: RouteRequest): { conditions: string[]; failed: string[] } {
  const conditions: string[] = [];
  const failed: string[] = [];
  if (c.upstreamCluster !== undefined) {
    conditions.push(`upstream cluster ${c.upstreamCluster}`);
    const action = entry?.action;
    if (action?.kind !== 'route' || !action.target.choices.some((ch) => ch.cluster === c.upstreamCluster)) failed.push(`the route does not send to ${c.upstreamCluster}`);
  }
  if (c.downstreamNodes !== undefined) {
    conditions.push(`x-envoy-downstream-service-node one of ${[...c.downstreamNodes].join(', ')}`);
    const node = req.headers.get('x-envoy-downstream-service-node');
    if (node === undefined || !c.downstreamNodes.has(node)) failed.push(`x-envoy-downstream-service-node is ${node ?? 'absent'}`);
  }
  model.headers.forEach((h, i) => {
    conditions.push(describeHeaderMatcher(h));
    if (!c.headers[i](req)) failed.push(`${describeHeaderMatcher(h)}, request has ${req.headers.get(h.name.toLowerCase()) ?? 'none'}`);
  });
  return { conditions, failed };
}

/** A positive integer from a request header, as the fault filter reads its `x-envoy-fault-*` values. */
function headerInt(req: RouteRequest, name: string, ok: (n: number) => boolean): number | undefined {
  const n = Number(req.headers.get(name));
  return Number.isInteger(n) && ok(n) ? n : undefined;
}

/** The delay, abort and response throttle for this request: shares after the percentage headers, values after the value headers. */
function faultShares(c: FaultFilterConfig, req: RouteRequest): Pick<Extract<HttpFilterTrace, { kind: 'fault' }>, 'delay' | 'abort' | 'responseRateLimit'> {
  const d = c.delay;
  const a = c.abort;
  const rl = c.responseRateLimit;
  const pct = (configured: number, header: string) => effectivePercent(configured, req.headers.get(header));
  const delayMs = d === undefined ? undefined : d.kind === 'fixed' ? d.ms : headerInt(req, 'x-envoy-fault-delay-request', (n) => n > 0);
  const status = a === undefined ? undefined : a.kind === 'http' ? a.status : a.kind === 'grpc' ? 200 : headerInt(req, 'x-envoy-fault-abort-request', (n) => n >= 200 && n < 600);
  const kbps = rl === undefined ? undefined : rl.kind === 'fixed' ? rl.kbps : headerInt(req, 'x-envoy-fault-throughput-response', (n) => n > 0);
  return {
    ...(d !== undefined ? { delay: { percent: pct(d.percentage, 'x-envoy-fault-delay-request-percentage'), ...(delayMs !== undefined ? { ms: delayMs } : {}), fromHeader: d.kind === 'header' } } : {}),
    ...(a !== undefined
      ? {
          abort: {
            percent: pct(a.percentage, 'x-envoy-fault-abort-request-percentage'),
            ...(status !== undefined ? { status } : {}),
            ...(a.kind === 'grpc' ? { grpcStatus: a.grpcStatus } : {}),
            fromHeader: a.kind === 'header',
          },
        }
      : {}),
    ...(rl !== undefined ? { responseRateLimit: { percent: pct(rl.percentage, 'x-envoy-fault-throughput-response-percentage'), ...(kbps !== undefined ? { kbps } : {}), fromHeader: rl.kind === 'header' } } : {}),
  };
}

function traceFault(
  f: Extract<HttpFilter, { kind: 'fault' }>,
  override: PerFilterConfig | undefined,
  runs: { runs: boolean; why?: string },
  entry: RouteEntry | undefined,
  req: RouteRequest,
  notes: string[],
): { trace: HttpFilterTrace; stop?: TraceOutcome } {
  const fromRoute = override?.kind === 'fault';
  const model = fromRoute ? override.typedConfig : f.typedConfig;
  const base = { kind: 'fault' as const, name: f.name, runs: runs.runs, configFrom: fromRoute ? ('route' as const) : ('filter' as const) };
  const built = FaultFilterConfig.build(model);
  if (!runs.runs) return { trace: { ...base, applies: false, conditions: [], summary: `does not run: ${runs.why}` } };
  if (!built.ok) return { trace: { ...base, applies: false, conditions: [], summary: `invalid: ${built.error.join('; ')}` } };
  const { conditions, failed } = faultConditions(built.value, model, entry, req);
  const shares = faultShares(built.value, req);
  const trace = { ...base, applies: failed.length === 0, conditions, ...shares };
  if (failed.length > 0) return { trace: { ...trace, summary: `does not apply: ${failed.join('; ')}` } };
  const { delay, abort, responseRateLimit: throttle } = shares;
  const effects: string[] = [];
  if (throttle !== undefined) effects.push(throttle.kbps === undefined ? 'no response throttle (x-envoy-fault-throughput-response absent)' : `throttles the response to ${throttle.kbps} KiB/s for ${throttle.percent}%`);
  if (delay !== undefined) effects.push(delay.ms === undefined ? 'no delay (x-envoy-fault-delay-request absent)' : `delays ${describeDuration(delay.ms)} for ${delay.percent}%`);
  if (abort !== undefined) {
    const what = abort.grpcStatus !== undefined ? `gRPC status ${abort.grpcStatus}` : abort.status !== undefined ? String(abort.status) : undefined;
    effects.push(what === undefined ? 'no abort (x-envoy-fault-abort-request absent or invalid)' : `aborts with ${what} for ${abort.percent}%`);
  }
  const summary = effects.length > 0 ? effects.join('; ') : 'applies, injects nothing';
  for (const e of effects) if (/ for \d/.test(e) && !/ for 100%$/.test(e)) notes.push(`${f.name}: ${e} of requests`);
  if (delay?.ms !== undefined && delay.percent >= 100) notes.push(`${f.name}: delayed ${describeDuration(delay.ms)}`);
  if (abort?.status === undefined || abort.percent < 100) return { trace: { ...trace, summary } };
  const body = abort.grpcStatus !== undefined ? `grpc-status ${abort.grpcStatus}` : 'fault filter abort';
  return { trace: { ...trace, summary }, stop: { kind: 'localReply', status: abort.status, flag: 'FI', summary: `${abort.status} (${body}, injected by ${f.name})`, notes: [] } };
}

/** The filters of an HCM for this request and its route (undefined = no route matched). */
export function traceHttpFilters(filters: readonly HttpFilter[], entry: RouteEntry | undefined, req: RouteRequest, tokensLeft?: TokensLeft): FilterDecision {
  const out: HttpFilterTrace[] = [];
  const notes: string[] = [];
  let stop: TraceOutcome | undefined;
  let ended: string | undefined;
  for (const f of filters) {
    const override = entry?.perFilterConfig[f.name];
    const r = ended !== undefined ? { runs: false, why: ended } : runsFor(f, override);
    switch (f.kind) {
      case 'router':
        out.push({ kind: 'router', name: f.name, runs: r.runs, summary: r.runs ? 'routes the request (the last filter)' : `does not run: ${r.why}` });
        ended ??= `after ${f.name}, which ends the chain`;
        break;
      case 'localRateLimit':
      case 'fault': {
        const t = f.kind === 'fault' ? traceFault(f, override, r, entry, req, notes) : traceRateLimit(f, override, r.runs, r.why, tokensLeft, notes);
        out.push(t.trace);
        if (t.stop !== undefined && stop === undefined) {
          stop = t.stop;
          ended = `${f.name} answered`;
        }
        break;
      }
      default:
        assertNever(f, 'http filter');
    }
  }
  return { filters: out, ...(stop !== undefined ? { stop } : {}), notes };
}
