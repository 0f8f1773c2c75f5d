/**
 * Everything weft checks about one object before accepting it, in the order the API server would:
 * type meta, served kind and version, the published schema (with unknown fields refused, as strict
 * field validation does), ObjectMeta rules, then a few semantic rules. Pure: issues name fields by
 * path; the manifest loader adds file positions.
 */
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import { recordAccess } from './access-tracker.ts';
import { fieldError, valueAt } from './field-issue.ts';
import type { FieldIssue } from './field-issue.ts';
import { kindInfo, SERVED_KINDS, servedKindList } from './kinds.ts';
import type { KindInfo } from './kinds.ts';
import { joinApiVersion, splitApiVersion } from './object.ts';
import { checkAmendedField } from './schema-amendments.ts';
import { describeSchemaErrors } from './schema-errors.ts';
import { schemaKey, schemaValidator } from './schemas.ts';
import { closestName } from './suggest.ts';
import { validateMetadata } from './validate-metadata.ts';
import { validateSemantics } from './validate-semantics.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A copy without null-valued fields, as the API server treats them (a null field is an absent one;
 * for custom resources it prunes them before validation). Nulls inside arrays stay and fail the
 * schema, as they would there.
 */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

function servedAs(info: KindInfo): string {
  return info.versions.map((v) => joinApiVersion(info.group, v)).join(', ');
}

/** The served kind of `apiVersion`/`kind`, or the issue explaining why there is none. */
export function resolveServedKind(apiVersion: string, kind: string): { info: KindInfo; version: string } | FieldIssue {
  const { group, version } = splitApiVersion(apiVersion);
  const served = `weft serves: ${servedKindList().join(', ')}`;
  const info = kindInfo(group, kind);
  if (info) {
    if (info.versions.includes(version)) return { info, version };
    return fieldError(
      DIAGNOSTIC_CODES.UNKNOWN_KIND,
      ['apiVersion'],
      `${kind} is not served in apiVersion "${apiVersion}"; ${served}`,
      `${kind} in ${group || 'the core group'} is served as ${servedAs(info)}`,
    );
  }
  const sameName = SERVED_KINDS.filter((i) => i.kind === kind);
  const sameLower = SERVED_KINDS.filter((i) => i.kind.toLowerCase() === kind.toLowerCase());
  let hint: string | undefined;
  if (sameName.length > 0) hint = `${kind} is served as ${sameName.map(servedAs).join('; ')}`;
  else if (sameLower.length > 0) hint = `kinds are case-sensitive: did you mean kind ${sameLower[0].kind} (${servedAs(sameLower[0])})?`;
  else {
    const close = closestName(kind, new Set(SERVED_KINDS.map((i) => i.kind)));
    if (close) hint = `did you mean kind ${close}?`;
  }
  return fieldError(DIAGNOSTIC_CODES.UNKNOWN_KIND, ['kind'], `unknown kind "${kind}" in apiVersion "${apiVersion}"; ${served}`, hint);
}

function unknownFieldIssues(rec: ReturnType<typeof recordAccess>, data: unknown, info: KindInfo): FieldIssue[] {
  return rec.unknownFields().flatMap((u) => {
    const amended = checkAmendedField(info.group, info.kind, u.path, valueAt(data, u.path));
    if (amended) return amended;
    const close = closestName(u.key, u.known);
    const message = close ? `unknown field "${u.key}"; did you mean "${close}"?` : `unknown field "${u.key}"`;
    const hint = !close && u.known.length > 0 && u.known.length <= 25 ? `known fields here: ${u.known.join(', ')}` : undefined;
    return [fieldError(DIAGNOSTIC_CODES.UNKNOWN_FIELD, u.path, message, hint)];
  });
}

function schemaIssues(data: Record<string, unknown>, info: KindInfo, version: string): FieldIssue[] {
  const v = schemaValidator(info.group, version, info.kind);
  if (!v) {
    throw new Error(
      `weft: the schema validator for ${schemaKey(info.group, version, info.kind)} is not loaded; ` +
        'await preloadSchemas(objects) (or preloadAllSchemas()) before validating',
    );
  }
  const target = v.apiVersionAs ? { ...data, apiVersion: v.apiVersionAs } : data;
  const rec = recordAccess(target);
  const valid = v.validate(rec.proxy);
  const fromSchema = valid ? [] : describeSchemaErrors(v.validate.errors ?? [], target);
  // A missing metadata is reported by the metadata rules, with the field that matters (name).
  const kept = fromSchema.filter((i) => !(i.code === DIAGNOSTIC_CODES.REQUIRED && i.path.length === 1 && i.path[0] === 'metadata'));
  return [...kept, ...unknownFieldIssues(rec, target, info)];
}

function dedupe(issues: readonly FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.code}\u0000${JSON.stringify(i.path)}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * All issues of one object. Its schema validator must have been loaded (`preloadSchemas`); an
 * unloaded one is a programming error and throws.
 */
export function validateKubeObject(object: unknown): FieldIssue[] {
  if (!isRecord(object)) {
    return [fieldError(DIAGNOSTIC_CODES.NOT_AN_OBJECT, [], `a manifest must be an object (a YAML mapping), got ${Array.isArray(object) ? 'a list' : typeof object}`)];
  }
  const meta: FieldIssue[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = object[field];
    if (typeof v !== 'string' || v === '') {
      const message = v === undefined || v === null || v === '' ? `missing required field "${field}"` : `${field} must be a string`;
      meta.push(fieldError(DIAGNOSTIC_CODES.MISSING_TYPE_META, [field], message, 'every object needs apiVersion and kind, e.g. apiVersion: v1 and kind: Service'));
    }
  }
  if (meta.length > 0) return meta;
  const resolved = resolveServedKind(object.apiVersion as string, object.kind as string);
  if ('code' in resolved) return [resolved];
  const { info, version } = resolved;
  const data = withoutNulls(object) as Record<string, unknown>;
  return dedupe([...schemaIssues(data, info, version), ...validateMetadata(data, info), ...validateSemantics(info.group, info.kind, data)]);
}
