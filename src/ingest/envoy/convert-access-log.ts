/**
 * envoy.config.accesslog.v3.AccessLog with the file, stdout and stderr loggers and the filters the
 * model holds (status code, duration, not-health-check, response flags, and/or).
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import type { AccessLog, AccessLogFilter, AccessLogFormat, AccessLogSink, JsonFormatValue, LogFormat } from '../../model/index.ts';
import { compact, convertDataSource } from './convert-common.ts';
import { reportUnsupportedPayload, type ProtoObject } from './proto-object.ts';
import { ACCESS_LOG_TYPES, formatTypeList } from './typed-configs.ts';

function convertFormatString(o: ProtoObject): AccessLogFormat {
  // content_type only applies to local reply bodies rendered with this format, never to log lines.
  o.ignore('content_type');
  let format: LogFormat | undefined;
  switch (o.oneof('format')) {
    case 'text_format':
      format = { kind: 'textFormat', textFormat: o.str('text_format') ?? '' };
      break;
    case 'json_format':
      format = { kind: 'jsonFormat', jsonFormat: o.raw('json_format') as { readonly [key: string]: JsonFormatValue } };
      break;
    case 'text_format_source': {
      const src = o.msg('text_format_source');
      const ds = src ? convertDataSource(src) : undefined;
      if (ds?.kind === 'inlineString') format = { kind: 'textFormat', textFormat: ds.inlineString };
      else if (ds) o.error('text_format_source', DIAGNOSTIC_CODES.UNSUPPORTED, `a ${ds.kind} format source is valid Envoy, but weft reads only inline_string here`, 'use text_format or text_format_source.inline_string');
      break;
    }
    default:
      break;
  }
  return compact({ format, omitEmptyValues: o.bool('omit_empty_values') || undefined });
}

/** FileAccessLog's deprecated `format` / `json_format` / `typed_json_format`, or `log_format`. */
function fileFormat(o: ProtoObject): AccessLogFormat {
  switch (o.oneof('access_log_format')) {
    case 'format':
      return { format: { kind: 'textFormat', textFormat: o.str('format') ?? '' } };
    case 'json_format':
      return { format: { kind: 'jsonFormat', jsonFormat: o.raw('json_format') as { readonly [key: string]: JsonFormatValue } } };
    case 'typed_json_format':
      return { format: { kind: 'jsonFormat', jsonFormat: o.raw('typed_json_format') as { readonly [key: string]: JsonFormatValue } } };
    case 'log_format': {
      const f = o.msg('log_format');
      return f ? convertFormatString(f) : {};
    }
    default:
      return {};
  }
}

function convertSink(log: ProtoObject): AccessLogSink | undefined {
  const payload = log.any('typed_config');
  if (!payload) {
    log.error('typed_config', DIAGNOSTIC_CODES.REQUIRED, 'an access log needs typed_config', `weft runs: ${formatTypeList(Object.values(ACCESS_LOG_TYPES))}`);
    return undefined;
  }
  const o = payload.object;
  if (!o) return undefined;
  switch (payload.typeName) {
    case ACCESS_LOG_TYPES.file:
      return { kind: 'file', path: o.str('path') ?? '', logFormat: fileFormat(o) };
    case ACCESS_LOG_TYPES.stdout: {
      const f = o.msg('log_format');
      return { kind: 'stdout', logFormat: f ? convertFormatString(f) : {} };
    }
    case ACCESS_LOG_TYPES.stderr: {
      const f = o.msg('log_format');
      return { kind: 'stderr', logFormat: f ? convertFormatString(f) : {} };
    }
    default:
      reportUnsupportedPayload(payload, log.cx, 'an access logger', Object.values(ACCESS_LOG_TYPES));
      return undefined;
  }
}

function comparison(o: ProtoObject | undefined): { op: 'EQ' | 'GE' | 'LE'; value: number } {
  const c = o?.msg('comparison');
  const value = c?.msg('value');
  value?.ignore('runtime_key');
  return { op: (c?.enum('op') as 'EQ' | 'GE' | 'LE' | undefined) ?? 'EQ', value: value?.num('default_value') ?? 0 };
}

function convertFilter(o: ProtoObject): AccessLogFilter | undefined {
  switch (o.oneof('filter_specifier')) {
    case 'status_code_filter':
      return { kind: 'statusCodeFilter', ...comparison(o.msg('status_code_filter')) };
    case 'duration_filter': {
      const c = comparison(o.msg('duration_filter'));
      return { kind: 'durationFilter', op: c.op, valueMs: c.value };
    }
    case 'not_health_check_filter':
      o.msg('not_health_check_filter');
      return { kind: 'notHealthCheckFilter' };
    case 'response_flag_filter':
      return { kind: 'responseFlagFilter', flags: o.msg('response_flag_filter')?.strs('flags') ?? [] };
    case 'and_filter':
      return { kind: 'andFilter', filters: convertFilters(o.msg('and_filter')?.msgs('filters') ?? []) };
    case 'or_filter':
      return { kind: 'orFilter', filters: convertFilters(o.msg('or_filter')?.msgs('filters') ?? []) };
    default:
      // Runtime, traceable, header, gRPC status, metadata, log type and extension filters are
      // left unread and reported as unsupported.
      return undefined;
  }
}

function convertFilters(list: readonly ProtoObject[]): AccessLogFilter[] {
  return list.map(convertFilter).filter((f): f is AccessLogFilter => f !== undefined);
}

export function convertAccessLog(o: ProtoObject): AccessLog | undefined {
  const name = o.str('name') ?? '';
  const typedConfig = convertSink(o);
  const f = o.msg('filter');
  const filter = f ? convertFilter(f) : undefined;
  if (!typedConfig) return undefined;
  return compact({ name, filter, typedConfig });
}

export function convertAccessLogs(list: readonly ProtoObject[]): AccessLog[] {
  return list.map(convertAccessLog).filter((l): l is AccessLog => l !== undefined);
}
