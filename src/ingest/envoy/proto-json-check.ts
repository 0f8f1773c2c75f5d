/**
 * Checks a JSON value (parsed YAML or JSON) against a message descriptor the way protojson
 * (`fromJson`) reads it, but reports every problem where it is, with the field path as the user
 * wrote it: unknown fields (with the closest known name), a field given twice (snake_case and
 * lowerCamelCase) or two members of one oneof, wrong JSON types, numbers out of range, unknown
 * enum values, malformed durations, and `Any` payloads with an unknown or unsupported `@type`
 * (checked inside, recursively). Then it applies the protoc-gen-validate rules the descriptors
 * carry (apply-validate-rules.ts, pgv-check.ts).
 *
 * An object with an unknown field gets no "required" complaints: the unknown field is usually the
 * required one misspelt, and one mistake should be one Diagnostic.
 */
import { ScalarType, type DescEnum, type DescField, type DescMessage, type DescOneof, type Registry } from '@bufbuild/protobuf';
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import { applyValidateRules } from './apply-validate-rules.ts';
import { closestName } from './closest-name.ts';
import type { DecodeSink, FieldPath } from './decode-sink.ts';
import {
  checkTimestampJson,
  describeJson,
  isPlainObject,
  parseDurationJson,
  parseScalarJson,
  type ScalarProblem,
} from './json-scalars.ts';
import type { PgvValue } from './pgv-check.ts';
import { formatTypeList, supportedAnyTypes, typeNameOfUrl } from './typed-configs.ts';

export interface CheckContext {
  readonly registry: Registry;
  readonly sink: DecodeSink;
  /** Every message type Envoy's API defines (for "valid Envoy, not run by weft"). */
  readonly envoyTypeNames: ReadonlySet<string>;
  /** Optional payloads skipped with a warning (their Any's path), so later passes leave them out. */
  readonly skipped?: FieldPath[];
}

/** Where an Any sits (`message.field`), to say which payloads weft runs there. */
export interface AnyLocation {
  readonly message: string;
  readonly field: string;
  /** The filter is marked `is_optional`: Envoy skips it when it lacks the extension, and so does weft. */
  readonly optional?: boolean;
}

const WRAPPERS = new Set([
  'google.protobuf.DoubleValue',
  'google.protobuf.FloatValue',
  'google.protobuf.Int64Value',
  'google.protobuf.UInt64Value',
  'google.protobuf.Int32Value',
  'google.protobuf.UInt32Value',
  'google.protobuf.BoolValue',
  'google.protobuf.StringValue',
  'google.protobuf.BytesValue',
]);

/** Types whose JSON form is not an object of their fields. */
const CUSTOM_JSON = new Set([
  ...WRAPPERS,
  'google.protobuf.Any',
  'google.protobuf.Duration',
  'google.protobuf.Timestamp',
  'google.protobuf.FieldMask',
  'google.protobuf.Struct',
  'google.protobuf.Value',
  'google.protobuf.ListValue',
]);

const fieldIndexes = new WeakMap<DescMessage, Map<string, DescField>>();

/** Fields by their JSON name and their proto name (protojson accepts both). */
export function fieldIndex(desc: DescMessage): Map<string, DescField> {
  let index = fieldIndexes.get(desc);
  if (!index) {
    index = new Map();
    for (const f of desc.fields) {
      index.set(f.jsonName, f);
      index.set(f.name, f);
    }
    fieldIndexes.set(desc, index);
  }
  return index;
}

