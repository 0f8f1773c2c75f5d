/**
 * A request the router forwards (Envoy's Router::Filter per-stream state): the chosen cluster and
 * host, the request as it goes upstream, the route timeout, and the translation of the attempt's
 * outcome into what the downstream sees, with Envoy's local replies, response flags and stats:
 *
 *   connect refused / failed        503 UF  `... reset reason: connection failure`
 *   connect timeout                 503 UF  `... reset reason: connection timeout`
 *   connection closed before headers 503 UC `... reset reason: connection termination`
 *   stream reset by the upstream    503 UR  `... reset reason: remote reset`
 *   invalid upstream response       502 UPE `... reset reason: protocol error`
 *   route timeout                   504 UT  `upstream request timeout`
 *   any of these after the response started: the downstream stream is reset (flag kept).
 *
 *   circuit breaker overflow         503 UO  `... reset reason: overflow`, x-envoy-overloaded
 *
 * Each attempt is admitted by the cluster's circuit breakers (max_requests, pending queue), then
 * by the host's pool (max_connections, cluster-wide: a wait for a connection takes a pending
 * slot, and with none left the answer is the same 503 UO). With a retry policy (a RetryState,
 * allocated only then, and only for requests matching retriable_request_headers), a retriable
 * response or failure before headers, or a per-try timeout, ends the attempt and starts another
 * after the back-off.
 *
 * Over 500 lines: the attempt callbacks, the timers and the retry and circuit-breaker slots all
 * end in the one `#finish`, which must run exactly once per request; split across files, that
 * invariant would have to be kept by hand.
 */
import type { Duplex, Readable } from 'node:stream';
import type { ForwardAction } from '../../routing/index.ts';
import { RESPONSE_FLAGS } from '../../../observe/response-flags.ts';
import { fromUpstreamRawHeaders, headerListGet, type HeaderList } from '../../http/header-list.ts';
import { applyResponseMutations } from '../../http/header-mutations.ts';
import type { HttpStream, StreamUpstream } from '../../http/http-stream.ts';
import type { RouteMutations } from '../../http/route-snapshot.ts';
import type { UpstreamCluster } from '../../upstream/upstream-cluster.ts';
import { LOCAL_ORIGIN_TIMEOUT } from '../../upstream/outlier-detector.ts';
import type { UpstreamHost } from '../../upstream/upstream-host.ts';
import { OVERFLOWED, QUEUED } from '../../pool/connection-pool.ts';
import { ADMITTED, OVERFLOW, PENDING, type ClusterResources, type PendingRequest } from '../../upstream/resource-manager.ts';
import type { RouterFilterConfig } from './config.ts';
import { RetryState } from './retry-state.ts';
import { parseRetryOn, retriesAllowedFor } from '../../routing/index.ts';
import { ENVOY_DEFAULTS } from '../../../model/index.ts';
import { UpstreamAttempt, type AttemptFailure, type AttemptOwner } from './upstream-attempt.ts';

const BEFORE_HEADERS = 'upstream connect error or disconnect/reset before headers. reset reason: ';

class TimeoutError extends Error {
  readonly code = 'WEFT_UPSTREAM_TIMEOUT';
}
class DownstreamGoneError extends Error {
  readonly code = 'WEFT_DOWNSTREAM_RESET';
}
const TIMEOUT = new TimeoutError('upstream request timeout');
const DOWNSTREAM_GONE = new DownstreamGoneError('downstream went away');
class RetriedError extends Error {
  readonly code = 'WEFT_UPSTREAM_RETRIED';
}
const RETRIED = new RetriedError('response replaced by a retry');

export class RouterRequest implements AttemptOwner, StreamUpstream, PendingRequest {
  readonly stream: HttpStream;
  readonly cluster: UpstreamCluster;
  /** The circuit breakers of the route's priority. */
  readonly resources: ClusterResources;
  readonly config: RouterFilterConfig;
  readonly action: ForwardAction;
  readonly mutations: RouteMutations | undefined;
  #attempt: UpstreamAttempt | undefined = undefined;
  #timer: NodeJS.Timeout | undefined = undefined;
  #resume: (() => void) | undefined = undefined;
  #done = false;
  /** Waiting in the cluster's pending queue. */
  #pending = false;
  #host: UpstreamHost | undefined = undefined;
  #method = '';
  #path = '';
  #headers: string[] = [];
  #hashKey: number | undefined = undefined;
  /** Present only when the request may be retried. */
  #retry: RetryState | undefined = undefined;
  /** Per-try timeout or back-off timer. */
  #tryTimer: NodeJS.Timeout | undefined = undefined;
  /** Index of the `x-envoy-attempt-count` value in #headers, or -1. */
  #attemptCountAt = -1;
  /** The current attempt holds a `max_retries` slot. */
  #holdsRetry = false;

