/**
 * A buffered access log sink: `write(line)` only appends to memory; lines reach the target in
 * batches when the buffer passes `flushBytes`, every `flushIntervalMs`, on `flush()` and at
 * `close()`. One batch is in flight at a time. The buffer is bounded: when the target falls
 * behind and `maxBufferedBytes` would be passed, lines are dropped and counted
 * (`access_log.dropped`), with one warning — a slow disk or a stalled stdout reader never grows
 * memory without bound and never blocks a request.
 *
 * `reopen()` (SIGUSR1, for logrotate) writes what is buffered to the old file, then opens the
 * path again; lines after it go to the new file.
 */
import { weftChannel, WEFT_CHANNELS } from '../diagnostics-channels.ts';
import type { AccessLogStats } from './access-log-stats.ts';
import type { SinkTarget } from './sink-target.ts';

/** What the runtime's access loggers write lines into. */
export interface AccessLogSink {
  write(line: string): void;
}

export interface BufferedSinkOptions {
  /** Start a write once this many bytes are buffered. Default 64 KiB (Envoy's flush size). */
  readonly flushBytes?: number;
  /** Write whatever is buffered this often. Default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Buffered plus in-flight bytes beyond which lines are dropped. Default 4 MiB. */
  readonly maxBufferedBytes?: number;
  readonly stats?: AccessLogStats;
  /** Called once per kind of trouble (drops, write failures, reopen failures). */
  readonly warn?: (message: string) => void;
}

const droppedChannel = weftChannel(WEFT_CHANNELS.accessLogDropped);
const writeFailedChannel = weftChannel(WEFT_CHANNELS.accessLogWriteFailed);
const reopenedChannel = weftChannel(WEFT_CHANNELS.accessLogReopened);

function defaultWarn(message: string): void {
  process.emitWarning(message, { code: 'WEFT_ACCESS_LOG' });
}

export class BufferedSink implements AccessLogSink {
  readonly #target: SinkTarget;
  readonly #flushBytes: number;
  readonly #maxBytes: number;
  readonly #stats: AccessLogStats | undefined;
  readonly #warn: (message: string) => void;
  readonly #warned = new Set<string>();
  readonly #timer: NodeJS.Timeout;
  #chunks: string[] = [];
  /** Buffered size, counted in UTF-16 units (close to bytes for log text; cheap to keep). */
  #bytes = 0;
  #inflightBytes = 0;
  #queue: Promise<void> = Promise.resolve();
  #flushQueued = false;
  #closed = false;
  #dropped = 0;

  constructor(target: SinkTarget, options: BufferedSinkOptions = {}) {
    this.#target = target;
    this.#flushBytes = options.flushBytes ?? 64 * 1024;
    this.#maxBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.#stats = options.stats;
    this.#warn = options.warn ?? defaultWarn;
    this.#timer = setInterval(() => this.#onTimer(), options.flushIntervalMs ?? 1000);
    this.#timer.unref();
  }

  get description(): string {
    return this.#target.description;
  }

  /** Lines dropped by this sink so far. */
  get droppedLines(): number {
    return this.#dropped;
  }

  /** Bytes waiting in memory (not counting the batch being written). */
  get bufferedBytes(): number {
    return this.#bytes;
  }

  write(line: string): void {
    const len = line.length;
    if (this.#closed || this.#bytes + this.#inflightBytes + len > this.#maxBytes) {
      this.#drop();
      return;
    }
    this.#chunks.push(line);
    this.#bytes += len;
    if (this.#stats) {
      this.#stats.writeBuffered.value++;
      this.#stats.writeTotalBuffered.add(len);
    }
    if (this.#bytes >= this.#flushBytes) this.#scheduleFlush();
  }

  /** Resolves once everything written before the call has reached the target (or failed). */
  flush(): Promise<void> {
    this.#scheduleFlush();
    return this.#queue;
  }

  /** Logrotate support: drain to the old file, then open the path again. */
  reopen(): Promise<void> {
    return this.#enqueue(async () => {
      await this.#writeOut();
      try {
        await this.#target.reopen();
        if (reopenedChannel.hasSubscribers) reopenedChannel.publish({ target: this.#target.description });
      } catch (e) {
        this.#stats?.reopenFailed.inc();
        this.#warnOnce('reopen', `access log: cannot reopen ${this.#target.description}: ${(e as Error).message}`);
      }
    });
  }

  /** Stops the timer, writes what is buffered and closes the target. Later lines are dropped. */
  close(): Promise<void> {
    if (this.#closed) return this.#queue;
    this.#closed = true;
    clearInterval(this.#timer);
    return this.#enqueue(async () => {
      await this.#writeOut();
      try {
        await this.#target.close();
      } catch (e) {
        this.#warnOnce('close', `access log: closing ${this.#target.description} failed: ${(e as Error).message}`);
      }
    });
  }

  #drop(): void {
    this.#dropped++;
    this.#stats?.dropped.inc();
    if (droppedChannel.hasSubscribers) droppedChannel.publish({ target: this.#target.description, dropped: this.#dropped });
    this.#warnOnce(
      'drop',
      this.#closed
        ? `access log: ${this.#target.description} is closed; dropping lines (counted in access_log.dropped)`
        : `access log: ${this.#target.description} is falling behind; dropping lines (counted in access_log.dropped)`,
    );
  }

  #warnOnce(kind: string, message: string): void {
    if (this.#warned.has(kind)) return;
    this.#warned.add(kind);
    this.#warn(message);
  }

  #onTimer(): void {
    if (this.#bytes === 0 || this.#flushQueued) return;
    this.#stats?.flushedByTimer.inc();
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    void this.#enqueue(() => {
      this.#flushQueued = false;
      return this.#writeOut();
    });
  }

  #enqueue(op: () => Promise<void>): Promise<void> {
    // Every op handles its own errors; the chain only orders them.
    this.#queue = this.#queue.then(op, op);
    return this.#queue;
  }

  async #writeOut(): Promise<void> {
    if (this.#chunks.length === 0) return;
    const text = this.#chunks.length === 1 ? this.#chunks[0] : this.#chunks.join('');
    const size = this.#bytes;
    this.#chunks = [];
    this.#bytes = 0;
    this.#inflightBytes = size;
    try {
      await this.#target.write(Buffer.from(text, 'utf8'));
      this.#stats?.writeCompleted.inc();
    } catch (e) {
      this.#stats?.writeFailed.inc();
      if (writeFailedChannel.hasSubscribers) writeFailedChannel.publish({ target: this.#target.description, error: e });
      this.#warnOnce('write', `access log: writing to ${this.#target.description} failed: ${(e as Error).message}`);
    } finally {
      this.#inflightBytes = 0;
      this.#stats?.writeTotalBuffered.sub(size);
    }
  }
}
