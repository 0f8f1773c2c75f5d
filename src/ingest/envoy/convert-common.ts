/**
 * Converters for the small envoy.config.core.v3 / envoy.type.v3 messages many resources share:
 * addresses, CIDR ranges, header values, data sources, percentages, token buckets.
 */
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import type {
  Address,
  DataSource,
  Fraction,
  HeaderAppendAction,
  CidrRange,
  HeaderValueOption,
  Int64Range,
  Locality,
  SocketAddress,
  TokenBucket,
} from '../../model/index.ts';
import type { ProtoObject } from './proto-object.ts';

/** Drops keys whose value is `undefined`, so model objects hold only what was given. */
export function compact<T extends object>(o: T): T {
  const r = o as Record<string, unknown>;
  for (const k of Object.keys(r)) if (r[k] === undefined) delete r[k];
  return o;
}

/**
 * `unsupported` for an enum value the model does not hold: reports it with the supported values
 * and returns undefined; otherwise returns the value narrowed to the model's union.
 */
export function enumIn<T extends string>(o: ProtoObject, field: string, allowed: readonly T[], what: string): T | undefined {
  const v = o.enum(field);
  if (v === undefined) return undefined;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  o.error(field, DIAGNOSTIC_CODES.UNSUPPORTED, `${what} ${v} is valid Envoy, but weft does not run it`, `weft runs: ${allowed.join(', ')}`);
  return undefined;
}

/** envoy.config.core.v3.SocketAddress (TCP; a named port or a custom resolver is not supported). */
export function convertSocketAddress(o: ProtoObject): SocketAddress {
  if (o.enum('protocol') === 'UDP') o.error('protocol', DIAGNOSTIC_CODES.UNSUPPORTED, 'UDP sockets are valid Envoy, but weft runs TCP only');
  if (o.has('named_port')) o.unsupported('named_port', 'named_port is valid Envoy, but weft needs port_value');
  return compact({
    kind: 'socketAddress' as const,
    address: o.str('address') ?? '',
    portValue: o.num('port_value') ?? 0,
    ipv4Compat: o.bool('ipv4_compat'),
  });
}

/** envoy.config.core.v3.Address: a socket address or a pipe (internal addresses are not supported). */
export function convertAddress(o: ProtoObject): Address | undefined {
  const socket = o.msg('socket_address');
  if (socket) return convertSocketAddress(socket);
  const pipe = o.msg('pipe');
  if (pipe) return compact({ kind: 'pipe' as const, path: pipe.str('path') ?? '', mode: pipe.num('mode') || undefined });
  return undefined;
}

export function convertCidrRange(o: ProtoObject): CidrRange {
  return { addressPrefix: o.str('address_prefix') ?? '', prefixLen: o.num('prefix_len') ?? 0 };
}

export function convertHeaderValueOption(o: ProtoObject): HeaderValueOption {
  const h = o.msg('header');
  let value = h?.str('value') ?? '';
  // raw_value (bytes) is used by Envoy when value is empty; weft's headers are text.
  const raw = h?.str('raw_value');
  if (raw !== undefined && value === '') value = Buffer.from(raw, 'base64').toString('utf8');
  const header = { key: h?.str('key') ?? '', value };
  const append = o.bool('append');
  let appendAction = o.enum('append_action') as HeaderAppendAction | undefined;
  if (append !== undefined) {
    if (o.has('append_action')) {
      o.error('append', DIAGNOSTIC_CODES.INVALID_VALUE, '"append" and "append_action" cannot both be set', 'use append_action; append is deprecated');
    }
    appendAction = append ? 'APPEND_IF_EXISTS_OR_ADD' : 'OVERWRITE_IF_EXISTS_OR_ADD';
  }
  return compact({ header, appendAction, keepEmptyValue: o.bool('keep_empty_value') });
}

export function convertHeaderValueOptions(list: readonly ProtoObject[]): HeaderValueOption[] {
  return list.map(convertHeaderValueOption);
}

/** envoy.config.core.v3.DataSource (a watched directory is not supported). */
export function convertDataSource(o: ProtoObject): DataSource | undefined {
  switch (o.oneof('specifier')) {
    case 'filename':
      return { kind: 'filename', filename: o.str('filename') ?? '' };
    case 'inline_string':
      return { kind: 'inlineString', inlineString: o.str('inline_string') ?? '' };
    case 'inline_bytes':
      return { kind: 'inlineBytes', inlineBytes: o.str('inline_bytes') ?? '' };
    case 'environment_variable':
      return { kind: 'environmentVariable', environmentVariable: o.str('environment_variable') ?? '' };
    default:
      return undefined;
  }
}

const DENOMINATORS: Readonly<Record<string, number>> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

/** envoy.type.v3.FractionalPercent → a fraction in [0, 1] (Envoy caps it at 100%). */
export function convertFractionalPercent(o: ProtoObject): Fraction {
  const numerator = o.num('numerator') ?? 0;
  const denominator = DENOMINATORS[o.enum('denominator') ?? 'HUNDRED'] ?? 100;
  return Math.min(1, numerator / denominator);
}

/**
 * envoy.config.core.v3.RuntimeFractionalPercent → its default value. weft has no runtime layer,
 * so `runtime_key` is ignored: the default is what Envoy uses when the key is not set, which it
 * never is in weft.
 */
export function convertRuntimeFractionalPercent(o: ProtoObject): Fraction {
  o.ignore('runtime_key');
  const d = o.msg('default_value');
  return d ? convertFractionalPercent(d) : 0;
}

/** envoy.type.v3.Percent (0–100) → a fraction. */
export function convertPercent(o: ProtoObject | undefined): Fraction | undefined {
  if (!o) return undefined;
  return (o.num('value') ?? 0) / 100;
}

/** A runtime double/uint/flag: its default value (runtime keys are ignored, as above). */
export function runtimeDefault(o: ProtoObject | undefined): number | boolean | undefined {
  if (!o) return undefined;
  o.ignore('runtime_key');
  const f = o.desc.fields.find((x) => x.name === 'default_value');
  if (f?.fieldKind === 'message') return o.bool('default_value');
  return o.num('default_value');
}

export function convertTokenBucket(o: ProtoObject): TokenBucket {
  return compact({
    maxTokens: o.num('max_tokens') ?? 0,
    tokensPerFill: o.num('tokens_per_fill'),
    fillIntervalMs: o.durationMs('fill_interval') ?? 0,
  });
}

export function convertInt64Range(o: ProtoObject): Int64Range {
  return { start: o.num('start') ?? 0, end: o.num('end') ?? 0 };
}

export function convertLocality(o: ProtoObject): Locality {
  return compact({ region: o.str('region') || undefined, zone: o.str('zone') || undefined, subZone: o.str('sub_zone') || undefined });
}
