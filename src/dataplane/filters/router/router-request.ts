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
 * The retry policy (resilience issue) plugs in at `#failed` and at `attemptHeaders` for
 * retriable statuses: it would start another UpstreamAttempt instead of answering.
 */
import type { Duplex } from 'node:stream';
import type { ForwardAction } from '../../routing/index.ts';
import { RESPONSE_FLAGS } from '../../../observe/response-flags.ts';
import { fromUpstreamRawHeaders, headerListGet, type HeaderList } from '../../http/header-list.ts';
import { applyResponseMutations } from '../../http/header-mutations.ts';
import type { HttpStream, StreamUpstream } from '../../http/http-stream.ts';
import type { RouteMutations } from '../../http/route-snapshot.ts';
import type { UpstreamCluster } from '../../upstream/upstream-cluster.ts';
import type { UpstreamHost } from '../../upstream/upstream-host.ts';
import type { RouterFilterConfig } from './config.ts';
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

export class RouterRequest implements AttemptOwner, StreamUpstream {
  readonly stream: HttpStream;
  readonly cluster: UpstreamCluster;
  readonly config: RouterFilterConfig;
  readonly action: ForwardAction;
  readonly mutations: RouteMutations | undefined;
  #attempt: UpstreamAttempt | undefined = undefined;
  #timer: NodeJS.Timeout | undefined = undefined;
  #resume: (() => void) | undefined = undefined;
  #done = false;

  constructor(stream: HttpStream, cluster: UpstreamCluster, config: RouterFilterConfig, action: ForwardAction, mutations: RouteMutations | undefined) {
    this.stream = stream;
    this.cluster = cluster;
    this.config = config;
    this.action = action;
    this.mutations = mutations;
  }

  /** Sends the request to `host`. */
  start(host: UpstreamHost, method: string, path: string, headers: string[]): void {
    const s = this.stream;
    const info = s.info;
    const now = s.cm.clock.monotonicMs();
    const protocol = this.cluster.protocolFor(s.protocol);
    const upgrade = s.upgrade === 'websocket' ? 'websocket' : null;
    const attempt = new UpstreamAttempt(this, host, method, path, headers, s.upgrade === undefined ? s.requestBody() : null, upgrade, now);
    this.#attempt = attempt;
    info.upstreamHost = host.addressString;
    info.upstreamHostName = host.hostname;
    info.upstreamProtocol = protocol === 'http2' ? 'HTTP/2' : 'HTTP/1.1';
    info.upstreamRequestAttemptCount = (info.upstreamRequestAttemptCount ?? 0) + 1;
    const cs = this.cluster.clusterStats;
    cs.upstreamRqTotal.inc();
    cs.upstreamRqActive.inc();
    host.stats.rqTotal++;
    host.stats.rqActive++;
    s.upstream = this;
    if (s.requestComplete) this.#armTimeout();
    host.pool(protocol).dispatch(attempt, attempt);
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
      this.cluster.hostMonitor?.report(a.host, 0, true);
    }
    this.#finish(a, 0);
    const s = this.stream;
    s.upstream = undefined;
    if (s.headersSent) s.resetStream(RESPONSE_FLAGS.UT, 'upstream_response_timeout');
    else {
      // Envoy counts the local 504 as the upstream's response code.
      cs.upstreamRqCodes.charge(504);
      s.sendLocalReply(504, 'upstream request timeout', RESPONSE_FLAGS.UT, 'upstream_response_timeout');
    }
  }

  // ---- AttemptOwner ----

  attemptHeaders(a: UpstreamAttempt, status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (a !== this.#attempt || this.#done) return false;
    const s = this.stream;
    const now = s.cm.clock.monotonicMs();
    s.info.responseDurationMs = now - s.info.startMono;
    s.info.responseCodeDetails = 'via_upstream';
    this.#resume = resume;
    const headers = fromUpstreamRawHeaders(rawHeaders, false);
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

  /** Once per request: stats of the attempt, the timer. `status` 0 = no upstream response. */
  #finish(a: UpstreamAttempt | undefined, status: number): void {
    if (this.#done) return;
    this.#done = true;
    this.#clearTimer();
    if (a === undefined) return;
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
