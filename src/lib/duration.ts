/**
 * Durations as milliseconds (fractions allowed, e.g. 0.5 for 500 µs), parsed from the three text
 * forms weft meets and formatted back:
 * - protobuf JSON (Envoy YAML/JSON, xDS): `"5s"`, `"0.250s"`, `"-1.5s"`; also the `{seconds, nanos}`
 *   object form some YAML uses.
 * - Go `time.ParseDuration` (Kubernetes, Cilium, Istio): `"1h30m"`, `"250ms"`, `"1.5s"`, `"0"`.
 * - Gateway API (GEP-2257): `^([0-9]{1,5}(h|m|s|ms)){1,4}$`, read as Go does.
 */
import { err, ok, type Result } from './result.ts';

/** protobuf's Duration range: ±315,576,000,000 s (10,000 years). */
const PROTO_MAX_SECONDS = 315_576_000_000;

const PROTO_RE = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;

/** Parses a protobuf-JSON Duration string (`"5s"`, `"0.001s"`). */
export function parseProtoDuration(text: string): Result<number, string> {
  const m = PROTO_RE.exec(text);
  if (!m) return err(`"${text}" is not a protobuf duration (expected seconds with an "s" suffix, e.g. "5s" or "0.25s")`);
  return protoParts(m[1] === '-', Number(m[2]), m[3] ?? '', text);
}

function protoParts(negative: boolean, seconds: number, fraction: string, text: string): Result<number, string> {
  if (seconds > PROTO_MAX_SECONDS) return err(`duration "${text}" is out of range (max ${PROTO_MAX_SECONDS}s)`);
  const nanos = fraction === '' ? 0 : Number(fraction.padEnd(9, '0'));
  const ms = seconds * 1000 + nanos / 1e6;
  return ok(negative ? -ms : ms);
}

/**
 * Reads a protobuf Duration from decoded YAML/JSON: a protojson string, or an object
 * `{seconds?, nanos?}` (numbers, or strings for int64 as protojson allows).
 */
export function durationFromProto(value: unknown): Result<number, string> {
  if (typeof value === 'string') return parseProtoDuration(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const extra = Object.keys(o).filter((k) => k !== 'seconds' && k !== 'nanos');
    if (extra.length > 0) return err(`unknown duration field "${extra[0]}" (expected seconds, nanos)`);
    const seconds = intField(o.seconds);
    const nanos = intField(o.nanos);
    if (seconds === undefined || nanos === undefined) return err('duration seconds and nanos must be integers');
    if (Math.abs(seconds) > PROTO_MAX_SECONDS) return err(`duration is out of range (max ${PROTO_MAX_SECONDS}s)`);
    if (Math.abs(nanos) > 999_999_999) return err('duration nanos must be within ±999999999');
    if ((seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) return err('duration seconds and nanos must have the same sign');
    return ok(seconds * 1000 + nanos / 1e6);
  }
  return err('expected a duration string such as "5s"');
}

function intField(v: unknown): number | undefined {
  if (v === undefined) return 0;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** Formats milliseconds as protobuf JSON: 0, 3, 6 or 9 fractional digits, as protojson does. */
export function formatProtoDuration(ms: number): string {
  const negative = ms < 0;
  const totalNanos = Math.round(Math.abs(ms) * 1e6);
  const seconds = Math.floor(totalNanos / 1e9);
  const nanos = totalNanos - seconds * 1e9;
  let frac = '';
  if (nanos !== 0) {
    const nine = String(nanos).padStart(9, '0');
    frac = nanos % 1e6 === 0 ? nine.slice(0, 3) : nanos % 1e3 === 0 ? nine.slice(0, 6) : nine;
    frac = `.${frac}`;
  }
  return `${negative ? '-' : ''}${seconds}${frac}s`;
}

const GO_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const GO_PART_RE = /(\d*)(?:\.(\d*))?([a-zµμ]+)/y;

/** Parses a Go `time.ParseDuration` string. */
export function parseGoDuration(text: string): Result<number, string> {
  const bad = err(`"${text}" is not a duration (expected e.g. "300ms", "1.5s", "2h45m")`);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return ok(0);
  if (s === '') return bad;
  let total = 0;
  GO_PART_RE.lastIndex = 0;
  while (GO_PART_RE.lastIndex < s.length) {
    const m = GO_PART_RE.exec(s);
    if (!m) return bad;
    const [, whole, frac, unit] = m;
    if (whole === '' && (frac === undefined || frac === '')) return bad;
    const scale = GO_UNITS[unit];
    if (scale === undefined) return err(`unknown unit "${unit}" in duration "${text}"`);
    total += Number(`${whole || '0'}.${frac || '0'}`) * scale;
  }
  if (total / 1000 > 9_223_372_036.854775807) return err(`duration "${text}" is out of range`);
  return ok(sign * total);
}

const GATEWAY_RE = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/** Parses a Gateway API duration (GEP-2257). */
export function parseGatewayDuration(text: string): Result<number, string> {
  if (!GATEWAY_RE.test(text)) {
    return err(`"${text}" is not a Gateway API duration (GEP-2257: 1–4 parts of up to 5 digits with h, m, s or ms, e.g. "10s", "1h30m")`);
  }
  return parseGoDuration(text);
}

/**
 * Formats milliseconds the way Go's `Duration.String()` does: `1h2m3.5s`, `250ms`, `1.5µs`, `0s`.
 */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const nanos = Math.round(Math.abs(ms) * 1e6);
  if (nanos < 1000) return `${sign}${nanos}ns`;
  if (nanos < 1e6) return `${sign}${trimFraction(nanos / 1e3)}µs`;
  if (nanos < 1e9) return `${sign}${trimFraction(nanos / 1e6)}ms`;
  const hours = Math.floor(nanos / 3.6e12);
  const minutes = Math.floor((nanos - hours * 3.6e12) / 6e10);
  const secNanos = nanos - hours * 3.6e12 - minutes * 6e10;
  let out = sign;
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${out}${trimFraction(secNanos / 1e9)}s`;
}

function trimFraction(n: number): string {
  return String(Number(n.toFixed(9)));
}
