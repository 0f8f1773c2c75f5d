/**
 * A reader over one checked JSON message, for the converters: typed accessors by proto field name
 * (whichever spelling the user wrote, snake_case or lowerCamelCase), normalised values (enum names,
 * numbers from int64 strings and wrappers, durations in ms), and a record of what was read.
 *
 * Every reader registers with its context; `finishAll` then reports each field the user set that
 * no converter read as WEFT_UNSUPPORTED ("valid Envoy, but weft does not run it"), naming the fields
 * weft does read there. A field left at its zero value (false, 0, "", an enum's first value, an
 * empty list or map) changes nothing and is not reported. Fields a converter deliberately drops
 * are marked with `ignore` (each converter lists them with the reason).
 */
import type { DescField, DescMessage, Registry } from '@bufbuild/protobuf';
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import type { SourceRef } from '../../model/index.ts';
import type { DecodeSink, FieldPath } from './decode-sink.ts';
import { isPlainObject, parseDurationJson, parseScalarJson } from './json-scalars.ts';
import { fieldIndex } from './proto-json-check.ts';
import { typeNameOfUrl } from './typed-configs.ts';

export interface ConvertContext {
  readonly registry: Registry;
  readonly sink: DecodeSink;
  /** The manifest object (and place in it) the resource came from: every model resource's `sources`. */
  readonly sources: readonly SourceRef[];
  readonly readers: ProtoObject[];
}

export function createConvertContext(registry: Registry, sink: DecodeSink, sources: readonly SourceRef[]): ConvertContext {
  return { registry, sink, sources, readers: [] };
}

/** Reports what no converter read (see the file comment). */
export function finishAll(cx: ConvertContext): void {
  for (const r of cx.readers) r.reportUnread();
}

/** An Any's payload: its type and a reader over the same object (`@type` already read). */
export interface AnyPayload {
  readonly url: string;
  readonly typeName: string;
  readonly path: FieldPath;
  /** Absent when the type is not in weft's descriptor set (the checker has said so). */
  readonly object?: ProtoObject;
}

type Json = Readonly<Record<string, unknown>>;

export class ProtoObject {
  readonly #used = new Set<string>();
  readonly #read = new Set<string>();
  #discarded = false;
  /** This message itself was found wrong: its unread fields are not worth reporting too. */
  #faulted = false;

  constructor(
    readonly desc: DescMessage,
    readonly json: Json,
    readonly path: FieldPath,
    readonly cx: ConvertContext,
    preUsed: readonly string[] = [],
  ) {
    for (const k of preUsed) this.#used.add(k);
    cx.readers.push(this);
  }

  get typeName(): string {
    return this.desc.typeName;
  }

