/**
 * Access logs (envoy.config.accesslog.v3.AccessLog with the file / stdout / stderr loggers of
 * envoy.extensions.access_loggers.{file,stream}.v3).
 */

/**
 * envoy.config.core.v3.SubstitutionFormatString.format. Absent = Envoy's default text format.
 * `text` holds command operators (`%START_TIME%`, `%REQ(:METHOD)%`, ...); `json` is an object
 * whose string leaves hold them.
 */
export type LogFormat =
  | { readonly kind: 'textFormat'; readonly textFormat: string }
  | { readonly kind: 'jsonFormat'; readonly jsonFormat: { readonly [key: string]: JsonFormatValue } };

export type JsonFormatValue = string | number | boolean | null | { readonly [key: string]: JsonFormatValue };

export interface AccessLogFormat {
  readonly format?: LogFormat;
  /** Leave out JSON keys (and text operators) that have no value. Default false. */
  readonly omitEmptyValues?: boolean;
}

/** AccessLog.config_type: where lines go. */
export type AccessLogSink =
  | { readonly kind: 'file'; readonly path: string; readonly logFormat: AccessLogFormat }
  | { readonly kind: 'stdout'; readonly logFormat: AccessLogFormat }
  | { readonly kind: 'stderr'; readonly logFormat: AccessLogFormat };

/**
 * AccessLog.filter: the filters Envoy defines that this model holds. `statusCode` compares with
 * `op` against `value`; `notHealthCheck` drops health-check requests; `responseFlag` keeps entries
 * with any of the flags (all flags when empty).
 */
export type AccessLogFilter =
  | { readonly kind: 'statusCodeFilter'; readonly op: 'EQ' | 'GE' | 'LE'; readonly value: number }
  | { readonly kind: 'durationFilter'; readonly op: 'EQ' | 'GE' | 'LE'; readonly valueMs: number }
  | { readonly kind: 'notHealthCheckFilter' }
  | { readonly kind: 'responseFlagFilter'; readonly flags: readonly string[] }
  | { readonly kind: 'andFilter'; readonly filters: readonly AccessLogFilter[] }
  | { readonly kind: 'orFilter'; readonly filters: readonly AccessLogFilter[] };

/** envoy.config.accesslog.v3.AccessLog. */
export interface AccessLog {
  readonly name: string;
  readonly filter?: AccessLogFilter;
  readonly typedConfig: AccessLogSink;
}
