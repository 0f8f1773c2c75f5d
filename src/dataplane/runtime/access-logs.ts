/**
 * Access loggers for an HCM or a tcp_proxy, built once per snapshot from its `access_log` list:
 * a compiled format, an optional compiled filter and a sink shared by everything that writes to
 * the same place (one buffered sink per file path, one for stdout, one for stderr). With no
 * access_log configured, the data plane's default (Envoy's default format to stdout) applies when
 * it is turned on.
 */
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../lib/diagnostic.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import type { AccessLog } from '../../model/index.ts';
import {
  AccessLogger,
  type AccessLogSink,
  type BufferedSink,
  compileAccessLogFilter,
  compileAccessLogFormat,
  createFileSink,
  createStderrSink,
  createStdoutSink,
  ENVOY_DEFAULT_FORMAT,
} from '../../observe/access-log/index.ts';
import type { Clock } from '../../observe/clock.ts';
import type { RuntimeResource } from './runtime-diagnostic.ts';
import { runtimeDiagnostic } from './runtime-diagnostic.ts';

/** The sinks shared across snapshots, by destination. */
export class AccessLogSinks {
  readonly #files = new Map<string, BufferedSink>();
  #stdout: AccessLogSink | undefined;
  #stderr: AccessLogSink | undefined;
  readonly #owned: BufferedSink[] = [];

  constructor(stdout?: AccessLogSink, stderr?: AccessLogSink) {
    this.#stdout = stdout;
    this.#stderr = stderr;
  }

  stdout(): AccessLogSink {
    if (this.#stdout === undefined) {
      const s = createStdoutSink();
      this.#owned.push(s);
      this.#stdout = s;
    }
    return this.#stdout;
  }

  stderr(): AccessLogSink {
    if (this.#stderr === undefined) {
      const s = createStderrSink();
      this.#owned.push(s);
      this.#stderr = s;
    }
    return this.#stderr;
  }

  async file(path: string): Promise<Result<AccessLogSink, string>> {
    const have = this.#files.get(path);
    if (have !== undefined) return ok(have);
    const made = await createFileSink(path);
    if (!made.ok) return err(`cannot open access log ${path}: ${made.error.message}`);
    this.#files.set(path, made.value);
    this.#owned.push(made.value);
    return ok(made.value);
  }

  /** The sinks that write files (SIGUSR1 reopens them). */
  fileSinks(): Iterable<BufferedSink> {
    return this.#files.values();
  }

  async flush(): Promise<void> {
    await Promise.all(this.#owned.map((s) => s.flush()));
  }

  async close(): Promise<void> {
    await Promise.all(this.#owned.map((s) => s.close()));
  }
}

export interface AccessLogDefaults {
  /** Log with Envoy's default format to this sink when nothing is configured; undefined = off. */
  readonly sink: AccessLogSink | undefined;
}

export async function buildAccessLoggers(
  logs: readonly AccessLog[],
  sinks: AccessLogSinks,
  defaults: AccessLogDefaults,
  clock: Clock,
  resource: RuntimeResource,
): Promise<Result<AccessLogger[], Diagnostic[]>> {
  const out: AccessLogger[] = [];
  const problems: Diagnostic[] = [];
  if (logs.length === 0) {
    if (defaults.sink !== undefined) {
      const f = compileAccessLogFormat({ format: { kind: 'textFormat', textFormat: ENVOY_DEFAULT_FORMAT } }, { clock });
      if (f.ok) out.push(new AccessLogger(f.value, defaults.sink));
    }
    return ok(out);
  }
  for (const log of logs) {
    const cfg = log.typedConfig;
    const format = compileAccessLogFormat(cfg.logFormat, { clock });
    if (!format.ok) {
      problems.push(runtimeDiagnostic(resource, `access log ${log.name}: ${format.error.message}`));
      continue;
    }
    let filter;
    if (log.filter !== undefined) {
      const f = compileAccessLogFilter(log.filter);
      if (!f.ok) {
        problems.push(runtimeDiagnostic(resource, `access log ${log.name}: ${f.error.message}`));
        continue;
      }
      filter = f.value;
    }
    let sink: AccessLogSink;
    switch (cfg.kind) {
      case 'stdout':
        sink = sinks.stdout();
        break;
      case 'stderr':
        sink = sinks.stderr();
        break;
      case 'file': {
        const s = await sinks.file(cfg.path);
        if (!s.ok) {
          problems.push(runtimeDiagnostic(resource, s.error, DIAGNOSTIC_CODES.IO));
          continue;
        }
        sink = s.value;
        break;
      }
      default: {
        const never: never = cfg;
        throw new Error(`unexpected access log sink ${JSON.stringify(never)}`);
      }
    }
    out.push(new AccessLogger(format.value, sink, filter));
  }
  return problems.length > 0 ? err(problems) : ok(out);
}
