/**
 * The query parameters of fortio's echo server, parsed as fortio does: `status=503` (always) or
 * `status=503:20,429:10` (20 % 503, 10 % 429, else 200); `delay=250ms` or `delay=10ms:50,1s:5`
 * (capped at 1.5 s, fortio's default `-max-echo-delay`); `size=1024` or `size=512:20,16384:10`
 * (bytes of payload instead of echoing the body, capped at 256 KiB); `close=true` or `close=25`
 * (per cent chance of closing the connection). Malformed values behave as in fortio: a bad status
 * gives 400, a bad delay or size is ignored.
 */
import { parseGoDuration } from '../../lib/duration.ts';

export const MAX_ECHO_DELAY_MS = 1500;
export const MAX_PAYLOAD_SIZE = 256 * 1024;

/** A roll in [0, 100). */
export type Roll = () => number;

export const DEFAULT_ROLL: Roll = () => 100 * Math.random();

/** Parses `v1:p1,v2:p2` and picks one value by `roll`, or undefined (the remaining probability). */
function pickWeighted<T>(text: string, parse: (s: string) => T | undefined, roll: Roll): { ok: boolean; value?: T } {
  let cumulative = 0;
  const entries: [number, T][] = [];
  for (const entry of text.split(',')) {
    const parts = entry.split(':');
    if (parts.length !== 2) return { ok: false };
    const value = parse(parts[0]);
    const pct = Number(parts[1].endsWith('%') ? parts[1].slice(0, -1) : parts[1]);
    if (value === undefined || parts[1] === '' || !Number.isFinite(pct) || pct < 0 || pct > 100) return { ok: false };
    cumulative = Math.round((cumulative + pct) * 1e4) / 1e4;
    if (cumulative > 100) return { ok: false };
    entries.push([cumulative, value]);
  }
  const r = roll();
  for (const [limit, value] of entries) if (r <= limit) return { ok: true, value };
  return { ok: true };
}

const parseInteger = (s: string): number | undefined => (/^[+-]?\d+$/.test(s) ? Number(s) : undefined);
const parseDelay = (s: string): number | undefined => {
  const d = parseGoDuration(s);
  return d.ok ? Math.min(d.value, MAX_ECHO_DELAY_MS) : undefined;
};

export function echoStatus(text: string, roll: Roll = DEFAULT_ROLL): number {
  if (!text.includes(',') && !text.includes(':')) return parseInteger(text) ?? 400;
  const r = pickWeighted(text, parseInteger, roll);
  return !r.ok ? 400 : (r.value ?? 200);
}

/** Milliseconds to wait; 0 for none. */
export function echoDelay(text: string, roll: Roll = DEFAULT_ROLL): number {
  if (text === '') return 0;
  if (!text.includes(',') && !text.includes(':')) return Math.max(parseDelay(text) ?? 0, 0);
  const r = pickWeighted(text, parseDelay, roll);
  return Math.max(r.value ?? 0, 0);
}

function clampSize(n: number): number {
  return Math.max(0, Math.min(n, MAX_PAYLOAD_SIZE));
}

/** Payload bytes to send instead of the echo, or -1 to echo the request body. */
export function echoSize(text: string, roll: Roll = DEFAULT_ROLL): number {
  if (text === '') return -1;
  if (!text.includes(',') && !text.includes(':')) {
    const n = parseInteger(text);
    return n === undefined ? -1 : clampSize(n);
  }
  const r = pickWeighted(text, parseInteger, roll);
  return r.value === undefined ? -1 : clampSize(r.value);
}

/** `close=` and `gzip=`: absent or `false` → no; `true` or not a number → yes; a number → that per cent chance. */
export function echoChance(text: string, roll: Roll = DEFAULT_ROLL): boolean {
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  const p = Number(text);
  if (!Number.isFinite(p)) return true;
  return roll() <= p;
}
