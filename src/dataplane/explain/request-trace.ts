/**
 * `weft explain request`: the input the tracer takes and the trace it returns. The trace is plain
 * JSON (the API sends it as is, `-o json|yaml` prints it); every step carries both the structured
 * facts and, where a person needs one, a short `summary` the text form prints.
 */
import type { ClusterStatusView, ListenerStatusView } from '../../observe/admin/index.ts';

/** The request as the client sends it (curl's view). */
export interface TraceRequestInput {
  readonly method: string;
  readonly scheme: 'http' | 'https';
  /** The Host header value (`svc:port` as curl writes it). */
  readonly authority: string;
  /** The request target: path and query. */
  readonly target: string;
  /** Extra headers in the order given; names as written. */
  readonly headers: readonly (readonly [string, string])[];
}

/** Who sends it: the Pod `--from` names, or the host itself. */
export interface TraceCaller {
  readonly kind: 'pod' | 'host';
  readonly namespace: string;
  readonly name: string;
  /** The address the connection comes from (the outbound proxy connects from 127.0.0.1). */
  readonly sourceAddress: string;
}

/** How the host name became an address (the outbound proxy's resolution, done by the caller). */
export type Resolution =
  /** A Service name (`svc`, `svc.ns`, `svc.ns.svc.cluster.local`) → its ClusterIP. */
  | { readonly kind: 'service'; readonly host: string; readonly namespace: string; readonly service: string; readonly address: string; readonly port: number }
  /** An IP that is a Service's ClusterIP. */
  | { readonly kind: 'clusterIP'; readonly host: string; readonly namespace: string; readonly service: string; readonly address: string; readonly port: number }
  /** An IP that is a Pod's IP. */
  | { readonly kind: 'pod'; readonly host: string; readonly namespace: string; readonly pod: string; readonly address: string; readonly port: number }
  /** Any other IP (or `localhost`). */
  | { readonly kind: 'address'; readonly host: string; readonly address: string; readonly port: number };

/**
 * What the running data plane knows beyond the snapshot. `clusters` absent = host health is not
 * known in this process (the workers mode): the trace says "unknown" rather than guess.
 */
export interface RuntimeView {
  readonly clusters?: readonly ClusterStatusView[];
  /** Shown when `clusters` is absent. */
  readonly healthUnknownReason?: string;
  /** Where listeners are bound (port 0 resolved). */
  readonly listeners?: readonly ListenerStatusView[];
}

export interface ExplainRequestInput {
  readonly request: TraceRequestInput;
  readonly caller: TraceCaller;
  readonly resolution: Resolution;
  readonly runtime: RuntimeView;
}

export interface TracedRequest {
  readonly method: string;
  readonly url: string;
  readonly authority: string;
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Where a listener came from. */
export type ListenerOrigin =
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string }
  | {
      readonly kind: 'envoyConfig';
      /** CiliumEnvoyConfig or CiliumClusterwideEnvoyConfig. */
      readonly configKind: string;
      readonly namespace?: string;
      readonly name: string;
      /** `ns/svc:port` when the request was sent to a Service port this config intercepts. */
      readonly intercepts?: string;
    }
  | { readonly kind: 'other'; readonly source: string };

export interface ListenerTrace {
  readonly name: string;
  /** `ip:port` the connection reaches. */
  readonly address: string;
  readonly origin: ListenerOrigin;
  readonly summary: string;
}

export interface FilterChainTrace {
  /** Index in filter_chains, or `default` (default_filter_chain). */
  readonly index: number | 'default';
  readonly name?: string;
  /** The chain's filter_chain_match, one criterion per entry; empty = matches every connection. */
  readonly match: readonly string[];
  /** The facts the chain was chosen on (SNI, transport protocol) when they were looked at. */
  readonly facts: readonly string[];
  readonly tls: boolean;
  /** Non-terminal network filters, in order. */
  readonly networkFilters: readonly string[];
  readonly terminal: 'http_connection_manager' | 'tcp_proxy';
}

export type HttpFilterTrace =
  | { readonly kind: 'router'; readonly name: string; readonly runs: boolean; readonly summary: string }
  | {
      readonly kind: 'localRateLimit';
      readonly name: string;
      readonly runs: boolean;
      readonly configFrom: 'filter' | 'route';
      readonly status: number;
      /** Share of requests checked (filter_enabled) and of limited ones refused (filter_enforced), percent. */
      readonly checkedPercent: number;
      readonly enforcedPercent: number;
      readonly tokenBucket?: { readonly maxTokens: number; readonly tokensPerFill: number; readonly fillIntervalMs: number };
      readonly perConnection: boolean;
      readonly descriptors: number;
      /** Tokens left in the bucket now, when the running data plane says; else absent (unknown). */
      readonly tokensLeft?: number;
      readonly summary: string;
    }
  | {
      readonly kind: 'fault';
      readonly name: string;
      readonly runs: boolean;
      readonly configFrom: 'filter' | 'route';
      /** upstream_cluster, downstream_nodes and headers all match this request. */
      readonly applies: boolean;
      readonly conditions: readonly string[];
      /** Share of matching requests delayed / aborted / throttled, percent (after x-envoy-fault-*-percentage). */
      readonly delay?: { readonly percent: number; readonly ms?: number; readonly fromHeader: boolean };
      readonly abort?: { readonly percent: number; readonly status?: number; readonly grpcStatus?: number; readonly fromHeader: boolean };
      readonly responseRateLimit?: { readonly percent: number; readonly kbps?: number; readonly fromHeader: boolean };
      readonly summary: string;
    };

