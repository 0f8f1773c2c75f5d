/** envoy.config.core.v3.HealthCheck: active health checking of a cluster's hosts. */
import type { HeaderValueOption, Int64Range } from './common.ts';
import type { StringMatcher } from './matchers.ts';

/** HealthCheck.HttpHealthCheck. */
export interface HttpHealthCheck {
  /** `:authority`; absent = the cluster name. */
  readonly host?: string;
  readonly path: string;
  /** Default [200, 201). */
  readonly expectedStatuses: readonly Int64Range[];
  /** Statuses that count as neither healthy nor unhealthy. */
  readonly retriableStatuses: readonly Int64Range[];
  readonly requestHeadersToAdd: readonly HeaderValueOption[];
  readonly requestHeadersToRemove: readonly string[];
  /** Default HTTP1. */
  readonly codecClientType?: 'HTTP1' | 'HTTP2';
  /** Default GET. */
  readonly method?: string;
  /** Match the response's server header (service_name_matcher). */
  readonly serviceNameMatcher?: StringMatcher;
}

/** HealthCheck.Payload: hex text or binary (base64). */
export type HealthCheckPayload =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly binary: string };

/** HealthCheck.TcpHealthCheck: connect, optionally send and expect bytes. */
export interface TcpHealthCheck {
  readonly send?: HealthCheckPayload;
  readonly receive: readonly HealthCheckPayload[];
}

/** HealthCheck.GrpcHealthCheck (grpc.health.v1). */
export interface GrpcHealthCheck {
  readonly serviceName?: string;
  readonly authority?: string;
}

/** HealthCheck.health_checker. */
export type HealthChecker =
  | { readonly kind: 'httpHealthCheck'; readonly httpHealthCheck: HttpHealthCheck }
  | { readonly kind: 'tcpHealthCheck'; readonly tcpHealthCheck: TcpHealthCheck }
  | { readonly kind: 'grpcHealthCheck'; readonly grpcHealthCheck: GrpcHealthCheck };

export interface HealthCheck {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly initialJitterMs?: number;
  readonly intervalJitterMs?: number;
  /** Share of interval added as jitter (0–100). */
  readonly intervalJitterPercent?: number;
  readonly unhealthyThreshold: number;
  readonly healthyThreshold: number;
  /** Interval while the cluster has seen no traffic. Default 60000. */
  readonly noTrafficIntervalMs?: number;
  /** Interval without traffic for a host that is healthy. Default noTrafficIntervalMs. */
  readonly noTrafficHealthyIntervalMs?: number;
  readonly unhealthyIntervalMs?: number;
  readonly unhealthyEdgeIntervalMs?: number;
  readonly healthyEdgeIntervalMs?: number;
  /** Default true. */
  readonly reuseConnection?: boolean;
  readonly alwaysLogHealthCheckFailures?: boolean;
  readonly healthChecker: HealthChecker;
}
