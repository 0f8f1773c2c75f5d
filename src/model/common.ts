/**
 * Small Envoy v3 messages shared by several resources (envoy.config.core.v3 and envoy.type.v3).
 */

/**
 * A fraction in [0, 1]. Envoy's `FractionalPercent {numerator, denominator: HUNDRED |
 * TEN_THOUSAND | MILLION}`, `Percent {value}` (0–100) and `RuntimeFractionalPercent.default_value`
 * are all normalised to this at decode time (runtime keys are not supported and are dropped).
 */
export type Fraction = number;

/** envoy.config.core.v3.SocketAddress (TCP only). */
export interface SocketAddress {
  readonly kind: 'socketAddress';
  /** IP address, or a host name for STRICT_DNS / LOGICAL_DNS clusters. */
  readonly address: string;
  readonly portValue: number;
  /** Bind `::` and accept IPv4 too. Default false. */
  readonly ipv4Compat?: boolean;
}

/** envoy.config.core.v3.Pipe: a unix domain socket. */
export interface PipeAddress {
  readonly kind: 'pipe';
  readonly path: string;
  /** File mode of the socket, e.g. 0o600. */
  readonly mode?: number;
}

/** envoy.config.core.v3.Address (oneof `address`). */
export type Address = SocketAddress | PipeAddress;

/**
 * envoy.config.core.v3.DataSource. `filename` is read by the runtime when it builds a snapshot
 * (the model itself does no I/O); `inlineBytes` is base64 as in protojson.
 */
export type DataSource =
  | { readonly kind: 'filename'; readonly filename: string }
  | { readonly kind: 'inlineString'; readonly inlineString: string }
  | { readonly kind: 'inlineBytes'; readonly inlineBytes: string }
  | { readonly kind: 'environmentVariable'; readonly environmentVariable: string };

/** envoy.type.v3.Int64Range: `start` inclusive, `end` exclusive. */
export interface Int64Range {
  readonly start: number;
  readonly end: number;
}

/** envoy.config.core.v3.HeaderValue. `value` may hold Envoy format specifiers (`%REQ(x)%`). */
export interface HeaderValue {
  readonly key: string;
  readonly value: string;
}

/**
 * envoy.config.core.v3.HeaderValueOption.append_action. The deprecated `append: bool` is mapped at
 * decode time: true → APPEND_IF_EXISTS_OR_ADD, false → OVERWRITE_IF_EXISTS_OR_ADD.
 */
export type HeaderAppendAction =
  | 'APPEND_IF_EXISTS_OR_ADD'
  | 'ADD_IF_ABSENT'
  | 'OVERWRITE_IF_EXISTS_OR_ADD'
  | 'OVERWRITE_IF_EXISTS';

/** envoy.config.core.v3.HeaderValueOption. */
export interface HeaderValueOption {
  readonly header: HeaderValue;
  /** Default APPEND_IF_EXISTS_OR_ADD. */
  readonly appendAction?: HeaderAppendAction;
  /** Add the header even when its value is empty. Default false. */
  readonly keepEmptyValue?: boolean;
}

/** envoy.config.core.v3.Locality. */
export interface Locality {
  readonly region?: string;
  readonly zone?: string;
  readonly subZone?: string;
}

/** envoy.config.core.v3.RoutingPriority. */
export type RoutingPriority = 'DEFAULT' | 'HIGH';

/** envoy.config.core.v3.TrafficDirection. */
export type TrafficDirection = 'UNSPECIFIED' | 'INBOUND' | 'OUTBOUND';
