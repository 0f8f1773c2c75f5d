/**
 * Request mirroring (RouteAction.request_mirror_policies), Envoy's shadow requests: for each
 * policy whose runtime_fraction hits, a copy of the upstream request goes to the mirror cluster
 * with `-shadow` appended to the host (before any port), fire-and-forget. The copy's response is
 * read and dropped; its failures are ignored; it never holds up the main request: its body is a
 * copy taken as the main body streams (see `HttpStream.addBodyTap`), dropped if the mirror falls
 * more than SHADOW_BODY_LIMIT behind, and the main response never waits for it. The mirror
 * cluster's own stats count the shadow requests.
 */
import { PassThrough } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { HeaderList } from '../../http/header-list.ts';
import type { HttpStream } from '../../http/http-stream.ts';
import type { Random } from '../../lb/index.ts';
import type { ForwardAction } from '../../routing/index.ts';
import type { UpstreamCluster } from '../../upstream/upstream-cluster.ts';
import { OVERFLOWED, QUEUED, type ConnectionPool } from '../../pool/connection-pool.ts';

/** How far (bytes) a mirror's body copy may fall behind before the shadow request is dropped. */
export const SHADOW_BODY_LIMIT = 1024 * 1024;

/** Envoy's shadowAppendedHost: `foo:8080` → `foo-shadow:8080`, `foo` → `foo-shadow`. */
export function shadowHost(host: string): string {
  const colon = host.lastIndexOf(':');
  if (colon > 0 && host.lastIndexOf(']') < colon && /^\d+$/.test(host.slice(colon + 1))) return `${host.slice(0, colon)}-shadow${host.slice(colon)}`;
  return `${host}-shadow`;
}

class ShadowRequest implements Dispatcher.DispatchHandler {
  readonly method: Dispatcher.HttpMethod;
  readonly path: string;
  readonly headers: string[];
  readonly body: PassThrough | null;
  readonly #cluster: UpstreamCluster;
  #timer: NodeJS.Timeout | undefined = undefined;
  #abort: ((e: Error) => void) | undefined = undefined;
  #done = false;
  /** The pool it waits in for a connection (the mirror cluster is at max_connections). */
  queuedIn: ConnectionPool | undefined = undefined;

  constructor(cluster: UpstreamCluster, method: string, path: string, headers: string[], body: PassThrough | null, timeoutMs: number) {
    this.#cluster = cluster;
    this.method = method as Dispatcher.HttpMethod;
    this.path = path;
    this.headers = headers;
    this.body = body;
    if (timeoutMs > 0) {
      this.#timer = setTimeout(onShadowTimeout, timeoutMs, this);
      this.#timer.unref();
    }
  }

  timedOut(): void {
    this.#timer = undefined;
    this.queuedIn?.cancel(this);
    this.#abort?.(new Error('shadow request timed out'));
    this.#finish();
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort as (e: Error) => void;
    if (this.#done) abort(new Error('shadow request timed out'));
  }

  onHeaders(status: number): boolean {
    this.#cluster.clusterStats.upstreamRqCodes.charge(status);
    return true;
  }

  onData(): boolean {
    return true;
  }

  onComplete(): void {
    this.#finish();
  }

  onError(): void {
    this.#finish();
  }

  /** The mirror cluster's circuit breakers refused it (counted there); nothing is sent. */
  overflowed(): void {
    this.#finish();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.body?.destroy();
    this.#cluster.clusterStats.upstreamRqActive.dec();
  }
}

function onShadowTimeout(r: ShadowRequest): void {
  r.timedOut();
}

/** Starts the mirrors of `action` for this request (only called when it has mirror policies). */
export function startShadows(s: HttpStream, action: ForwardAction, method: string, path: string, headers: HeaderList, random: Random): void {
  for (const policy of action.config.requestMirrorPolicies) {
    const f = policy.runtimeFraction ?? 1;
    if (!(f >= 1 || (f > 0 && random.next() < f))) continue;
    const cluster = s.routes.upstream.cluster(policy.cluster) as UpstreamCluster | undefined;
    if (cluster === undefined) continue;
    const host = cluster.pickHost(undefined);
    if (host === undefined) {
      cluster.clusterStats.upstreamCxNoneHealthy.inc();
      continue;
    }
    const copy = headers.slice();
    for (let i = 0; i < copy.length; i += 2) if (copy[i] === 'host') copy[i + 1] = shadowHost(copy[i + 1]);
    const body = s.hasRequestBody ? new PassThrough({ highWaterMark: SHADOW_BODY_LIMIT }) : null;
    if (body !== null) s.addBodyTap(body);
    const cs = cluster.clusterStats;
    cs.upstreamRqTotal.inc();
    cs.upstreamRqActive.inc();
    const shadow = new ShadowRequest(cluster, method, path, copy, body, action.timeoutMs);
    const pool = host.pool(cluster.protocolFor(s.protocol));
    const r = pool.dispatch(shadow, cluster.resources.default);
    if (r === OVERFLOWED) shadow.overflowed();
    else if (r === QUEUED) shadow.queuedIn = pool;
  }
}