export interface RouteCheck {
  /** 1-based position in the virtual host. */
  readonly index: number;
  readonly name?: string;
  /** What the route matches, e.g. `prefix /, header version: exact foo`. */
  readonly match: string;
  /** `sometimes`: every other condition holds but runtime_fraction lets only a share through. */
  readonly verdict: 'matches' | 'no-match' | 'sometimes';
  /** For `sometimes`: the share of requests it takes (runtime_fraction), percent. */
  readonly share?: number;
  /** Why it does not match (empty when it does). */
  readonly reasons: readonly string[];
}

export interface ClusterShare {
  readonly name: string;
  readonly weight?: number;
  readonly percent: number;
}

export type RouteActionTrace =
  | {
      readonly kind: 'route';
      readonly clusters: readonly ClusterShare[];
      readonly path: { readonly before: string; readonly after: string; readonly rewrite?: string };
      readonly hostRewrite?: string;
      /** 0 = no timeout. */
      readonly timeoutMs: number;
      readonly idleTimeoutMs?: number;
      readonly retry?: {
        readonly retryOn: readonly string[];
        readonly numRetries: number;
        readonly perTryTimeoutMs?: number;
        readonly retriableStatusCodes: readonly number[];
        readonly from: 'route' | 'virtual host';
      };
      readonly mirrors: readonly { readonly cluster: string; readonly percent: number }[];
      readonly requestHeaders: readonly string[];
      readonly responseHeaders: readonly string[];
    }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string }
  | { readonly kind: 'directResponse'; readonly status: number; readonly body?: string };

export interface HttpTrace {
  readonly statPrefix: string;
  /** `:authority` and `:path` as the router sees them (port stripping and path normalisation applied). */
  readonly authority: string;
  readonly path: string;
  readonly scheme: string;
  /** The request counts as internal (x-envoy-internal), as Envoy decides from the client address. */
  readonly internal: boolean;
  readonly filters: readonly HttpFilterTrace[];
  readonly routeConfiguration: { readonly name: string; readonly from: 'rds' | 'inline' };
  readonly virtualHost?: { readonly name: string; readonly domains: readonly string[]; readonly matchedDomain: string };
  /** The routes tried, in order, up to the one chosen. */
  readonly routes: readonly RouteCheck[];
  /** The 1-based index of the route chosen; absent = none (404). */
  readonly route?: number;
  readonly action?: RouteActionTrace;
}

export interface TcpTrace {
  readonly statPrefix: string;
  readonly clusters: readonly ClusterShare[];
  readonly idleTimeoutMs: number;
}

export type EndpointHealth = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

export interface EndpointTrace {
  /** `ip:port` (or `name:port` for a DNS cluster with no run-time view). */
  readonly address: string;
  readonly weight: number;
  readonly priority: number;
  readonly health: EndpointHealth;
  /** Why it is not healthy: `failed active health check`, `ejected by outlier detection`... */
  readonly reasons: readonly string[];
}

export interface ClusterTrace {
  readonly name: string;
  /** Share of requests sent here (weighted clusters, tcp_proxy weights); mirrors have none. */
  readonly percent?: number;
  readonly mirror?: boolean;
  /** The cluster exists in the snapshot (or is the built-in admin cluster). */
  readonly found: boolean;
  readonly builtin?: string;
  readonly type?: string;
  readonly edsServiceName?: string;
  readonly lbPolicy?: string;
  readonly connectTimeoutMs?: number;
  readonly endpoints: readonly EndpointTrace[];
  readonly healthKnown: boolean;
  readonly healthNote?: string;
  /** Fewer healthy hosts than healthy_panic_threshold: balancing across all of them. */
  readonly panic: boolean;
  /** Hosts the load balancer picks from now; 0 = no healthy upstream (503). */
  readonly usable: number;
  readonly circuitBreakers?: { readonly maxConnections: number; readonly maxPendingRequests: number; readonly maxRequests: number; readonly maxRetries: number };
  readonly outlierDetection: boolean;
  readonly healthChecks: number;
  readonly summary: string;
}

export type TraceOutcome =
  | { readonly kind: 'forwarded'; readonly summary: string; readonly notes: readonly string[] }
  | { readonly kind: 'localReply'; readonly status: number; readonly flag?: string; readonly summary: string; readonly notes: readonly string[] }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string; readonly summary: string; readonly notes: readonly string[] }
  | { readonly kind: 'directResponse'; readonly status: number; readonly summary: string; readonly notes: readonly string[] }
  /** Nothing listens on the address: the client gets "connection refused". */
  | { readonly kind: 'refused'; readonly summary: string; readonly notes: readonly string[] }
  /** The listener accepts and closes (no filter chain, a TLS mismatch, tcp_proxy with no host). */
  | { readonly kind: 'closed'; readonly summary: string; readonly notes: readonly string[] }
  /** The address is a Pod's: the workload answers itself, weft's data plane is not on the path. */
  | { readonly kind: 'direct'; readonly summary: string; readonly notes: readonly string[] };

export interface RequestTrace {
  readonly snapshot?: { readonly version: string; readonly hash: string };
  readonly request: TracedRequest;
  readonly caller: TraceCaller;
  readonly resolution: Resolution;
  readonly listener?: ListenerTrace;
  readonly filterChain?: FilterChainTrace;
  readonly http?: HttpTrace;
  readonly tcp?: TcpTrace;
  readonly clusters: readonly ClusterTrace[];
  readonly outcome: TraceOutcome;
}
