/**
 * `diagnostics_channel` names for weft's events, `weft:<area>:<event>` (STYLE.md §9). Publishing
 * costs almost nothing when nobody subscribes: publishers keep the Channel object from
 * `weftChannel()` and guard with `if (ch.hasSubscribers) ch.publish(message)`.
 */
import diagnosticsChannel from 'node:diagnostics_channel';

export const WEFT_CHANNELS = Object.freeze({
  /** A snapshot was compiled and swapped in. */
  runtimeSnapshotApplied: 'weft:runtime:snapshot-applied',
  /** A snapshot failed to compile; the old runtime keeps serving. */
  runtimeSnapshotRejected: 'weft:runtime:snapshot-rejected',
  listenerAdded: 'weft:listener:added',
  listenerDraining: 'weft:listener:draining',
  listenerRemoved: 'weft:listener:removed',
  /** A downstream connection was accepted. */
  downstreamConnectionOpened: 'weft:downstream:connection-opened',
  downstreamConnectionClosed: 'weft:downstream:connection-closed',
  /** The HTTP connection manager started a stream (request headers decoded). */
  httpRequestStart: 'weft:http:request-start',
  /** A stream finished (the access log entry is complete). */
  httpRequestEnd: 'weft:http:request-end',
  /** weft answered by itself: status, response flag and details are in the message. */
  httpLocalReply: 'weft:http:local-reply',
  upstreamConnected: 'weft:upstream:connected',
  upstreamConnectFailed: 'weft:upstream:connect-failed',
  upstreamDisconnected: 'weft:upstream:disconnected',
  upstreamRequestRetry: 'weft:upstream:request-retry',
  outlierEjected: 'weft:outlier:ejected',
  outlierUnejected: 'weft:outlier:unejected',
  healthCheckFailed: 'weft:health-check:failed',
  healthCheckSucceeded: 'weft:health-check:succeeded',
  circuitBreakerOpened: 'weft:circuit-breaker:opened',
  rateLimited: 'weft:rate-limit:limited',
  /** The access log sink fell behind and dropped lines. */
  accessLogDropped: 'weft:access-log:dropped',
  accessLogWriteFailed: 'weft:access-log:write-failed',
  accessLogReopened: 'weft:access-log:reopened',
});

export type WeftChannelName = (typeof WEFT_CHANNELS)[keyof typeof WEFT_CHANNELS];

/** The named channel (Node keeps one object per name, so this is stable across calls). */
export function weftChannel(name: WeftChannelName): diagnosticsChannel.Channel {
  return diagnosticsChannel.channel(name);
}
