/**
 * Observability for the data plane: response flags, stats with Envoy's names and renderers,
 * access logs, admin endpoint renderers, diagnostics_channel names. Imports model/ and lib/ only.
 */
export * from './response-flags.ts';
export { type Clock, createManualClockForTest, type ManualClock, SYSTEM_CLOCK } from './clock.ts';
export { WEFT_CHANNELS, type WeftChannelName, weftChannel } from './diagnostics-channels.ts';
export * from './stats/index.ts';
export * from './access-log/index.ts';
export * from './admin/index.ts';
