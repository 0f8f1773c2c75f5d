export {
  type AccessLogEntry,
  type EntryMetadata,
  type HeaderRecord,
  type HeaderValue,
  type HttpProtocol,
  TIME_POINTS,
  type TimePoint,
  type TlsInfo,
} from './entry.ts';
export { ENVOY_DEFAULT_FORMAT, ENVOY_DEFAULT_TCP_FORMAT, ISTIO_DEFAULT_FORMAT } from './default-formats.ts';
export { type FormatError, formatErrorToDiagnostic } from './format-error.ts';
export { type FormatSegment, parseFormatString } from './format-parser.ts';
export { type LogValue, SUPPORTED_COMMANDS } from './commands.ts';
export { compileTimeFormat, type TimeFormatter } from './time-format.ts';
export {
  type AccessLogFormatSpec,
  type AccessLogFormatter,
  type CompileOptions,
  compileAccessLogFormat,
  type JsonFormatValue,
} from './formatter.ts';
export { type AccessLogFilterSpec, type AccessLogPredicate, type ComparisonOp, compileAccessLogFilter } from './filter.ts';
export { ALL_ACCESS_LOG_STATS, type AccessLogStats, createAccessLogStats } from './access-log-stats.ts';
export { type AccessLogSink, BufferedSink, type BufferedSinkOptions } from './buffered-sink.ts';
export { fdTarget, openFileTarget, type SinkTarget } from './sink-target.ts';
export { AccessLogger, createAccessLogger, createFileSink, createStderrSink, createStdoutSink, reopenOnSignal } from './access-logger.ts';
