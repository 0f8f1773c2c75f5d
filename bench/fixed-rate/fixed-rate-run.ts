/**
 * An open-loop, fixed-rate HTTP/1.1 load generator (what wrk2 does; Debian has no wrk2).
 *
 * Request i is *scheduled* at t0 + i/rate, whatever happened to earlier requests, and its latency is
 * measured from that scheduled time to the end of its response. A target that stalls therefore
 * shows the full wait of every request scheduled behind the stall (no coordinated omission), and a
 * request for which no connection is free waits in a queue with its clock running.
 *
 * Timing: Node's timers tick in whole milliseconds, too coarse for a 1 ms send interval. So, when
 * nothing is in flight, the generator blocks in `Atomics.wait` (a futex with a sub-ms timeout) until
 * SPIN_MARGIN_MS before the next send, then spins to the exact time; while a request is in flight it
 * spins on `setImmediate`, which polls the sockets between checks, so responses are timestamped as
 * soon as they arrive. The gap between a send's scheduled and real time (when a connection was
 * free) is reported as `sendLagMs`: the generator's own error, which counts against every target.
 *
 * The client is raw `node:net` with a minimal response reader (not undici): its cost per request is
 * a few microseconds, so the generator adds as little as it can to what it measures.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { summarize } from '../percentiles.ts';
import type { LatencySummary } from '../percentiles.ts';
import { HttpResponseReader } from './http-response-reader.ts';

/** How long before a send the futex wait ends and the spin begins (covers the wake-up latency). */
const SPIN_MARGIN_MS = 0.5;
/** Beyond this distance to the next send, a plain timer is precise enough to get close. */
const COARSE_MS = 3;
const MAX_RECONNECTS = 1000;
const CONNECT_TIMEOUT_MS = 5000;

export interface FixedRateOptions {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** Requests per second, across all connections. */
  readonly rate: number;
  /** Measured duration. */
  readonly seconds: number;
  /** Sent at the same rate before the measured window, not recorded. */
  readonly warmupSeconds: number;
  readonly connections: number;
  /** After the last send, how long in-flight requests may take before they count as unfinished. */
  readonly drainMs: number;
  /**
   * `precise`: futex wait + spin to each send time (default). `timer`: Node timers only (whole
   * milliseconds, no spinning; sends are late by up to ~1 ms and that lateness counts as latency).
   */
  readonly timing: FixedRateTiming;
}

export type FixedRateTiming = 'precise' | 'timer';

export interface FixedRateResult {
  readonly rate: number;
  readonly seconds: number;
  readonly connections: number;
  /** Requests scheduled in the measured window. */
  readonly scheduled: number;
  readonly completed: number;
  /** Completed measured requests per second of the measured window. */
  readonly achievedRate: number;
  readonly non2xx: number;
  /** Requests whose connection failed, closed or sent bytes the reader refused. */
  readonly failed: number;
  /** Requests still without a response `drainMs` after the last send (their wait so far is counted). */
  readonly unfinished: number;
  /** From scheduled send time to the end of the response. */
  readonly latencyMs: LatencySummary;
  /** From scheduled to real send time, for requests that found a free connection. */
  readonly sendLagMs: LatencySummary;
  /** The generator's own CPU use during the measured window, % of one core. */
  readonly generatorCpuPercent: number;
}

interface Conn {
  socket: Socket;
  reader: HttpResponseReader;
  /** Index of the request in flight on it, or -1. */
  current: number;
}

export function runFixedRate(o: FixedRateOptions): Promise<FixedRateResult> {
  return new FixedRateRun(o).start();
}

