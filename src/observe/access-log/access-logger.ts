/**
 * The pieces the runtime wires per configured access log: a compiled formatter, an optional
 * compiled filter and a shared buffered sink. `log(entry)` is the whole per-request cost: one
 * filter call, one string build, one array push.
 */
import { err, ok, type Result } from '../../lib/result.ts';
import { type AccessLogSink, BufferedSink, type BufferedSinkOptions } from './buffered-sink.ts';
import type { AccessLogEntry } from './entry.ts';
import { type AccessLogFilterSpec, type AccessLogPredicate, compileAccessLogFilter } from './filter.ts';
import type { FormatError } from './format-error.ts';
import { type AccessLogFormatSpec, type AccessLogFormatter, type CompileOptions, compileAccessLogFormat } from './formatter.ts';
import { fdTarget, openFileTarget } from './sink-target.ts';

export class AccessLogger {
  constructor(
    readonly formatter: AccessLogFormatter,
    readonly sink: AccessLogSink,
    readonly filter?: AccessLogPredicate,
  ) {}

  log(entry: AccessLogEntry): void {
    if (this.filter !== undefined && !this.filter(entry)) return;
    this.sink.write(this.formatter.format(entry));
  }
}

/**
 * Compiles one configured access log (format + optional filter) onto a sink. Run when a snapshot
 * is built: an error here rejects the snapshot (turn it into a Diagnostic with
 * formatErrorToDiagnostic), so a bad format never reaches the request path.
 */
export function createAccessLogger(
  sink: AccessLogSink,
  format: AccessLogFormatSpec = {},
  filter?: AccessLogFilterSpec,
  options: CompileOptions = {},
): Result<AccessLogger, FormatError> {
  const f = compileAccessLogFormat(format, options);
  if (!f.ok) return f;
  if (filter === undefined) return ok(new AccessLogger(f.value, sink));
  const p = compileAccessLogFilter(filter);
  return p.ok ? ok(new AccessLogger(f.value, sink, p.value)) : p;
}

export function createStdoutSink(options: BufferedSinkOptions = {}): BufferedSink {
  return new BufferedSink(fdTarget(1, 'stdout'), options);
}

export function createStderrSink(options: BufferedSinkOptions = {}): BufferedSink {
  return new BufferedSink(fdTarget(2, 'stderr'), options);
}

/** Opens `path` for appending; an unopenable path is an error value (a Diagnostic upstream). */
export async function createFileSink(path: string, options: BufferedSinkOptions = {}): Promise<Result<BufferedSink, Error>> {
  const target = await openFileTarget(path);
  return target.ok ? ok(new BufferedSink(target.value, options)) : err(target.error);
}

/**
 * Reopens the sinks on `signal` (SIGUSR1 by default, as logrotate's postrotate expects). Node
 * uses SIGUSR1 to start the inspector when no listener is installed; installing this one takes
 * it over. Returns the function that removes the listener.
 */
export function reopenOnSignal(
  sinks: () => Iterable<{ reopen(): Promise<void> }>,
  signal: NodeJS.Signals = 'SIGUSR1',
): () => void {
  const handler = (): void => {
    for (const s of sinks()) void s.reopen();
  };
  process.on(signal, handler);
  return () => {
    process.off(signal, handler);
  };
}
