/**
 * Applies the protoc-gen-validate rules of a message's fields and oneofs (pgv-check.ts) to what the
 * JSON checker saw, and reports each complaint at the field (or the list item / map value) it is
 * about: REQUIRED for a missing field or oneof, INVALID_VALUE for a value out of its rules.
 */
import { ScalarType, type DescField, type DescMessage, type DescOneof } from '@bufbuild/protobuf';
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import type { DecodeSink, FieldPath } from './decode-sink.ts';
import { checkRules, fieldRules, oneofRequired, type PgvValue } from './pgv-check.ts';

/** What the checker found in one object. */
export interface SeenFields {
  readonly keyOf: ReadonlyMap<DescField, string>;
  readonly oneofKey: ReadonlyMap<DescOneof, string>;
  readonly values: ReadonlyMap<DescField, PgvValue>;
  readonly bad: ReadonlySet<DescField>;
}

/** google.protobuf.FeatureSet.FieldPresence.IMPLICIT: a proto3 field without `optional`. */
const IMPLICIT = 2;

/** A field that is not set, as the validate rules see it (proto3 implicit fields read as zero). */
function zeroValue(field: DescField): PgvValue {
  switch (field.fieldKind) {
    case 'list':
      return { kind: 'list', items: [] };
    case 'map':
      return { kind: 'map', entries: [] };
    case 'enum':
      return field.presence === IMPLICIT ? { kind: 'enum', value: 0, enumDesc: field.enum } : { kind: 'absent' };
    case 'scalar': {
      if (field.presence !== IMPLICIT) return { kind: 'absent' };
      const wide = [ScalarType.INT64, ScalarType.UINT64, ScalarType.FIXED64, ScalarType.SFIXED64, ScalarType.SINT64];
      const zero = field.scalar === ScalarType.BOOL ? false : field.scalar === ScalarType.STRING || field.scalar === ScalarType.BYTES ? '' : wide.includes(field.scalar) ? 0n : 0;
      return { kind: 'scalar', value: zero };
    }
    case 'message':
      return { kind: 'absent' };
  }
}

/**
 * Validate rules weft does not apply, because weft supplies the value itself, as Cilium does:
 * an HCM's `rds` needs no `config_source` (the route configuration comes from the same snapshot).
 */
const WAIVED_RULES = new Set(['envoy.extensions.filters.network.http_connection_manager.v3.Rds.config_source']);

export function applyValidateRules(desc: DescMessage, obj: Readonly<Record<string, unknown>>, path: FieldPath, sink: DecodeSink, seen: SeenFields): void {
  const camel = Object.keys(obj).some((k) => /[A-Z]/.test(k) && !k.includes('_'));
  for (const field of desc.fields) {
    if (seen.bad.has(field) || WAIVED_RULES.has(`${desc.typeName}.${field.name}`)) continue;
    const value = seen.values.get(field);
    if (field.oneof && value === undefined) continue;
    const rules = fieldRules(field);
    if (!rules) continue;
    const key = seen.keyOf.get(field) ?? (camel ? field.jsonName : field.name);
    for (const c of checkRules(rules, value ?? zeroValue(field))) {
      const p = [...path, key, ...c.suffix];
      if (value === undefined && c.suffix.length === 0) {
        sink.error(p, DIAGNOSTIC_CODES.REQUIRED, `missing required field "${key}" (${desc.typeName})${c.message === 'is required' || c.message === 'must not be empty' ? '' : `: ${c.message}`}`);
      } else {
        sink.error(p, DIAGNOSTIC_CODES.INVALID_VALUE, `"${key}${c.suffix.map((s) => `[${typeof s === 'number' ? s : JSON.stringify(s)}]`).join('')}": ${c.message}`);
      }
    }
  }
  for (const oneof of desc.oneofs) {
    if (!oneofRequired(oneof) || seen.oneofKey.has(oneof)) continue;
    if (oneof.fields.some((f) => seen.bad.has(f))) continue;
    const names = oneof.fields.filter((f) => !f.deprecated).map((f) => `"${camel ? f.jsonName : f.name}"`);
    sink.error(path, DIAGNOSTIC_CODES.REQUIRED, `one of ${names.join(', ')} is required (${oneof.name} of ${desc.typeName})`);
  }
}
