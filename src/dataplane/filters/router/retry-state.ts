/**
 * One request's retry state (Envoy's RetryStateImpl), made only when the route (or, for internal
 * requests, `x-envoy-retry-on`) asks for retries: which outcomes are retriable, how many retries
 * are left, the jittered exponential back-off (Envoy's JitteredExponentialBackOffStrategy: a
 * uniform pick below base × 2^n, capped at max_interval), the hosts already tried (the
 * previous_hosts predicate) and a copy of the request body for replays, bounded by the buffer
 * limit: a body that grew past it, or that has not fully arrived, is not replayed.
 */
import { Transform, type Readable } from 'node:stream';
import { RETRY_ON, type CompiledRetryPolicy } from '../../routing/index.ts';
import type { HeaderList } from '../../http/header-list.ts';
import type { Random } from '../../lb/index.ts';
import type { UpstreamHost } from '../../upstream/upstream-host.ts';
import type { AttemptFailure } from './upstream-attempt.ts';

export class RetryState {
  readonly policy: CompiledRetryPolicy;
  readonly on: number;
  remaining: number;
  /** Retries started so far. */
  retries = 0;
  readonly triedHosts: UpstreamHost[] = [];
  #nextIntervalMs: number;
  #chunks: Buffer[] | undefined = undefined;
  #bytes = 0;
  #limit: number;
  #bodyTooLarge = false;

  constructor(policy: CompiledRetryPolicy, on: number, numRetries: number, bufferLimit: number) {
    this.policy = policy;
    this.on = on;
    this.remaining = numRetries;
    this.#nextIntervalMs = policy.baseIntervalMs;
    this.#limit = bufferLimit;
  }

  /**
   * The body for the first attempt, copied on its way (a Transform, so the copy never changes
   * the stream's flow or backpressure): keep it for replays up to the buffer limit.
   */
  watchBody(body: Readable): Readable {
    const chunks: Buffer[] = (this.#chunks = []);
    const copy = new Transform({
      transform: (c: Buffer, _enc, done) => {
        if (!this.#bodyTooLarge) {
          this.#bytes += c.length;
          if (this.#bytes > this.#limit) {
            this.#bodyTooLarge = true;
            chunks.length = 0;
          } else chunks.push(c);
        }
        done(null, c);
      },
    });
    body.on('error', (e: Error) => copy.destroy(e));
    return body.pipe(copy);
  }

  /** The body for a replay: null (no body), a Buffer, or undefined (cannot replay). */
  replayBody(requestComplete: boolean): Buffer | null | undefined {
    if (this.#chunks === undefined) return null;
    if (this.#bodyTooLarge || !requestComplete) return undefined;
    return this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks);
  }

  /** A response with this status and headers is retriable under the policy. */
  retriableResponse(status: number, headers: HeaderList): boolean {
    const on = this.on;
    if (on & RETRY_ON.FIVE_XX && status >= 500) return true;
    if (on & RETRY_ON.GATEWAY_ERROR && status >= 502 && status <= 504) return true;
    if (on & RETRY_ON.RETRIABLE_4XX && status === 409) return true;
    if (on & RETRY_ON.RETRIABLE_STATUS_CODES && this.policy.retriableStatusCodes.has(status)) return true;
    if (on & RETRY_ON.RETRIABLE_HEADERS && this.policy.retriableHeaders.length > 0) {
      const req = responseAsRequest(headers);
      for (const m of this.policy.retriableHeaders) if (m(req)) return true;
    }
    return false;
  }

  /** A failure before response headers is retriable (Envoy's wouldRetryFromReset). */
  retriableFailure(f: AttemptFailure | undefined): boolean {
    const on = this.on;
    // A per-try timeout (undefined) counts as a reset, as do broken connections.
    if (on & (RETRY_ON.FIVE_XX | RETRY_ON.GATEWAY_ERROR | RETRY_ON.RESET)) return f === undefined || f.kind !== 'invalid';
    if (f === undefined) return false;
    if (on & RETRY_ON.CONNECT_FAILURE && f.kind === 'connect') return true;
    if (on & RETRY_ON.RESET_BEFORE_REQUEST && f.kind === 'connect') return true;
    if (on & RETRY_ON.REFUSED_STREAM && f.kind === 'reset' && f.remoteReset && /refused/i.test(f.error.message)) return true;
    return false;
  }

  nextBackOffMs(random: Random): number {
    const ceiling = this.#nextIntervalMs;
    this.#nextIntervalMs = Math.min(this.#nextIntervalMs * 2, this.policy.maxIntervalMs);
    return Math.min(Math.floor(random.next() * ceiling), this.policy.maxIntervalMs);
  }
}

function responseAsRequest(headers: HeaderList): { authority: string; path: string; query: string; method: string; scheme: string; headers: { get(n: string): string | undefined } } {
  return {
    authority: '',
    path: '',
    query: '',
    method: '',
    scheme: '',
    headers: {
      get(name: string): string | undefined {
        let out: string | undefined;
        for (let i = 0; i < headers.length; i += 2) {
          if (headers[i] === name) out = out === undefined ? headers[i + 1] : `${out},${headers[i + 1]}`;
        }
        return out;
      },
    },
  };
}