  constructor(stream: HttpStream, cluster: UpstreamCluster, config: RouterFilterConfig, action: ForwardAction, mutations: RouteMutations | undefined) {
    this.stream = stream;
    this.cluster = cluster;
    this.resources = action.config.priority === 'HIGH' ? cluster.resources.high : cluster.resources.default;
    this.config = config;
    this.action = action;
    this.mutations = mutations;
  }

  /**
   * Sends the request to `host` once the cluster's circuit breakers admit it: at once, after a
   * wait in the bounded pending queue, or never (503 UO, `x-envoy-overloaded: true`).
   */
  start(host: UpstreamHost, method: string, path: string, headers: string[], hashKey?: number): void {
    const s = this.stream;
    this.#host = host;
    this.#method = method;
    this.#path = path;
    this.#headers = headers;
    this.#hashKey = hashKey;
    if (this.action.includeAttemptCount) {
      this.#attemptCountAt = headers.length + 1;
      headers.push('x-envoy-attempt-count', '1');
    }
    if (s.upgrade === undefined) this.#retry = this.#retryState();
    s.upstream = this;
    if (s.requestComplete) this.#armTimeout();
    this.#admit();
  }

  /** The retry state when the route or (internal requests) the headers ask for retries. */
  #retryState(): RetryState | undefined {
    const policy = this.action.retry;
    if (policy === undefined) return undefined;
    let on = policy.on;
    let num = policy.numRetries;
    const s = this.stream;
    if (s.internal) {
      const h = s.get('x-envoy-retry-on');
      if (h !== undefined) on |= parseRetryOn(h);
      const m = s.get('x-envoy-max-retries');
      if (m !== undefined && /^\d+$/.test(m)) num = Number(m);
    }
    // retriable_request_headers: no match, no retries (whatever x-envoy-retry-on asked for).
    if (on === 0 || num <= 0 || !retriesAllowedFor(policy, s)) return undefined;
    return new RetryState(policy, on, num, ENVOY_DEFAULTS.listener.perConnectionBufferLimitBytes);
  }

  #admit(): void {
    switch (this.resources.admit(this)) {
      case ADMITTED:
        if (this.#host !== undefined) this.#dispatch(this.#host);
        return;
      case PENDING:
        this.#pending = true;
        return;
      case OVERFLOW:
        this.#overflow();
        return;
      default:
        throw new Error('unexpected admission');
    }
  }

  /** PendingRequest: a request slot was freed for this request. */
  admitted(): void {
    this.#pending = false;
    if (this.#done) {
      this.resources.release();
      return;
    }
    if (this.#host !== undefined) this.#dispatch(this.#host);
  }

  #dispatch(host: UpstreamHost): void {
    const s = this.stream;
    const info = s.info;
    const now = s.cm.clock.monotonicMs();
    const protocol = this.cluster.protocolFor(s.protocol);
    const upgrade = s.upgrade === 'websocket' ? 'websocket' : null;
    const retry = this.#retry;
    let body: Readable | Buffer | null;
    if (retry === undefined || retry.retries === 0) {
      body = s.upgrade === undefined ? s.requestBody() : null;
      if (retry !== undefined && body !== null) body = retry.watchBody(body);
    } else body = retry.replayBody(true) ?? null;
    const count = (info.upstreamRequestAttemptCount ?? 0) + 1;
    info.upstreamRequestAttemptCount = count;
    if (this.#attemptCountAt >= 0) this.#headers[this.#attemptCountAt] = String(count);
    const attempt = new UpstreamAttempt(this, host, this.#method, this.#path, this.#headers, body, upgrade, now);
    this.#attempt = attempt;
    info.upstreamHost = host.addressString;
    info.upstreamHostName = host.hostname;
    info.upstreamProtocol = protocol === 'http2' ? 'HTTP/2' : 'HTTP/1.1';
    if (retry !== undefined) {
      retry.triedHosts.push(host);
      if (retry.policy.perTryTimeoutMs > 0) this.#tryTimer = setTimeout(onPerTryTimeout, retry.policy.perTryTimeoutMs, this);
    }
    const cs = this.cluster.clusterStats;
    cs.upstreamRqActive.inc();
    host.stats.rqActive++;
    const pool = host.pool(protocol);
    // A free connection, a new one within max_connections, a wait in the host's pool (a pending
    // slot of this priority), or, with the pending budget spent, 503 UO.
    const r = pool.dispatch(attempt, this.resources);
    if (r === OVERFLOWED) {
      cs.upstreamRqActive.dec();
      host.stats.rqActive--;
      this.#attempt = undefined;
      this.resources.release();
      this.#overflow();
      return;
    }
    cs.upstreamRqTotal.inc();
    host.stats.rqTotal++;
    if (r === QUEUED) attempt.queuedIn = pool;
  }

  /** The circuit breakers refused the request: Envoy's overflow reply (never retried). */
  #overflow(): void {
    const s = this.stream;
    this.#finish(undefined, 0);
    s.upstream = undefined;
    this.cluster.clusterStats.upstreamRqCodes.charge(503);
    const headers: HeaderList = this.config.suppressEnvoyHeaders ? [] : ['x-envoy-overloaded', 'true'];
    s.sendLocalReply(503, BEFORE_HEADERS + 'overflow', RESPONSE_FLAGS.UO, 'upstream_reset_before_response_started{overflow}', headers);
  }

  #armTimeout(): void {
    const ms = this.action.timeoutMs;
    if (ms > 0 && this.#timer === undefined && !this.#done && this.stream.upgrade === undefined) {
      this.#timer = setTimeout(onRouteTimeout, ms, this);
    }
  }

  // ---- StreamUpstream ----

  onRequestComplete(): void {
    this.#armTimeout();
  }

  cancel(): void {
    if (this.#done) return;
    const a = this.#attempt;
    if (a !== undefined && !a.finished) {
      // Envoy: cancelled = dropped while waiting for a pool connection; tx_reset = reset on one.
      if (a.connected) this.cluster.clusterStats.upstreamRqTxReset.inc();
      else this.cluster.clusterStats.upstreamRqCancelled.inc();
      a.abandon(DOWNSTREAM_GONE);
    }
    this.#finish(a, 0);
  }

  /** The per-try timeout fired: retry if the policy allows, else 504 UT. */
  perTryTimedOut(): void {
    this.#tryTimer = undefined;
    const a = this.#attempt;
    if (this.#done || a === undefined || a.headersReceived) return;
    const cs = this.cluster.clusterStats;
    cs.upstreamRqPerTryTimeout.inc();
    a.host.stats.rqTimeout++;
    this.cluster.hostMonitor?.report(a.host, LOCAL_ORIGIN_TIMEOUT, true);
    if (this.#retry?.retriableFailure(undefined) === true && this.#tryRetry(a, 0, TIMEOUT)) return;
    a.abandon(TIMEOUT);
    this.#finish(a, 0);
    this.#timeoutReply();
  }

  /**
   * Ends attempt `a` and schedules the next one, when retries, the body and `max_retries` allow;
   * false = answer with what `a` produced.
   */
  #tryRetry(a: UpstreamAttempt, status: number, reason: Error): boolean {
    const retry = this.#retry;
    if (retry === undefined) return false;
    const cs = this.cluster.clusterStats;
    if (retry.remaining <= 0) {
      cs.upstreamRqRetryLimitExceeded.inc();
      return false;
    }
    if (retry.replayBody(this.stream.requestComplete) === undefined) return false;
    // The slot this attempt held counts for the next one.
    if (!this.#holdsRetry) {
      if (!this.resources.retries.canCreate()) {
        cs.upstreamRqRetryOverflow.inc();
        return false;
      }
      this.resources.retries.inc();
      this.#holdsRetry = true;
    }
    a.abandon(reason);
    this.#endAttempt(a, status);
    this.#attempt = undefined;
    retry.remaining--;
    retry.retries++;
    cs.upstreamRqRetry.inc();
    cs.upstreamRqRetryBackoffExponential.inc();
    this.#tryTimer = setTimeout(onBackOffDone, retry.nextBackOffMs(this.config.random), this);
    return true;
  }

  /** The back-off passed: pick a host (previous_hosts) and send the retry. */
  backOffDone(): void {
    this.#tryTimer = undefined;
    const retry = this.#retry;
    if (this.#done || retry === undefined) return;
    const cluster = this.cluster;
    let host = cluster.pickHost(this.#hashKey);
    if (retry.policy.previousHosts) {
      for (let i = 0; i < retry.policy.hostSelectionRetryMaxAttempts && host !== undefined && retry.triedHosts.includes(host); i++) {
        host = cluster.pickHost(this.#hashKey);
      }
    }
    if (host === undefined) {
      this.#finish(undefined, 0);
      this.stream.upstream = undefined;
      cluster.clusterStats.upstreamCxNoneHealthy.inc();
      this.stream.sendLocalReply(503, 'no healthy upstream', RESPONSE_FLAGS.UH, 'no_healthy_upstream');
      return;
    }
    this.#host = host;
    this.#admit();
  }

  #timeoutReply(): void {
    const s = this.stream;
    s.upstream = undefined;
    if (s.headersSent) s.resetStream(RESPONSE_FLAGS.UT, 'upstream_response_timeout');
    else {
      // Envoy counts the local 504 as the upstream's response code.
      this.cluster.clusterStats.upstreamRqCodes.charge(504);
      s.sendLocalReply(504, 'upstream request timeout', RESPONSE_FLAGS.UT, 'upstream_response_timeout');
    }
  }

  /** The route timeout fired. */
  timedOut(): void {
    this.#timer = undefined;
    if (this.#done) return;
    const a = this.#attempt;
    const cs = this.cluster.clusterStats;
    cs.upstreamRqTimeout.inc();
    if (a !== undefined) {
      a.host.stats.rqTimeout++;
      a.abandon(TIMEOUT);
      this.cluster.hostMonitor?.report(a.host, LOCAL_ORIGIN_TIMEOUT, true);
    }
    this.#finish(a, 0);
    this.#timeoutReply();
  }

  // ---- AttemptOwner ----

  attemptHeaders(a: UpstreamAttempt, status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (a !== this.#attempt || this.#done) return false;
    const s = this.stream;
    const headers = fromUpstreamRawHeaders(rawHeaders, false);
    const retry = this.#retry;
    if (retry !== undefined) {
      this.#clearTryTimer();
      if (retry.retriableResponse(status, headers)) {
        if (this.#tryRetry(a, status, RETRIED)) return false;
      } else if (retry.retries > 0) this.cluster.clusterStats.upstreamRqRetrySuccess.inc();
    }
    const now = s.cm.clock.monotonicMs();
    s.info.responseDurationMs = now - s.info.startMono;
    s.info.responseCodeDetails = 'via_upstream';
    this.#resume = resume;
    if (!this.config.suppressEnvoyHeaders) headers.push('x-envoy-upstream-service-time', String(Math.round(now - a.startMono)));
    this.#applyResponseMutations(headers);
    s.encodeHeaders(status, headers, false, s.protocol === 'HTTP/2' && mayHaveTrailers(headers));
    return true;
  }

  attemptData(a: UpstreamAttempt, chunk: Buffer): boolean {
    if (a !== this.#attempt || this.#done) return false;
    const ok = this.stream.encodeData(chunk);
    // undici stops parsing at the first `false` and waits for resume(): one listener at a time.
    if (!ok && this.#resume !== undefined) this.stream.onDrain(this.#resume);
    return ok;
  }

  attemptComplete(a: UpstreamAttempt, rawTrailers: Buffer[] | string[] | null): void {
    if (a !== this.#attempt || this.#done) return;
    const trailers: HeaderList | undefined = rawTrailers !== null && rawTrailers.length > 0 ? fromUpstreamRawHeaders(rawTrailers, false) : undefined;
    this.#finish(a, a.status);
    this.stream.upstream = undefined;
    this.stream.encodeTrailers(trailers);
  }

  attemptBodySent(bytes: number): void {
    this.stream.bodySent(bytes);
  }

  attemptUpgraded(a: UpstreamAttempt, status: number, rawHeaders: Buffer[] | string[] | null, upstream: Duplex): void {
    const s = this.stream;
    const down = s.tunnelSocket();
    if (a !== this.#attempt || this.#done || down === undefined) {
      upstream.destroy();
      return;
    }
    this.#clearTimer();
    s.info.responseCodeDetails = 'via_upstream';
    const headers = fromUpstreamRawHeaders(rawHeaders, true);
    this.#applyResponseMutations(headers);
    s.cm.stats.downstreamCxUpgradesTotal.inc();
    s.cm.stats.downstreamCxUpgradesActive.inc();
    s.encodeHeaders(status, headers, false, false);
    if (s.tunnelHead !== undefined && s.tunnelHead.length > 0) upstream.write(s.tunnelHead);
    const cm = s.cm;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      cm.stats.downstreamCxUpgradesActive.dec();
      down.destroy();
      upstream.destroy();
      this.#finish(a, status);
      s.upstream = undefined;
    };
    upstream.on('error', close);
    upstream.on('close', close);
    down.on('close', close);
    upstream.on('data', (c: Buffer) => {
      s.info.bytesSent += c.length;
      s.activity++;
    });
    down.on('data', (c: Buffer) => {
      s.info.bytesReceived += c.length;
      s.activity++;
    });
    down.pipe(upstream);
    upstream.pipe(down);
  }

  attemptFailed(a: UpstreamAttempt, failure: AttemptFailure, afterHeaders: boolean): void {
    if (a !== this.#attempt || this.#done) return;
    const s = this.stream;
    if (!afterHeaders && !s.headersSent && this.#retry?.retriableFailure(failure) === true && this.#tryRetry(a, 0, failure.error)) {
      if (failure.kind === 'reset') this.cluster.clusterStats.upstreamRqRxReset.inc();
      this.cluster.hostMonitor?.report(a.host, 0, true);
      return;
    }
    const cs = this.cluster.clusterStats;
    let status = 503;
    let flag: number = RESPONSE_FLAGS.UF;
    let reason: string;
    switch (failure.kind) {
      case 'connect':
        reason = failure.timedOut ? 'connection timeout' : 'connection failure';
        break;
      case 'reset':
        flag = failure.remoteReset ? RESPONSE_FLAGS.UR : RESPONSE_FLAGS.UC;
        reason = failure.remoteReset ? 'remote reset' : 'connection termination';
        cs.upstreamRqRxReset.inc();
        break;
      case 'protocol':
        status = 502;
        flag = RESPONSE_FLAGS.UPE;
        reason = 'protocol error';
        cs.upstreamCxProtocolError.inc();
        break;
      case 'invalid':
        status = 503;
        flag = RESPONSE_FLAGS.UPE;
        reason = 'invalid request';
        break;
      default: {
        const never: never = failure;
        throw new Error(`unexpected failure ${JSON.stringify(never)}`);
      }
    }
    s.info.upstreamTransportFailureReason = failure.error.message;
    this.cluster.hostMonitor?.report(a.host, 0, true);
    this.#finish(a, 0);
    s.upstream = undefined;
    if (afterHeaders || s.headersSent) {
      this.config.stats.rqResetAfterDownstreamResponseStarted.inc();
      s.resetStream(flag === RESPONSE_FLAGS.UF ? RESPONSE_FLAGS.UC : flag, `upstream_reset_after_response_started{${reason.replace(/ /g, '_')}}`);
      return;
    }
    cs.upstreamRqCodes.charge(status);
    s.sendLocalReply(status, BEFORE_HEADERS + reason, flag, `upstream_reset_before_response_started{${reason.replace(/ /g, '_')}}`);
  }

  #applyResponseMutations(headers: HeaderList): void {
    const m = this.mutations;
    if (m === undefined) return;
    for (const layer of m.response) applyResponseMutations(layer, headers, this.stream.info);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #clearTryTimer(): void {
    if (this.#tryTimer !== undefined) {
      clearTimeout(this.#tryTimer);
      this.#tryTimer = undefined;
    }
  }

  /** Once per request: the last attempt's stats, the timers, the circuit breaker slots. */
  #finish(a: UpstreamAttempt | undefined, status: number): void {
    if (this.#done) return;
    this.#done = true;
    this.#clearTimer();
    this.#clearTryTimer();
    if (this.#pending) {
      this.#pending = false;
      this.resources.cancelPending(this);
    }
    if (this.#holdsRetry) {
      this.#holdsRetry = false;
      this.resources.retries.dec();
    }
    if (a !== undefined) this.#endAttempt(a, status);
  }

  /** Once per attempt: its stats and its `max_requests` slot. `status` 0 = no upstream response. */
  #endAttempt(a: UpstreamAttempt, status: number): void {
    this.resources.release();
    const cs = this.cluster.clusterStats;
    cs.upstreamRqActive.dec();
    const hs = a.host.stats;
    hs.rqActive--;
    if (status !== 0) {
      cs.upstreamRqCodes.charge(status);
      cs.recordUpstreamRqTime(this.stream.cm.clock.monotonicMs() - a.startMono);
      if (status >= 500) hs.rqError++;
      else hs.rqSuccess++;
      this.cluster.hostMonitor?.report(a.host, status, false);
    } else {
      hs.rqError++;
    }
  }
}

/** A response announces trailers (`trailer`) or is gRPC (which always ends with them). */
function mayHaveTrailers(headers: HeaderList): boolean {
  if (headerListGet(headers, 'trailer') !== undefined) return true;
  const ct = headerListGet(headers, 'content-type');
  return ct !== undefined && ct.startsWith('application/grpc');
}

function onRouteTimeout(r: RouterRequest): void {
  r.timedOut();
}

function onPerTryTimeout(r: RouterRequest): void {
  r.perTryTimedOut();
}

function onBackOffDone(r: RouterRequest): void {
  r.backOffDone();
}