class FixedRateRun {
  readonly #o: FixedRateOptions;
  readonly #request: Buffer;
  readonly #interval: number;
  readonly #warm: number;
  readonly #total: number;
  readonly #latency: Float64Array;
  readonly #lag: Float64Array;
  readonly #sleeper = new Int32Array(new SharedArrayBuffer(4));
  readonly #idle: Conn[] = [];
  readonly #queue: number[] = [];
  #queueHead = 0;
  #t0 = 0;
  #next = 0;
  #inFlight = 0;
  #settled = 0;
  #completed = 0;
  #non2xx = 0;
  #failed = 0;
  #reconnects = 0;
  #lastDone = 0;
  #cpuStart: NodeJS.CpuUsage | undefined;
  #cpuMeasured: NodeJS.CpuUsage | undefined;
  #finish: (r: FixedRateResult) => void = () => {};
  #fail: (e: Error) => void = () => {};
  #done = false;
  #drainTimer: NodeJS.Timeout | undefined;
  readonly #conns = new Set<Conn>();

  constructor(o: FixedRateOptions) {
    this.#o = o;
    this.#request = Buffer.from(`GET ${o.path} HTTP/1.1\r\nHost: ${o.host}:${o.port}\r\n\r\n`, 'latin1');
    this.#interval = 1000 / o.rate;
    this.#warm = Math.round(o.rate * o.warmupSeconds);
    this.#total = this.#warm + Math.round(o.rate * o.seconds);
    this.#latency = new Float64Array(this.#total - this.#warm).fill(Number.NaN);
    this.#lag = new Float64Array(this.#total - this.#warm).fill(Number.NaN);
  }

