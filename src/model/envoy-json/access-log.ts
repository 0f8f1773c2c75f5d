/**
 * envoy.config.accesslog.v3.AccessLog with the file, stdout and stderr loggers. A text format is
 * written as `text_format_source.inline_string` (`text_format` is deprecated).
 */
import { assertNever } from '../../lib/assert-never.ts';
import type { AccessLog, AccessLogFilter, AccessLogFormat, AccessLogSink, LogFormat } from '../access-log.ts';
import { ENVOY_TYPES, typed } from './any.ts';
import { enumName, flag, list, noOtherFields, obj, runtimeValue, str, type JsonObject } from './json.ts';

function encodeLogFormat(f: LogFormat): JsonObject {
  switch (f.kind) {
    case 'textFormat':
      return { text_format_source: { inline_string: f.textFormat } };
    case 'jsonFormat':
      return { json_format: f.jsonFormat };
    default:
      return assertNever(f, 'log format kind');
  }
}

/** envoy.config.core.v3.SubstitutionFormatString; absent when the logger uses Envoy's default format. */
function encodeFormat(f: AccessLogFormat): JsonObject | undefined {
  const { format, omitEmptyValues, ...rest } = f;
  noOtherFields(rest);
  if (format === undefined && !omitEmptyValues) return undefined;
  return obj({ ...(format ? encodeLogFormat(format) : {}), omit_empty_values: flag(omitEmptyValues) });
}

function encodeSink(s: AccessLogSink): JsonObject {
  switch (s.kind) {
    case 'file':
      return typed(ENVOY_TYPES.fileAccessLog, obj({ path: str(s.path), log_format: encodeFormat(s.logFormat) }));
    case 'stdout':
      return typed(ENVOY_TYPES.stdoutAccessLog, obj({ log_format: encodeFormat(s.logFormat) }));
    case 'stderr':
      return typed(ENVOY_TYPES.stderrAccessLog, obj({ log_format: encodeFormat(s.logFormat) }));
    default:
      return assertNever(s, 'access log sink kind');
  }
}

/** envoy.config.accesslog.v3.ComparisonFilter; `value` is a RuntimeUInt32 (a status, or ms). */
function comparison(op: 'EQ' | 'GE' | 'LE', value: number, runtimeKey: string): JsonObject {
  return { comparison: obj({ op: enumName(op, 'EQ'), value: runtimeValue(value, runtimeKey) }) };
}

export function encodeAccessLogFilter(f: AccessLogFilter): JsonObject {
  switch (f.kind) {
    case 'statusCodeFilter':
      return { status_code_filter: comparison(f.op, f.value, 'access_log.status_code') };
    case 'durationFilter':
      return { duration_filter: comparison(f.op, f.valueMs, 'access_log.duration') };
    case 'notHealthCheckFilter':
      return { not_health_check_filter: {} };
    case 'responseFlagFilter':
      return { response_flag_filter: obj({ flags: list(f.flags, (x) => x) }) };
    case 'andFilter':
      return { and_filter: obj({ filters: list(f.filters, encodeAccessLogFilter) }) };
    case 'orFilter':
      return { or_filter: obj({ filters: list(f.filters, encodeAccessLogFilter) }) };
    default:
      return assertNever(f, 'access log filter kind');
  }
}

export function encodeAccessLog(a: AccessLog): JsonObject {
  const { name, filter, typedConfig, ...rest } = a;
  noOtherFields(rest);
  return obj({ name: str(name), filter: filter ? encodeAccessLogFilter(filter) : undefined, typed_config: encodeSink(typedConfig) });
}

export function encodeAccessLogs(logs: readonly AccessLog[]): readonly JsonObject[] | undefined {
  return list(logs, encodeAccessLog);
}
