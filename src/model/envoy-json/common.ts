/** Small envoy.config.core.v3 / envoy.type.v3 messages shared by several resources. */
import { assertNever } from '../../lib/assert-never.ts';
import type { Address, DataSource, HeaderValueOption, Int64Range, Locality, SocketAddress } from '../common.ts';
import type { TokenBucket } from '../http-filters.ts';
import type { CidrRange } from '../listener.ts';
import { durationOf, enumName, flag, int64, list, noOtherFields, num, obj, str, type JsonObject } from './json.ts';

export function encodeSocketAddress(a: SocketAddress): JsonObject {
  const { kind: _kind, address, portValue, ipv4Compat, ...rest } = a;
  noOtherFields(rest);
  // port_value is a oneof member: printed even when 0.
  return obj({ address: str(address), port_value: portValue, ipv4_compat: flag(ipv4Compat) });
}

/** envoy.config.core.v3.Address (oneof `address`). */
export function encodeAddress(a: Address): JsonObject {
  switch (a.kind) {
    case 'socketAddress':
      return { socket_address: encodeSocketAddress(a) };
    case 'pipe': {
      const { kind: _kind, path, mode, ...rest } = a;
      noOtherFields(rest);
      return { pipe: obj({ path: str(path), mode: num(mode) }) };
    }
    default:
      return assertNever(a, 'address kind');
  }
}

export function encodeCidrRange(r: CidrRange): JsonObject {
  const { addressPrefix, prefixLen, ...rest } = r;
  noOtherFields(rest);
  // prefix_len is a UInt32Value: printed even when 0.
  return obj({ address_prefix: str(addressPrefix), prefix_len: prefixLen });
}

export function encodeHeaderValueOption(h: HeaderValueOption): JsonObject {
  const { header, appendAction, keepEmptyValue, ...rest } = h;
  noOtherFields(rest);
  const { key, value, ...headerRest } = header;
  noOtherFields(headerRest);
  return obj({
    header: obj({ key: str(key), value: str(value) }),
    append_action: enumName(appendAction, 'APPEND_IF_EXISTS_OR_ADD'),
    keep_empty_value: flag(keepEmptyValue),
  });
}

export function encodeHeaderValueOptions(options: readonly HeaderValueOption[]): readonly JsonObject[] | undefined {
  return list(options, encodeHeaderValueOption);
}

/** envoy.config.core.v3.DataSource (oneof `specifier`: printed even when empty). */
export function encodeDataSource(d: DataSource): JsonObject {
  switch (d.kind) {
    case 'filename':
      return { filename: d.filename };
    case 'inlineString':
      return { inline_string: d.inlineString };
    case 'inlineBytes':
      return { inline_bytes: d.inlineBytes };
    case 'environmentVariable':
      return { environment_variable: d.environmentVariable };
    default:
      return assertNever(d, 'data source kind');
  }
}

export function encodeDataSourceOf(d: DataSource | undefined): JsonObject | undefined {
  return d === undefined ? undefined : encodeDataSource(d);
}

/** envoy.type.v3.Int64Range: int64 bounds, as strings. */
export function encodeInt64Range(r: Int64Range): JsonObject {
  const { start, end, ...rest } = r;
  noOtherFields(rest);
  return obj({ start: start === 0 ? undefined : int64(start), end: end === 0 ? undefined : int64(end) });
}

export function encodeLocality(l: Locality): JsonObject {
  const { region, zone, subZone, ...rest } = l;
  noOtherFields(rest);
  return obj({ region: str(region), zone: str(zone), sub_zone: str(subZone) });
}

/** envoy.type.v3.TokenBucket. */
export function encodeTokenBucket(b: TokenBucket): JsonObject {
  const { maxTokens, tokensPerFill, fillIntervalMs, ...rest } = b;
  noOtherFields(rest);
  return obj({ max_tokens: num(maxTokens), tokens_per_fill: tokensPerFill, fill_interval: durationOf(fillIntervalMs) });
}