  start(): Promise<FixedRateResult> {
    return new Promise((resolve, reject) => {
      this.#finish = resolve;
      this.#fail = reject;
      const opening = Array.from({ length: this.#o.connections }, () => this.#open());
      Promise.all(opening).then(
        () => {
          this.#t0 = performance.now() + 1;
          this.#tick();
        },
        (e: Error) => this.#abort(e),
      );
    });
  }

  #open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.#o.host, port: this.#o.port, noDelay: true });
      const conn: Conn = { socket, reader: new HttpResponseReader(), current: -1 };
      const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        this.#conns.add(conn);
        this.#release(conn);
        resolve();
      });
      socket.on('data', (chunk: Buffer) => this.#onData(conn, chunk, performance.now()));
      socket.on('error', () => {}); // 'close' follows and does the accounting
      socket.once('close', () => {
        clearTimeout(timer);
        if (!this.#conns.delete(conn)) {
          reject(new Error(`cannot connect to ${this.#o.host}:${this.#o.port}`));
          return;
        }
        this.#onClose(conn);
      });
    });
  }

  #onData(conn: Conn, chunk: Buffer, now: number): void {
    const error = conn.reader.feed(chunk, (status) => this.#onResponse(conn, status, now));
    if (error !== undefined || conn.reader.closing) conn.socket.destroy();
  }

  #onResponse(conn: Conn, status: number, now: number): void {
    const i = conn.current;
    conn.current = -1;
    if (i < 0) return; // a response nobody asked for: the reader keeps framing, we ignore it
    if (status < 200 || status > 299) this.#non2xx++;
    this.#settle(i, now, true);
    if (!conn.reader.closing && !conn.socket.destroyed) this.#release(conn);
  }

  #onClose(conn: Conn): void {
    conn.reader.end((status) => this.#onResponse(conn, status, performance.now()));
    const idle = this.#idle.indexOf(conn);
    if (idle >= 0) this.#idle.splice(idle, 1);
    if (conn.current >= 0) {
      this.#failed++;
      this.#settle(conn.current, Number.NaN, false);
      conn.current = -1;
    }
    if (this.#done) return;
    if (++this.#reconnects > MAX_RECONNECTS) {
      this.#abort(new Error(`more than ${MAX_RECONNECTS} connections lost; is the target up?`));
      return;
    }
    this.#open().catch((e: Error) => this.#abort(e));
  }

  /** A connection is free: give it the oldest queued request, or park it. */
  #release(conn: Conn): void {
    if (this.#queueHead < this.#queue.length) {
      this.#send(conn, this.#queue[this.#queueHead++], Number.NaN);
    } else {
      this.#idle.push(conn);
    }
  }

  #send(conn: Conn, i: number, lag: number): void {
    conn.current = i;
    if (i >= this.#warm) this.#lag[i - this.#warm] = lag;
    conn.socket.write(this.#request);
  }

  #dispatchDue(now: number): void {
    while (this.#next < this.#total && this.#t0 + this.#next * this.#interval <= now) {
      const i = this.#next++;
      if (i === this.#warm) this.#cpuStart = process.cpuUsage();
      this.#inFlight++;
      const conn = this.#idle.pop();
      if (conn) this.#send(conn, i, performance.now() - (this.#t0 + i * this.#interval));
      else this.#queue.push(i);
    }
    if (this.#next === this.#total && this.#drainTimer === undefined) {
      this.#drainTimer = setTimeout(() => this.#end(), this.#o.drainMs);
    }
  }

  #tick = (): void => {
    if (this.#done) return;
    this.#dispatchDue(performance.now());
    if (this.#next >= this.#total) return;
    const due = this.#t0 + this.#next * this.#interval;
    const wait = due - performance.now();
    if (this.#o.timing === 'timer') {
      setTimeout(this.#tick, Math.max(1, Math.floor(wait)));
      return;
    }
    if (wait > COARSE_MS) {
      setTimeout(this.#tick, wait - COARSE_MS + 1);
      return;
    }
    if (this.#inFlight === 0) {
      // Nothing can arrive that needs timestamping: block precisely, then spin the last stretch.
      if (wait > SPIN_MARGIN_MS) Atomics.wait(this.#sleeper, 0, 0, wait - SPIN_MARGIN_MS);
      while (performance.now() < due) {
        // spin
      }
      this.#dispatchDue(performance.now());
    }
    setImmediate(this.#tick);
  };

  #settle(i: number, now: number, ok: boolean): void {
    this.#inFlight--;
    this.#settled++;
    if (i >= this.#warm) {
      const scheduled = this.#t0 + i * this.#interval;
      if (ok) {
        this.#completed++;
        this.#latency[i - this.#warm] = now - scheduled;
        if (now > this.#lastDone) this.#lastDone = now;
      }
    }
    if (this.#next === this.#total && this.#settled === this.#total) this.#end();
  }

  #end(): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#drainTimer);
    this.#cpuMeasured = this.#cpuStart ? process.cpuUsage(this.#cpuStart) : undefined;
    const now = performance.now();
    // Requests still waiting count with the wait they have had so far (a lower bound).
    let unfinished = 0;
    for (let i = this.#warm; i < this.#total; i++) {
      const k = i - this.#warm;
      if (Number.isNaN(this.#latency[k]) && this.#isPending(i)) {
        this.#latency[k] = now - (this.#t0 + i * this.#interval);
        unfinished++;
      }
    }
    for (const c of this.#conns) c.socket.destroy();
    this.#finish(this.#result(unfinished));
  }

  #isPending(i: number): boolean {
    for (const c of this.#conns) if (c.current === i) return true;
    return this.#queue.indexOf(i, this.#queueHead) >= 0;
  }

  #result(unfinished: number): FixedRateResult {
    const measuredStart = this.#t0 + this.#warm * this.#interval;
    const windowMs = Math.max(this.#lastDone - measuredStart, this.#o.seconds * 1000);
    const cpu = this.#cpuMeasured;
    return {
      rate: this.#o.rate,
      seconds: this.#o.seconds,
      connections: this.#o.connections,
      scheduled: this.#total - this.#warm,
      completed: this.#completed,
      achievedRate: (this.#completed * 1000) / windowMs,
      non2xx: this.#non2xx,
      failed: this.#failed,
      unfinished,
      latencyMs: summarize(this.#latency),
      sendLagMs: summarize(this.#lag),
      generatorCpuPercent: cpu ? ((cpu.user + cpu.system) / 1000 / windowMs) * 100 : Number.NaN,
    };
  }

  #abort(e: Error): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#drainTimer);
    for (const c of this.#conns) c.socket.destroy();
    this.#fail(e);
  }
}
