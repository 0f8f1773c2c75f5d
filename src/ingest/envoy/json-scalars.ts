/**
 * proto3 JSON (protojson) scalar forms, as `fromJson` accepts them: integers as numbers or decimal
 * strings (64-bit ones usually strings), floats also as "NaN"/"Infinity", bytes as base64,
 * `Duration` as `"1.5s"`. Each parser returns the value or says what was expected.
 */
import { ScalarType } from '@bufbuild/protobuf';
import { err, ok, type Result } from '../../lib/result.ts';

export type ScalarValue = number | bigint | string | boolean;

/** Why a JSON value is not the scalar: the wrong JSON type, or a number out of range. */
export interface ScalarProblem {
  readonly kind: 'type' | 'range';
  readonly message: string;
}

const typeProblem = (message: string): Result<never, ScalarProblem> => err({ kind: 'type', message });
const rangeProblem = (message: string): Result<never, ScalarProblem> => err({ kind: 'range', message });

const INT_STRING = /^-?[0-9]+$/;
const FLOAT_STRING = /^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** How a JSON value is described in a message: `string "abc"`, `a list`, `number 1.5`. */
export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function scalarTypeName(t: ScalarType): string {
  switch (t) {
    case ScalarType.DOUBLE: return 'double';
    case ScalarType.FLOAT: return 'float';
    case ScalarType.INT64: return 'int64';
    case ScalarType.UINT64: return 'uint64';
    case ScalarType.INT32: return 'int32';
    case ScalarType.FIXED64: return 'fixed64';
    case ScalarType.FIXED32: return 'fixed32';
    case ScalarType.BOOL: return 'bool';
    case ScalarType.STRING: return 'string';
    case ScalarType.BYTES: return 'bytes';
    case ScalarType.UINT32: return 'uint32';
    case ScalarType.SFIXED32: return 'sfixed32';
    case ScalarType.SFIXED64: return 'sfixed64';
    case ScalarType.SINT32: return 'sint32';
    case ScalarType.SINT64: return 'sint64';
  }
}

/** What a scalar's JSON must be, for messages: "an unsigned integer (uint32)". */
export function expectedScalar(t: ScalarType): string {
  switch (t) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return `a number (${scalarTypeName(t)})`;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return `an unsigned integer (${scalarTypeName(t)})`;
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return `an integer (${scalarTypeName(t)})`;
    case ScalarType.BOOL:
      return 'true or false';
    case ScalarType.STRING:
      return 'a string';
    case ScalarType.BYTES:
      return 'a base64 string (bytes)';
  }
}

const LIMITS_32: Partial<Record<ScalarType, readonly [number, number]>> = {
  [ScalarType.INT32]: [-2147483648, 2147483647],
  [ScalarType.SINT32]: [-2147483648, 2147483647],
  [ScalarType.SFIXED32]: [-2147483648, 2147483647],
  [ScalarType.UINT32]: [0, 4294967295],
  [ScalarType.FIXED32]: [0, 4294967295],
};

const LIMITS_64: Partial<Record<ScalarType, readonly [bigint, bigint]>> = {
  [ScalarType.INT64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [ScalarType.SINT64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [ScalarType.SFIXED64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [ScalarType.UINT64]: [0n, 2n ** 64n - 1n],
  [ScalarType.FIXED64]: [0n, 2n ** 64n - 1n],
};

/**
 * Parses a scalar's JSON. 32-bit integers and floats come back as numbers, 64-bit integers as
 * bigints, bytes as their base64 text. The error is the complaint without the field name.
 */
export function parseScalarJson(t: ScalarType, v: unknown): Result<ScalarValue, ScalarProblem> {
  const wrong = (): Result<never, ScalarProblem> => typeProblem(`expected ${expectedScalar(t)}, got ${describeJson(v)}`);
  switch (t) {
    case ScalarType.BOOL:
      return typeof v === 'boolean' ? ok(v) : wrong();
    case ScalarType.STRING:
      return typeof v === 'string' ? ok(v) : wrong();
    case ScalarType.BYTES:
      return typeof v === 'string' && BASE64.test(v) ? ok(v) : wrong();
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: {
      let n: number;
      if (typeof v === 'number') n = v;
      else if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return ok(Number(v));
      else if (typeof v === 'string' && FLOAT_STRING.test(v.trim())) n = Number(v);
      else return wrong();
      if (t === ScalarType.FLOAT && Number.isFinite(n) && Math.abs(n) > 3.4028234663852886e38) {
        return rangeProblem(`${n} is out of range for a float`);
      }
      return ok(n);
    }
    default: {
      const l32 = LIMITS_32[t];
      if (l32) {
        let n: number;
        if (typeof v === 'number') n = v;
        else if (typeof v === 'string' && FLOAT_STRING.test(v)) n = Number(v);
        else return wrong();
        if (!Number.isInteger(n)) return typeProblem(`expected ${expectedScalar(t)}, got ${describeJson(v)} (not a whole number)`);
        if (n < l32[0] || n > l32[1]) return rangeProblem(`${n} is out of range for ${scalarTypeName(t)} (${l32[0]} to ${l32[1]})`);
        return ok(n);
      }
      const l64 = LIMITS_64[t];
      if (!l64) return wrong();
      let b: bigint;
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) return typeProblem(`expected ${expectedScalar(t)}, got ${describeJson(v)} (not a whole number)`);
        b = BigInt(v);
      } else if (typeof v === 'string' && INT_STRING.test(v)) b = BigInt(v);
      else return wrong();
      if (b < l64[0] || b > l64[1]) return rangeProblem(`${b} is out of range for ${scalarTypeName(t)}`);
      return ok(b);
    }
  }
}

const DURATION = /^(-)?([0-9]+)(?:\.([0-9]{1,9}))?s$/;
const DURATION_MAX_SECONDS = 315_576_000_000;

/** A protojson Duration (`"5s"`, `"0.250s"`) as milliseconds (fractions kept). */
export function parseDurationJson(v: unknown): Result<number, ScalarProblem> {
  if (typeof v !== 'string') {
    return typeProblem(`expected a duration string such as "5s" or "0.25s", got ${describeJson(v)}`);
  }
  const m = DURATION.exec(v);
  if (!m) return typeProblem(`"${v}" is not a duration: write seconds with an "s" suffix, such as "5s" or "0.25s"`);
  const seconds = Number(m[2]);
  if (seconds > DURATION_MAX_SECONDS) return rangeProblem(`duration "${v}" is out of range (at most ${DURATION_MAX_SECONDS}s)`);
  const ms = seconds * 1000 + (m[3] ? Number(m[3].padEnd(9, '0')) / 1e6 : 0);
  return ok(m[1] ? -ms : ms);
}

const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})$/;

export function checkTimestampJson(v: unknown): Result<string, ScalarProblem> {
  if (typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v))) return ok(v);
  return typeProblem(`expected an RFC 3339 timestamp such as "2024-01-31T12:00:00Z", got ${describeJson(v)}`);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