/** Checks a message value (of any type, including the well-known ones). */
export function checkMessageJson(desc: DescMessage, v: unknown, path: FieldPath, cx: CheckContext, loc?: AnyLocation): PgvValue {
  if (CUSTOM_JSON.has(desc.typeName)) return checkWellKnown(desc, v, path, cx, loc);
  if (!isPlainObject(v)) {
    cx.sink.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected an object (${desc.typeName}), got ${describeJson(v)}`);
    return { kind: 'message' };
  }
  checkFields(desc, v, path, cx, new Set());
  return { kind: 'message' };
}

/**
 * Checks the fields of `obj` as `desc` (keys in `skip`, like an Any's `@type`, excepted), then the
 * validate rules. Returns whether it found nothing wrong.
 */
export function checkFields(desc: DescMessage, obj: Readonly<Record<string, unknown>>, path: FieldPath, cx: CheckContext, skip: ReadonlySet<string>): boolean {
  const before = cx.sink.errorCount;
  const index = fieldIndex(desc);
  const keyOf = new Map<DescField, string>();
  const oneofKey = new Map<DescOneof, string>();
  const values = new Map<DescField, PgvValue>();
  const bad = new Set<DescField>();
  let unknown = false;
  for (const [key, value] of Object.entries(obj)) {
    if (skip.has(key)) continue;
    const field = index.get(key);
    if (!field) {
      unknown = true;
      reportUnknownField(desc, key, [...path, key], cx);
      continue;
    }
    const earlier = keyOf.get(field);
    if (earlier !== undefined) {
      bad.add(field);
      cx.sink.error([...path, key], DIAGNOSTIC_CODES.INVALID_VALUE, `"${key}" and "${earlier}" are the same field (${field.name}); give it once`);
      continue;
    }
    keyOf.set(field, key);
    if (value === null && !(field.fieldKind === 'message' && field.message.typeName === 'google.protobuf.Value')) continue;
    if (field.oneof) {
      const other = oneofKey.get(field.oneof);
      if (other !== undefined) {
        bad.add(field);
        cx.sink.error(
          [...path, key],
          DIAGNOSTIC_CODES.INVALID_VALUE,
          `"${key}" and "${other}" cannot both be set: they are alternatives (oneof ${field.oneof.name} of ${desc.typeName})`,
        );
        continue;
      }
      oneofKey.set(field.oneof, key);
    }
    const errors = cx.sink.errorCount;
    const optional = obj.is_optional === true || obj.isOptional === true;
    const checked = checkFieldValue(desc, field, value, [...path, key], cx, optional);
    if (cx.sink.errorCount > errors) bad.add(field);
    else values.set(field, checked);
  }
  if (!unknown) applyValidateRules(desc, obj, path, cx.sink, { keyOf, oneofKey, values, bad });
  return cx.sink.errorCount === before;
}

function reportUnknownField(desc: DescMessage, key: string, path: FieldPath, cx: CheckContext): void {
  if (key === '@type') {
    cx.sink.error(path, DIAGNOSTIC_CODES.UNKNOWN_FIELD, `"@type" is not allowed here: ${desc.typeName} is not an Any`, 'only typed_config (and other Any fields) take "@type"');
    return;
  }
  const camel = /[A-Z]/.test(key) && !key.includes('_');
  const names = desc.fields.map((f) => f.name);
  const near = closestName(key, names);
  const shown = (name: string): string => {
    const f = desc.fields.find((x) => x.name === name);
    return camel && f ? f.jsonName : name;
  };
  let hint: string | undefined;
  if (near !== undefined) hint = `did you mean "${shown(near)}"?`;
  else if (names.length <= 12) hint = `${desc.typeName} has these fields: ${names.map(shown).join(', ')}`;
  cx.sink.error(path, DIAGNOSTIC_CODES.UNKNOWN_FIELD, `unknown field "${key}" in ${desc.typeName}`, hint);
}

function checkFieldValue(parent: DescMessage, field: DescField, v: unknown, path: FieldPath, cx: CheckContext, optional: boolean): PgvValue {
  const loc: AnyLocation = { message: parent.typeName, field: field.name, optional };
  switch (field.fieldKind) {
    case 'list': {
      if (!Array.isArray(v)) {
        cx.sink.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected a list, got ${describeJson(v)}`, `write "${String(path[path.length - 1])}" as a YAML list (- item)`);
        return { kind: 'absent' };
      }
      const items = v.map((item, i): PgvValue => {
        if (item === null) {
          cx.sink.error([...path, i], DIAGNOSTIC_CODES.WRONG_TYPE, 'list items cannot be null');
          return { kind: 'absent' };
        }
        if (field.listKind === 'message') return checkMessageJson(field.message, item, [...path, i], cx, loc);
        if (field.listKind === 'enum') return checkEnum(field.enum, item, [...path, i], cx);
        return checkScalar(() => parseScalarJson(field.scalar, item), [...path, i], cx);
      });
      return { kind: 'list', items };
    }
    case 'map': {
      if (!isPlainObject(v)) {
        cx.sink.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected an object (a map), got ${describeJson(v)}`);
        return { kind: 'absent' };
      }
      const entries: [string, PgvValue][] = [];
      for (const [key, value] of Object.entries(v)) {
        const p = [...path, key];
        const keyCheck = parseScalarJson(field.mapKey, field.mapKey === ScalarType.BOOL ? (key === 'true' ? true : key === 'false' ? false : key) : key);
        if (!keyCheck.ok) {
          cx.sink.error(p, DIAGNOSTIC_CODES.INVALID_VALUE, `map key "${key}" is not valid: ${keyCheck.error.message}`);
          continue;
        }
        if (value === null) {
          cx.sink.error(p, DIAGNOSTIC_CODES.WRONG_TYPE, 'map values cannot be null');
          continue;
        }
        if (field.mapKind === 'message') entries.push([key, checkMessageJson(field.message, value, p, cx, loc)]);
        else if (field.mapKind === 'enum') entries.push([key, checkEnum(field.enum, value, p, cx)]);
        else entries.push([key, checkScalar(() => parseScalarJson(field.scalar, value), p, cx)]);
      }
      return { kind: 'map', entries };
    }
    case 'message':
      return checkMessageJson(field.message, v, path, cx, loc);
    case 'enum':
      return checkEnum(field.enum, v, path, cx);
    case 'scalar':
      return checkScalar(() => parseScalarJson(field.scalar, v), path, cx);
  }
}

function checkScalar(parse: () => ReturnType<typeof parseScalarJson>, path: FieldPath, cx: CheckContext): PgvValue {
  const r = parse();
  if (r.ok) return { kind: 'scalar', value: r.value };
  reportScalar(r.error, path, cx);
  return { kind: 'absent' };
}

function reportScalar(problem: ScalarProblem, path: FieldPath, cx: CheckContext, hint?: string): void {
  cx.sink.error(path, problem.kind === 'type' ? DIAGNOSTIC_CODES.WRONG_TYPE : DIAGNOSTIC_CODES.INVALID_VALUE, problem.message, hint);
}

function checkEnum(e: DescEnum, v: unknown, path: FieldPath, cx: CheckContext): PgvValue {
  const names = e.values.map((x) => x.name);
  if (typeof v === 'string') {
    const value = e.values.find((x) => x.name === v);
    if (value) return { kind: 'enum', value: value.number, enumDesc: e };
    const near = closestName(v, names);
    cx.sink.error(
      path,
      DIAGNOSTIC_CODES.INVALID_VALUE,
      `unknown value "${v}" for ${e.typeName}`,
      `${near ? `did you mean "${near}"? ` : ''}allowed values: ${names.join(', ')}`,
    );
    return { kind: 'absent' };
  }
  if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) {
    return { kind: 'enum', value: v, enumDesc: e };
  }
  cx.sink.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected one of ${names.join(', ')} (${e.typeName}), got ${describeJson(v)}`);
  return { kind: 'absent' };
}

