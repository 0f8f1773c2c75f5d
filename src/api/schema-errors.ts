/**
 * Turns the precompiled ajv validators' errors (keyword + params, no message) into field issues a
 * person can act on: `spec.ports[0].port: must be integer, got string "eighty"`.
 */
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import { describeValue, fieldError, valueAt } from './field-issue.ts';
import type { FieldIssue } from './field-issue.ts';
import type { SchemaError } from './schemas.ts';

/** `/spec/ports/0/port` → `['spec', 'ports', 0, 'port']` (indexes become numbers where `data` has arrays). */
export function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let cur = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: string | number = Array.isArray(cur) && /^\d+$/.test(seg) ? Number(seg) : seg;
    path.push(key);
    cur = typeof cur === 'object' && cur !== null ? (cur as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}

const COMBINATORS = new Set(['oneOf', 'anyOf']);
/** Keywords whose errors only say "a sub-schema failed"; the sub-schema's own errors say why. */
const SILENT = new Set(['if', 'then', 'else', '$ref']);

function within(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(`${parent}/`);
}

/**
 * Issues for the errors of one validation run. A failed oneOf/anyOf replaces every error at or
 * under its node (the failing branches' errors are noise: each describes a shape the value was
 * never meant to have) with one issue naming the allowed shapes.
 */
export function describeSchemaErrors(errors: readonly SchemaError[], data: unknown): FieldIssue[] {
  const combinators = errors.filter((e) => COMBINATORS.has(e.keyword));
  const outermost = combinators.filter((c) => !combinators.some((o) => o !== c && o.instancePath !== c.instancePath && within(c.instancePath, o.instancePath)));
  const issues: FieldIssue[] = [];
  const seenCombinator = new Set<string>();
  for (const e of errors) {
    const owner = outermost.find((c) => within(e.instancePath, c.instancePath));
    if (owner) {
      if (seenCombinator.has(owner.instancePath)) continue;
      seenCombinator.add(owner.instancePath);
      const branchErrors = errors.filter((x) => !COMBINATORS.has(x.keyword) && within(x.instancePath, owner.instancePath));
      issues.push(describeCombinator(owner, branchErrors, data));
      continue;
    }
    if (SILENT.has(e.keyword)) continue;
    issues.push(describeError(e, data));
  }
  return issues;
}

function describeCombinator(c: SchemaError, branchErrors: readonly SchemaError[], data: unknown): FieldIssue {
  const path = pointerToPath(c.instancePath, data);
  const value = valueAt(data, path);
  const here = branchErrors.filter((e) => e.instancePath === c.instancePath);
  const types = [...new Set(here.filter((e) => e.keyword === 'type').flatMap((e) => String(e.params.type).split(',')))];
  if (types.length > 1 && here.every((e) => e.keyword === 'type' || e.keyword === 'format')) {
    return fieldError(DIAGNOSTIC_CODES.WRONG_TYPE, path, `must be ${types.join(' or ')}, got ${describeValue(value)}`, typeHint(types, value));
  }
  const required = [...new Set(here.filter((e) => e.keyword === 'required').map((e) => String(e.params.missingProperty)))];
  if (c.keyword === 'oneOf' && Array.isArray(c.params.passingSchemas)) {
    const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value).sort() : [];
    const sets = keys.length > 0 ? ` (it sets ${keys.join(', ')})` : '';
    return fieldError(
      DIAGNOSTIC_CODES.INVALID_VALUE,
      path,
      `matches more than one of the allowed forms${sets}`,
      'some of these fields exclude each other: keep only one of them',
    );
  }
  if (required.length > 0 && here.every((e) => e.keyword === 'required' || e.keyword === 'not')) {
    return fieldError(DIAGNOSTIC_CODES.REQUIRED, path, `must set one of ${required.map((r) => `"${r}"`).join(', ')}`);
  }
  const details = [...new Set(branchErrors.filter((e) => !SILENT.has(e.keyword)).map((e) => formatNested(e, c, data)))].slice(0, 3);
  const hint = details.length > 0 ? `the closest allowed forms fail with: ${details.join('; ')}` : undefined;
  return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `does not match any of the allowed forms`, hint);
}

