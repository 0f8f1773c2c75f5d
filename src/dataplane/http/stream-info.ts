/**
 * Envoy's StreamInfo: what a stream did, filled as it runs and read by the access log formatters
 * (it is observe/'s AccessLogEntry) and by header formatters (`%DOWNSTREAM_REMOTE_ADDRESS%` in a
 * request_headers_to_add value). A class with every field set in the constructor, so every
 * stream object has the same shape.
 */
import type { AccessLogEntry, HeaderRecord, HttpProtocol, TimePoint } from '../../observe/access-log/index.ts';
import type { ResponseFlags } from '../../observe/response-flags.ts';
import type { HeaderList } from './header-list.ts';

export class StreamInfo implements AccessLogEntry {
  startTimeMs: number;
  /** Monotonic start, for durations. */
  readonly startMono: number;
  durationMs: number | undefined = undefined;
  requestDurationMs: number | undefined = undefined;
  requestTxDurationMs: number | undefined = undefined;
  responseDurationMs: number | undefined = undefined;
  responseTxDurationMs: number | undefined = undefined;
  timePoints: { [K in TimePoint]?: number } | undefined = undefined;
  protocol: HttpProtocol | undefined = undefined;
  upstreamProtocol: HttpProtocol | undefined = undefined;
  method: string | undefined = undefined;
  path: string | undefined = undefined;
  authority: string | undefined = undefined;
  scheme: string | undefined = undefined;
  requestHeaders: HeaderRecord | undefined = undefined;
  /** Response headers as sent, flat; exposed as a record for %RESP(...)% on demand. */
  responseHeaderList: HeaderList | undefined = undefined;
  responseTrailers: HeaderRecord | undefined = undefined;
  responseCode = 0;
  responseCodeDetails: string | undefined = undefined;
  connectionTerminationDetails: string | undefined = undefined;
  responseFlags: ResponseFlags = 0;
  localReplyBody: string | undefined = undefined;
  bytesReceived = 0;
  bytesSent = 0;
  routeName: string | undefined = undefined;
  upstreamCluster: string | undefined = undefined;
  upstreamClusterRaw: string | undefined = undefined;
  upstreamHost: string | undefined = undefined;
  upstreamHostName: string | undefined = undefined;
  upstreamLocalAddress: string | undefined = undefined;
  upstreamTransportFailureReason: string | undefined = undefined;
  upstreamRequestAttemptCount: number | undefined = undefined;
  downstreamRemoteAddress: string | undefined = undefined;
  downstreamDirectRemoteAddress: string | undefined = undefined;
  downstreamLocalAddress: string | undefined = undefined;
  requestedServerName: string | undefined = undefined;
  connectionId: number | undefined = undefined;
  streamId: string | undefined = undefined;
  filterChainName: string | undefined = undefined;
  accessLogType: string | undefined = undefined;
  #responseRecord: HeaderRecord | undefined = undefined;

  constructor(startTimeMs: number, startMono: number) {
    this.startTimeMs = startTimeMs;
    this.startMono = startMono;
  }

  get responseHeaders(): HeaderRecord | undefined {
    const list = this.responseHeaderList;
    if (list === undefined) return undefined;
    if (this.#responseRecord === undefined) {
      const rec: Record<string, string | string[]> = {};
      for (let i = 0; i < list.length; i += 2) {
        const prev = rec[list[i]];
        if (prev === undefined) rec[list[i]] = list[i + 1];
        else if (typeof prev === 'string') rec[list[i]] = [prev, list[i + 1]];
        else prev.push(list[i + 1]);
      }
      this.#responseRecord = rec;
    }
    return this.#responseRecord;
  }
}