function checkWellKnown(desc: DescMessage, v: unknown, path: FieldPath, cx: CheckContext, loc: AnyLocation | undefined): PgvValue {
  const typeName = desc.typeName;
  if (WRAPPERS.has(typeName)) {
    const inner = desc.fields[0];
    if (inner.fieldKind !== 'scalar') return { kind: 'message' };
    const r = parseScalarJson(inner.scalar, v);
    if (r.ok) return { kind: 'message', wrapped: r.value };
    reportScalar(r.error, path, cx);
    return { kind: 'absent' };
  }
  switch (typeName) {
    case 'google.protobuf.Duration': {
      const r = parseDurationJson(v);
      if (r.ok) return { kind: 'message', durationMs: r.value };
      reportScalar(r.error, path, cx);
      return { kind: 'absent' };
    }
    case 'google.protobuf.Timestamp': {
      const r = checkTimestampJson(v);
      if (!r.ok) reportScalar(r.error, path, cx);
      return { kind: 'message' };
    }
    case 'google.protobuf.FieldMask':
      if (typeof v !== 'string') cx.sink.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected a field mask string, got ${describeJson(v)}`);
      return { kind: 'message' };
    case 'google.protobuf.Struct':
      if (!isPlainObject(v)) cx.sink.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected an object, got ${describeJson(v)}`);
      return { kind: 'message' };
    case 'google.protobuf.ListValue':
      if (!Array.isArray(v)) cx.sink.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected a list, got ${describeJson(v)}`);
      return { kind: 'message' };
    case 'google.protobuf.Value':
      return { kind: 'message' };
    case 'google.protobuf.Any':
      return checkAny(v, path, cx, loc);
    default:
      return { kind: 'message' };
  }
}

function checkAny(v: unknown, path: FieldPath, cx: CheckContext, loc: AnyLocation | undefined): PgvValue {
  const supported = loc ? supportedAnyTypes(loc.message, loc.field) : [];
  const runs = supported.length > 0 ? `weft runs these here: ${formatTypeList(supported)}` : undefined;
  if (!isPlainObject(v)) {
    cx.sink.error(path, DIAGNOSTIC_CODES.WRONG_TYPE, `expected an object with "@type" (an Any), got ${describeJson(v)}`, runs);
    return { kind: 'absent' };
  }
  if (Object.keys(v).length === 0) return { kind: 'message', typeUrl: '' };
  const url = v['@type'];
  const typePath = [...path, '@type'];
  if (url === undefined) {
    cx.sink.error(path, DIAGNOSTIC_CODES.REQUIRED, 'missing "@type": an Any must name the type of its payload', runs);
    return { kind: 'absent' };
  }
  if (typeof url !== 'string') {
    cx.sink.error(typePath, DIAGNOSTIC_CODES.WRONG_TYPE, `expected a type URL string, got ${describeJson(url)}`, runs);
    return { kind: 'absent' };
  }
  const errors = cx.sink.errorCount;
  const desc = resolveAnyType(url, typePath, cx, supported, loc?.optional === true);
  if (!desc) {
    if (cx.sink.errorCount === errors) cx.skipped?.push(path);
    return { kind: 'absent' };
  }
  if (CUSTOM_JSON.has(desc.typeName)) {
    for (const key of Object.keys(v)) {
      if (key !== '@type' && key !== 'value') cx.sink.error([...path, key], DIAGNOSTIC_CODES.UNKNOWN_FIELD, `unknown field "${key}": an Any of ${desc.typeName} holds only "value"`);
    }
    if ('value' in v) checkMessageJson(desc, v.value, [...path, 'value'], cx);
  } else {
    checkFields(desc, v, path, cx, new Set(['@type']));
  }
  return { kind: 'message', typeUrl: url };
}

/**
 * The descriptor an `@type` names, or a Diagnostic: not a type URL, a valid Envoy type weft has no
 * decoder for (WEFT_UNSUPPORTED), or an unknown type (with the nearest name weft runs there).
 */
export function resolveAnyType(url: string, path: FieldPath, cx: CheckContext, supported: readonly string[], optional = false): DescMessage | undefined {
  const runs = supported.length > 0 ? `weft runs these here: ${formatTypeList(supported)}` : undefined;
  if (!url.includes('/')) {
    cx.sink.error(path, DIAGNOSTIC_CODES.INVALID_VALUE, `"${url}" is not a type URL`, `write type.googleapis.com/<message type>${runs ? `; ${runs}` : ''}`);
    return undefined;
  }
  const name = typeNameOfUrl(url);
  const desc = cx.registry.getMessage(name);
  if (desc) return desc;
  if (cx.envoyTypeNames.has(name)) {
    if (optional) cx.sink.warning(path, DIAGNOSTIC_CODES.UNSUPPORTED, `optional ${name} is skipped: weft does not run it`, runs);
    else cx.sink.error(path, DIAGNOSTIC_CODES.UNSUPPORTED, `${name} is a valid Envoy type, but weft does not run it`, runs);
    return undefined;
  }
  const near = closestName(name, supported) ?? closestName(name, cx.envoyTypeNames);
  const hint = [near ? `did you mean "type.googleapis.com/${near}"?` : undefined, runs].filter((s) => s !== undefined).join(' ');
  cx.sink.error(path, DIAGNOSTIC_CODES.INVALID_VALUE, `unknown @type "${url}": no such Envoy message type`, hint === '' ? undefined : hint);
  return undefined;
}