function formatNested(e: SchemaError, c: SchemaError, data: unknown): string {
  const issue = describeError(e, data);
  const rel = e.instancePath.slice(c.instancePath.length);
  return rel === '' || e.keyword === 'required' ? issue.message : `${rel.slice(1).replace(/\//g, '.')}: ${issue.message}`;
}

function typeHint(expected: readonly string[], value: unknown): string | undefined {
  if (expected.includes('string') && typeof value === 'boolean') {
    return `YAML reads unquoted true/false, yes/no, on/off and y/n as booleans (as kubectl does); quote the value: "${String(value)}"`;
  }
  if (expected.includes('string') && typeof value === 'number') return `quote the value so that YAML reads it as a string: "${String(value)}"`;
  if ((expected.includes('integer') || expected.includes('number')) && typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    return `remove the quotes: ${value.trim()}`;
  }
  return undefined;
}

function limitMessage(e: SchemaError, value: unknown): string {
  const limit = e.params.limit;
  switch (e.keyword) {
    case 'minLength':
      return `must be at least ${String(limit)} characters long, got ${describeValue(value)}`;
    case 'maxLength':
      return `must be at most ${String(limit)} characters long (it has ${typeof value === 'string' ? value.length : '?'})`;
    case 'minItems':
      return `must have at least ${String(limit)} item(s), got ${Array.isArray(value) ? value.length : '?'}`;
    case 'maxItems':
      return `must have at most ${String(limit)} item(s), got ${Array.isArray(value) ? value.length : '?'}`;
    case 'minProperties':
      return `must have at least ${String(limit)} entr${limit === 1 ? 'y' : 'ies'}`;
    case 'maxProperties':
      return `must have at most ${String(limit)} entries, got ${typeof value === 'object' && value !== null ? Object.keys(value).length : '?'}`;
    default:
      return `must be ${String(e.params.comparison)} ${String(limit)}, got ${describeValue(value)}`;
  }
}

/** One error → one issue. Exported for tests. */
export function describeError(e: SchemaError, data: unknown): FieldIssue {
  const path = pointerToPath(e.instancePath, data);
  const value = valueAt(data, path);
  const p = e.params;
  switch (e.keyword) {
    case 'type': {
      const types = String(p.type).split(',');
      return fieldError(DIAGNOSTIC_CODES.WRONG_TYPE, path, `must be ${types.join(' or ')}, got ${describeValue(value)}`, typeHint(types, value));
    }
    case 'required':
      return fieldError(DIAGNOSTIC_CODES.REQUIRED, [...path, String(p.missingProperty)], `missing required field "${String(p.missingProperty)}"`);
    case 'dependentRequired':
    case 'dependencies':
      return fieldError(DIAGNOSTIC_CODES.REQUIRED, [...path, String(p.missingProperty)], `"${String(p.missingProperty)}" is required when "${String(p.property)}" is set`);
    case 'additionalProperties':
      return fieldError(DIAGNOSTIC_CODES.UNKNOWN_FIELD, [...path, String(p.additionalProperty)], `unknown field "${String(p.additionalProperty)}"`);
    case 'enum': {
      const allowed = Array.isArray(p.allowedValues) ? p.allowedValues : [];
      const list = allowed.slice(0, 12).map((v) => JSON.stringify(v)).join(', ') + (allowed.length > 12 ? ', ...' : '');
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `must be one of ${list}; got ${describeValue(value)}`);
    }
    case 'const':
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `must be ${JSON.stringify(p.allowedValue)}; got ${describeValue(value)}`);
    case 'pattern':
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `must match the pattern ${String(p.pattern)}; got ${describeValue(value)}`);
    case 'format':
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `must be a valid ${String(p.format)}; got ${describeValue(value)}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, limitMessage(e, value));
    case 'multipleOf':
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `must be a multiple of ${String(p.multipleOf)}; got ${describeValue(value)}`);
    case 'uniqueItems':
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `must not contain duplicate items (items ${String(p.j)} and ${String(p.i)} are equal)`);
    case 'propertyNames':
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `has an invalid key "${String(p.propertyName)}"`);
    case 'not':
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, 'has a form the schema forbids');
    default:
      return fieldError(DIAGNOSTIC_CODES.INVALID_VALUE, path, `fails the schema's "${e.keyword}" rule (${JSON.stringify(p)})`);
  }
}

