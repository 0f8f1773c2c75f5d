/**
 * Fields the real CRDs accept that the packaged schemas lack. The packages generate their schemas
 * from Go types, and a few fields the CRDs declare did not make it; without this table strict
 * unknown-field checking would refuse manifests that Cilium's own examples ship (for instance
 * `spec.description` in CiliumNetworkPolicy, pkg/policy/api/rule.go). Each entry names the field by
 * a path pattern (`[*]` for any index) and the JSON type the CRD gives it.
 */
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import type { FieldPath } from './access-tracker.ts';
import { describeValue, fieldError } from './field-issue.ts';
import type { FieldIssue } from './field-issue.ts';

type JsonType = 'string' | 'boolean' | 'integer' | 'object' | 'array';

const POLICY_DESCRIPTION: Readonly<Record<string, JsonType>> = { 'spec.description': 'string', 'specs[*].description': 'string' };

/** `group/Kind` → field pattern → type. */
const AMENDMENTS: Readonly<Record<string, Readonly<Record<string, JsonType>>>> = {
  'cilium.io/CiliumNetworkPolicy': POLICY_DESCRIPTION,
  'cilium.io/CiliumClusterwideNetworkPolicy': POLICY_DESCRIPTION,
};

function pattern(path: FieldPath): string {
  return path.map((s, i) => (typeof s === 'number' ? '[*]' : i === 0 ? s : `.${s}`)).join('');
}

function hasType(v: unknown, t: JsonType): boolean {
  switch (t) {
    case 'integer':
      return Number.isInteger(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return typeof v === t;
  }
}

/**
 * For a field the packaged schema does not know: undefined when no amendment covers it either (so
 * it is unknown), else the issues of its value (none when it has the declared type).
 */
export function checkAmendedField(group: string, kind: string, path: FieldPath, value: unknown): FieldIssue[] | undefined {
  const t = AMENDMENTS[`${group}/${kind}`]?.[pattern(path)];
  if (t === undefined) return undefined;
  return hasType(value, t) ? [] : [fieldError(DIAGNOSTIC_CODES.WRONG_TYPE, path, `must be ${t}, got ${describeValue(value)}`)];
}
