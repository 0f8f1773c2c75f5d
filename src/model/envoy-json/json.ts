/**
 * The protojson rules every encoder here follows, in one place (the form Envoy's admin
 * `/config_dump` prints and xDS JSON takes):
 * - field names are the proto field names (snake_case);
 * - a plain scalar field at its zero value (`0`, `false`, `""`, an enum's first value) and an
 *   empty repeated field are left out; a message field, a wrapper (UInt32Value, BoolValue, ...) and
 *   a oneof member are printed whenever they are set, even at their zero value;
 * - 64-bit integers are decimal strings; Duration is `"<seconds>s"` with 0, 3, 6 or 9 fraction digits;
 * - an `Any` is the payload's own JSON with `"@type": "type.googleapis.com/<full name>"` first.
 */
import type { Fraction } from '../common.ts';

export type Json = string | number | boolean | null | readonly Json[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: Json;
}

/** The object of the given entries, leaving out those whose value is `undefined`. */
export function obj(entries: { readonly [key: string]: Json | undefined }): JsonObject {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Compile-time completeness check: an encoder destructures every field of its model type and
 * passes the rest here. A field added to the model later makes `rest` non-empty, and the call
 * stops compiling until the encoder handles the field. (No runtime effect.)
 */
export function noOtherFields(rest: { readonly [key: string]: never }): void {
  void rest;
}

/** A plain proto3 string: left out when empty. */
export function str(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** A plain proto3 bool: left out when false. */
export function flag(v: boolean | undefined): true | undefined {
  return v === true ? true : undefined;
}

/** A plain proto3 32-bit number: left out when 0. */
export function num(v: number | undefined): number | undefined {
  return v === undefined || v === 0 ? undefined : v;
}

/** A 64-bit integer (int64, uint64, or their wrappers): a decimal string. */
export function int64(v: number): string {
  return BigInt(Math.trunc(v)).toString();
}

/** A plain enum field: left out when it is the enum's zero value. */
export function enumName<T extends string>(v: T | undefined, zero: T): T | undefined {
  return v === undefined || v === zero ? undefined : v;
}

/** A repeated field: left out when empty. */
export function list<T, R extends Json>(items: readonly T[], encode: (item: T) => R): readonly R[] | undefined {
  return items.length === 0 ? undefined : items.map(encode);
}

/** A repeated string field: left out when empty. */
export function strings(items: readonly string[]): readonly string[] | undefined {
  return items.length === 0 ? undefined : items;
}

/** google.protobuf.Duration from milliseconds: `"5s"`, `"0.250s"`, `"0.000100s"`. */
export function duration(ms: number): string {
  const totalNanos = BigInt(Math.round(ms * 1_000_000));
  const sign = totalNanos < 0n ? '-' : '';
  const abs = totalNanos < 0n ? -totalNanos : totalNanos;
  const seconds = abs / 1_000_000_000n;
  const nanos = Number(abs % 1_000_000_000n);
  if (nanos === 0) return `${sign}${seconds}s`;
  const digits = nanos % 1_000_000 === 0 ? 3 : nanos % 1_000 === 0 ? 6 : 9;
  const fraction = String(nanos).padStart(9, '0').slice(0, digits);
  return `${sign}${seconds}.${fraction}s`;
}

/** An optional Duration field. */
export function durationOf(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : duration(ms);
}

const DENOMINATORS = [
  ['HUNDRED', 100],
  ['TEN_THOUSAND', 10_000],
  ['MILLION', 1_000_000],
] as const;

/**
 * envoy.type.v3.FractionalPercent for a fraction in [0, 1]: the smallest denominator that holds it
 * exactly (HUNDRED, Envoy's default and so left out, then TEN_THOUSAND, then MILLION, rounded).
 */
export function fractionalPercent(f: Fraction): JsonObject {
  for (const [name, d] of DENOMINATORS) {
    const numerator = Math.round(f * d);
    if (numerator / d === f || name === 'MILLION') {
      return obj({ numerator: num(numerator), denominator: enumName(name, 'HUNDRED') });
    }
  }
  return {};
}

/** envoy.config.core.v3.RuntimeFractionalPercent: weft has no runtime layer, so no runtime_key. */
export function runtimeFractionalPercent(f: Fraction): JsonObject {
  return { default_value: fractionalPercent(f) };
}

/**
 * A percentage (0–100) for a fraction: the shortest of `f × 100` and its 15-digit rounding that
 * divides back to `f` (so 0.07 prints 7, not 7.000000000000001), else `f × 100`.
 */
export function percentValue(f: Fraction): number {
  const direct = f * 100;
  const rounded = Number(direct.toPrecision(15));
  return rounded / 100 === f ? rounded : direct;
}

/** envoy.type.v3.Percent (0–100) for a fraction. */
export function percent(f: Fraction | undefined): JsonObject | undefined {
  return f === undefined ? undefined : obj({ value: percentValue(f) || undefined });
}

/** A UInt32Value holding a percentage (0–100) for a fraction (outlier detection's enforcing_*). */
export function uint32Percent(f: Fraction | undefined): number | undefined {
  return f === undefined ? undefined : Math.round(f * 100);
}

/**
 * Envoy's runtime-backed values (RuntimeFeatureFlag, RuntimeUInt32, RuntimeDouble) require a
 * `runtime_key`. weft has no runtime layer, so the key is never set and Envoy, like weft, uses the
 * default value; the key names where the value belongs, under this prefix.
 */
export const RUNTIME_KEY_PREFIX = 'weft.';

export function runtimeValue(defaultValue: Json, key: string): JsonObject {
  return { default_value: defaultValue, runtime_key: `${RUNTIME_KEY_PREFIX}${key}` };
}

/**
 * A `cluster` / `weighted_clusters` oneof (RouteAction's and TcpProxy's share the shape; only the
 * weight entries differ).
 */
export function encodeClusterOrWeighted<W>(
  c: { readonly kind: 'cluster'; readonly cluster: string } | { readonly kind: 'weightedClusters'; readonly weightedClusters: { readonly clusters: readonly W[] } },
  encodeWeight: (w: W) => JsonObject,
): JsonObject {
  if (c.kind === 'cluster') return { cluster: c.cluster };
  const { clusters, ...rest } = c.weightedClusters;
  noOtherFields(rest);
  return { weighted_clusters: obj({ clusters: list(clusters, encodeWeight) }) };
}