  #field(name: string): DescField {
    const f = this.desc.fields.find((x) => x.name === name);
    if (!f) throw new Error(`weft bug: ${this.desc.typeName} has no field ${name}`);
    return f;
  }

  /** The key the user wrote for the field (set and not null), if any. */
  #key(name: string): string | undefined {
    const f = this.#field(name);
    if (this.json[f.name] !== undefined && this.json[f.name] !== null) return f.name;
    if (this.json[f.jsonName] !== undefined && this.json[f.jsonName] !== null) return f.jsonName;
    return undefined;
  }

  #take(name: string): { key: string; value: unknown; field: DescField } | undefined {
    const field = this.#field(name);
    this.#read.add(name);
    const key = this.#key(name);
    if (key === undefined) return undefined;
    this.#used.add(key);
    return { key, value: this.json[key], field };
  }

  /** Whether the field is set (not absent, not null). Does not count as reading it. */
  has(name: string): boolean {
    return this.#key(name) !== undefined;
  }

  /** The path of a field: the user's key when set, else the proto name. */
  pathOf(name: string): FieldPath {
    return [...this.path, this.#key(name) ?? name];
  }

  /** Which member of a oneof is set (its proto field name). Does not count as reading it. */
  oneof(oneofName: string): string | undefined {
    const oneof = this.desc.oneofs.find((o) => o.name === oneofName);
    if (!oneof) throw new Error(`weft bug: ${this.desc.typeName} has no oneof ${oneofName}`);
    return oneof.fields.find((f) => this.has(f.name))?.name;
  }

  str(name: string): string | undefined {
    const t = this.#take(name);
    return typeof t?.value === 'string' ? t.value : undefined;
  }

  bool(name: string): boolean | undefined {
    const t = this.#take(name);
    return typeof t?.value === 'boolean' ? t.value : undefined;
  }

  /** A number from any numeric scalar or wrapper (int64 strings included). */
  num(name: string): number | undefined {
    const t = this.#take(name);
    if (!t) return undefined;
    return toNumber(scalarTypeOf(t.field), t.value);
  }

  /** An enum value's name (a number the user wrote is turned into its name). */
  enum(name: string): string | undefined {
    const t = this.#take(name);
    if (!t || t.field.fieldKind !== 'enum') return undefined;
    if (typeof t.value === 'string') return t.value;
    if (typeof t.value === 'number') return t.field.enum.value[t.value]?.name ?? String(t.value);
    return undefined;
  }

  /** An enum value's number (a name the user wrote is looked up). */
  enumNumber(name: string): number | undefined {
    const t = this.#take(name);
    if (!t || t.field.fieldKind !== 'enum') return undefined;
    if (typeof t.value === 'number') return t.value;
    return t.field.enum.values.find((v) => v.name === t.value)?.number;
  }

  durationMs(name: string): number | undefined {
    const t = this.#take(name);
    if (!t) return undefined;
    const r = parseDurationJson(t.value);
    return r.ok ? r.value : undefined;
  }

  msg(name: string): ProtoObject | undefined {
    const t = this.#take(name);
    if (!t || t.field.fieldKind !== 'message' || !isPlainObject(t.value)) return undefined;
    return new ProtoObject(t.field.message, t.value, [...this.path, t.key], this.cx);
  }

  msgs(name: string): ProtoObject[] {
    const t = this.#take(name);
    if (!t || t.field.fieldKind !== 'list' || t.field.listKind !== 'message' || !Array.isArray(t.value)) return [];
    const desc = t.field.message;
    return t.value.map((item, i) => new ProtoObject(desc, isPlainObject(item) ? item : {}, [...this.path, t.key, i], this.cx));
  }

  strs(name: string): string[] {
    const t = this.#take(name);
    return Array.isArray(t?.value) ? t.value.filter((x): x is string => typeof x === 'string') : [];
  }

  nums(name: string): number[] {
    const t = this.#take(name);
    if (!t || !Array.isArray(t.value)) return [];
    const type = scalarTypeOf(t.field);
    return t.value.map((x) => toNumber(type, x)).filter((x): x is number => x !== undefined);
  }

  /** A repeated enum's names. */
  enums(name: string): string[] {
    const t = this.#take(name);
    if (!t || t.field.fieldKind !== 'list' || t.field.listKind !== 'enum' || !Array.isArray(t.value)) return [];
    const e = t.field.enum;
    return t.value.map((x) => (typeof x === 'number' ? e.value[x]?.name ?? String(x) : String(x)));
  }

  /** The raw JSON of a field (Struct, Value). */
  raw(name: string): unknown {
    return this.#take(name)?.value;
  }

  any(name: string): AnyPayload | undefined {
    const t = this.#take(name);
    if (!t || !isPlainObject(t.value)) return undefined;
    return this.#payload(t.value, [...this.path, t.key]);
  }

  /** A map<string, Any> field's entries. */
  anyMap(name: string): [string, AnyPayload][] {
    const t = this.#take(name);
    if (!t || !isPlainObject(t.value)) return [];
    const out: [string, AnyPayload][] = [];
    for (const [key, value] of Object.entries(t.value)) {
      if (!isPlainObject(value)) continue;
      const p = this.#payload(value, [...this.path, t.key, key]);
      if (p) out.push([key, p]);
    }
    return out;
  }

  #payload(value: Json, path: FieldPath): AnyPayload | undefined {
    const url = value['@type'];
    if (typeof url !== 'string') return undefined;
    const typeName = typeNameOfUrl(url);
    const desc = this.cx.registry.getMessage(typeName);
    const object = desc ? new ProtoObject(desc, value, path, this.cx, ['@type']) : undefined;
    return { url, typeName, path, ...(object ? { object } : {}) };
  }

  /** Marks fields as handled without reading them (cosmetic fields; each caller says why). */
  ignore(...names: string[]): void {
    for (const name of names) {
      const key = this.#key(name);
      if (key !== undefined) this.#used.add(key);
    }
  }

  /** The whole message has been reported (e.g. an unsupported payload): report nothing more. */
  discard(): void {
    this.#discarded = true;
  }

  /** Reports a set field as unsupported now, with a specific reason. */
  unsupported(name: string, message: string, hint?: string): void {
    const key = this.#key(name);
    if (key !== undefined) this.#used.add(key);
    this.cx.sink.error(this.pathOf(name), DIAGNOSTIC_CODES.UNSUPPORTED, message, hint);
  }

  error(name: string | undefined, code: Parameters<DecodeSink['error']>[1], message: string, hint?: string): void {
    this.#faulted = true;
    this.cx.sink.error(name === undefined ? this.path : this.pathOf(name), code, message, hint);
  }

  reportUnread(): void {
    if (this.#discarded || this.#faulted) return;
    const index = fieldIndex(this.desc);
    for (const [key, value] of Object.entries(this.json)) {
      if (this.#used.has(key)) continue;
      const field = index.get(key);
      if (!field || isZero(field, value)) continue;
      const readable = this.desc.fields.filter((f) => this.#read.has(f.name)).map((f) => f.name);
      this.cx.sink.error(
        [...this.path, key],
        DIAGNOSTIC_CODES.UNSUPPORTED,
        `"${key}" (${this.desc.typeName}.${field.name}) is valid Envoy, but weft does not run it`,
        readable.length > 0 ? `remove it; weft runs these fields of ${shortName(this.desc.typeName)}: ${readable.join(', ')}` : 'remove it',
      );
    }
  }
}

function shortName(typeName: string): string {
  return typeName.slice(typeName.lastIndexOf('.') + 1);
}

function scalarTypeOf(field: DescField): number | undefined {
  if (field.fieldKind === 'scalar') return field.scalar;
  if (field.fieldKind === 'list' && field.listKind === 'scalar') return field.scalar;
  if (field.fieldKind === 'message') {
    const inner = field.message.fields[0];
    return inner?.fieldKind === 'scalar' ? inner.scalar : undefined;
  }
  return undefined;
}

function toNumber(scalar: number | undefined, v: unknown): number | undefined {
  if (scalar === undefined) return typeof v === 'number' ? v : undefined;
  const r = parseScalarJson(scalar, v);
  if (!r.ok) return undefined;
  return typeof r.value === 'bigint' ? Number(r.value) : typeof r.value === 'number' ? r.value : undefined;
}

/** Whether a field's JSON is its zero value, which changes nothing when weft does not run the field. */
function isZero(field: DescField, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  switch (field.fieldKind) {
    case 'list':
      return false;
    case 'map':
      return isPlainObject(v) && Object.keys(v).length === 0;
    case 'enum':
      return v === 0 || v === field.enum.values.find((x) => x.number === 0)?.name;
    case 'scalar':
    case 'message': {
      const isWrapper = field.fieldKind === 'message' && field.message.typeName.startsWith('google.protobuf.') && field.message.typeName.endsWith('Value') && field.message.typeName !== 'google.protobuf.Value';
      if (field.fieldKind === 'message' && !isWrapper) return false;
      return v === false || v === 0 || v === '' || v === '0';
    }
  }
}

/** Reports an Any payload whose type weft does not run at this place (when weft knows the type). */
export function reportUnsupportedPayload(payload: AnyPayload, cx: ConvertContext, what: string, supported: readonly string[]): void {
  // A type with no descriptor has been reported by the checker already.
  if (!payload.object) return;
  payload.object.discard();
  cx.sink.error(
    [...payload.path, '@type'],
    DIAGNOSTIC_CODES.UNSUPPORTED,
    `${payload.typeName} is not ${what} weft runs`,
    `weft runs these here: ${supported.map((t) => `type.googleapis.com/${t}`).join(', ')}`,
  );
}
