/**
 * protoc-gen-validate rules, read from the descriptors' `(validate.rules)` field options and
 * `(validate.required)` oneof options, and applied to decoded JSON as Envoy applies them when it
 * accepts a resource (`MessageUtil::validate`): required messages and oneofs, string lengths and
 * prefixes, header-name/value character sets, RE2 patterns, numeric and duration ranges, `in` /
 * `not_in`, enum `defined_only`, list and map sizes, and Any type lists.
 *
 * Not checked (no Envoy v3 field weft decodes depends on them): string `email`, `uri`, `uri_ref`,
 * `uuid`, and timestamp comparisons.
 */
import { getExtension, hasExtension, type DescEnum, type DescField, type DescOneof } from '@bufbuild/protobuf';
import { compileRe2 } from '../../model/regex.ts';
import type { FieldPath } from './decode-sink.ts';
import { envoyDescriptors } from './descriptors.ts';
import type { ScalarValue } from './json-scalars.ts';

/** A field's value as the checker saw it, for the rules. */
export type PgvValue =
  | { readonly kind: 'absent' }
  | { readonly kind: 'scalar'; readonly value: ScalarValue; readonly bytes?: boolean }
  | { readonly kind: 'enum'; readonly value: number; readonly enumDesc: DescEnum }
  /** A message: `wrapped` for wrapper types, `durationMs` for Duration, `typeUrl` for Any. */
  | { readonly kind: 'message'; readonly wrapped?: ScalarValue; readonly durationMs?: number; readonly typeUrl?: string }
  | { readonly kind: 'list'; readonly items: readonly PgvValue[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, PgvValue])[] };

/** The parts of validate.FieldRules (and its per-type rules) this checker reads. */
interface RuleSet {
  readonly message?: { readonly required?: boolean; readonly skip?: boolean };
  readonly type: { readonly case: string | undefined; readonly value?: unknown };
}
type Rules = Readonly<Record<string, unknown>>;

const own = (o: Rules, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

const rulesCache = new WeakMap<DescField, RuleSet | null>();
const requiredCache = new WeakMap<DescOneof, boolean>();

/** The field's `(validate.rules)`, parsed once per field. */
export function fieldRules(field: DescField): RuleSet | undefined {
  let rules = rulesCache.get(field);
  if (rules === undefined) {
    const options = field.proto.options;
    const { validateRules } = envoyDescriptors();
    rules = options && hasExtension(options, validateRules) ? (getExtension(options, validateRules) as unknown as RuleSet) : null;
    rulesCache.set(field, rules);
  }
  return rules ?? undefined;
}

/** Whether the oneof carries `(validate.required) = true`. */
export function oneofRequired(oneof: DescOneof): boolean {
  let required = requiredCache.get(oneof);
  if (required === undefined) {
    const options = oneof.proto.options;
    const { validateRequired } = envoyDescriptors();
    required = options !== undefined && hasExtension(options, validateRequired) && getExtension(options, validateRequired) === true;
    requiredCache.set(oneof, required);
  }
  return required;
}

function fmt(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  if (isDuration(v)) return `${durationMs(v) / 1000}s`;
  return String(v);
}

interface DurationMsg {
  readonly seconds: bigint;
  readonly nanos: number;
}
function isDuration(v: unknown): v is DurationMsg {
  return typeof v === 'object' && v !== null && (v as { $typeName?: string }).$typeName === 'google.protobuf.Duration';
}
function durationMs(d: DurationMsg): number {
  return Number(d.seconds) * 1000 + d.nanos / 1e6;
}

function toComparable(v: unknown): number | bigint {
  if (isDuration(v)) return durationMs(v);
  return v as number | bigint;
}

function cmp(a: number | bigint, b: number | bigint): number {
  const integral = (n: number | bigint): boolean => typeof n === 'bigint' || Number.isInteger(n);
  if ((typeof a === 'bigint' || typeof b === 'bigint') && integral(a) && integral(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Numeric and duration rules: const, lt/lte/gt/gte (ranges, and exclusive ranges when reversed), in, not_in. */
function checkRange(r: Rules, value: number | bigint, shown: string): string | undefined {
  if (own(r, 'const') && cmp(value, toComparable(r.const)) !== 0) return `must be ${fmt(r.const)}, not ${shown}`;
  const inList = (r.in as unknown[] | undefined) ?? [];
  if (inList.length > 0 && !inList.some((x) => cmp(value, toComparable(x)) === 0)) {
    return `must be one of ${inList.map(fmt).join(', ')}, not ${shown}`;
  }
  const notIn = (r.notIn as unknown[] | undefined) ?? [];
  if (notIn.some((x) => cmp(value, toComparable(x)) === 0)) return `must not be ${shown}`;
  const lowKey = own(r, 'gt') ? 'gt' : own(r, 'gte') ? 'gte' : undefined;
  const highKey = own(r, 'lt') ? 'lt' : own(r, 'lte') ? 'lte' : undefined;
  const low = lowKey ? toComparable(r[lowKey]) : undefined;
  const high = highKey ? toComparable(r[highKey]) : undefined;
  const aboveLow = low === undefined || (lowKey === 'gt' ? cmp(value, low) > 0 : cmp(value, low) >= 0);
  const belowHigh = high === undefined || (highKey === 'lt' ? cmp(value, high) < 0 : cmp(value, high) <= 0);
  const lowText = lowKey ? `${lowKey === 'gt' ? '>' : '≥'} ${fmt(r[lowKey])}` : '';
  const highText = highKey ? `${highKey === 'lt' ? '<' : '≤'} ${fmt(r[highKey])}` : '';
  if (low !== undefined && high !== undefined && cmp(high, low) < 0) {
    // PGV's exclusive range: lt < gt means "outside [lt, gt]".
    if (!aboveLow && !belowHigh) return `${shown} is out of range: must be ${highText} or ${lowText}`;
    return undefined;
  }
  if (!aboveLow || !belowHigh) {
    const want = [lowText, highText].filter((s) => s !== '').join(' and ');
    return `${shown} is out of range: must be ${want}`;
  }
  return undefined;
}

const HEADER_NAME_STRICT = /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/;
const HEADER_VALUE_STRICT = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
const HEADER_LOOSE = /^[^\u0000\u000A\u000D]*$/;
const IPV4 = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;
const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;

function isIpv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const doubles = s.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = s.split(':').filter((g) => g !== '');
  const last = groups[groups.length - 1] ?? '';
  const v4 = last.includes('.');
  if (v4 && !IPV4.test(last)) return false;
  const count = groups.length + (v4 ? 1 : 0);
  return doubles === 1 ? count < 8 : count === 8;
}

const patternCache = new Map<string, ReturnType<typeof compileRe2>>();

function checkString(r: Rules, s: string): string | undefined {
  if (r.ignoreEmpty === true && s === '') return undefined;
  const runes = [...s].length;
  const bytes = Buffer.byteLength(s, 'utf8');
  if (own(r, 'const') && s !== r.const) return `must be ${fmt(r.const)}`;
  if (own(r, 'len') && runes !== Number(r.len)) return `must be exactly ${r.len} characters long`;
  if (own(r, 'minLen') && runes < Number(r.minLen)) {
    return Number(r.minLen) === 1 ? 'must not be empty' : `must be at least ${r.minLen} characters long`;
  }
  if (own(r, 'maxLen') && runes > Number(r.maxLen)) return `must be at most ${r.maxLen} characters long`;
  if (own(r, 'lenBytes') && bytes !== Number(r.lenBytes)) return `must be exactly ${r.lenBytes} bytes long`;
  if (own(r, 'minBytes') && bytes < Number(r.minBytes)) {
    return Number(r.minBytes) === 1 ? 'must not be empty' : `must be at least ${r.minBytes} bytes long`;
  }
  if (own(r, 'maxBytes') && bytes > Number(r.maxBytes)) return `must be at most ${r.maxBytes} bytes long`;
  if (own(r, 'prefix') && !s.startsWith(String(r.prefix))) return `must start with ${fmt(r.prefix)}`;
  if (own(r, 'suffix') && !s.endsWith(String(r.suffix))) return `must end with ${fmt(r.suffix)}`;
  if (own(r, 'contains') && !s.includes(String(r.contains))) return `must contain ${fmt(r.contains)}`;
  if (own(r, 'notContains') && s.includes(String(r.notContains))) return `must not contain ${fmt(r.notContains)}`;
  const inList = (r.in as string[] | undefined) ?? [];
  if (inList.length > 0 && !inList.includes(s)) return `must be one of ${inList.map(fmt).join(', ')}`;
  if (((r.notIn as string[] | undefined) ?? []).includes(s)) return `must not be ${fmt(s)}`;
  if (own(r, 'pattern')) {
    const pattern = String(r.pattern);
    let re = patternCache.get(pattern);
    if (!re) patternCache.set(pattern, (re = compileRe2(pattern)));
    if (re.ok && !re.value.matches(s)) return `must match the pattern ${fmt(pattern)}`;
  }
  const wk = r.wellKnown as { case?: string; value?: unknown } | undefined;
  const strict = own(r, 'strict') ? r.strict !== false : true;
  switch (wk?.case) {
    case 'wellKnownRegex':
      if (wk.value === 1 && !(strict ? HEADER_NAME_STRICT : HEADER_LOOSE).test(s)) {
        return 'is not a valid HTTP header name';
      }
      if (wk.value === 2 && !(strict ? HEADER_VALUE_STRICT : HEADER_LOOSE).test(s)) {
        return 'is not a valid HTTP header value (control characters are not allowed)';
      }
      return undefined;
    case 'ip':
      return wk.value === true && !IPV4.test(s) && !isIpv6(s) ? 'must be an IP address' : undefined;
    case 'ipv4':
      return wk.value === true && !IPV4.test(s) ? 'must be an IPv4 address' : undefined;
    case 'ipv6':
      return wk.value === true && !isIpv6(s) ? 'must be an IPv6 address' : undefined;
    case 'hostname':
      return wk.value === true && !HOSTNAME.test(s) ? 'must be a host name' : undefined;
    case 'address':
      return wk.value === true && !IPV4.test(s) && !isIpv6(s) && !HOSTNAME.test(s) ? 'must be a host name or IP address' : undefined;
    default:
      return undefined;
  }
}

function isZero(v: PgvValue): boolean {
  switch (v.kind) {
    case 'absent':
      return true;
    case 'scalar':
      return v.value === '' || v.value === 0 || v.value === 0n || v.value === false;
    case 'enum':
      return v.value === 0;
    case 'list':
      return v.items.length === 0;
    case 'map':
      return v.entries.length === 0;
    case 'message':
      return false;
  }
}

/**
 * Applies `rules` to a value and returns the complaints (none when it passes), each with the path
 * suffix of the element it is about (a list item, a map value).
 */
export function checkRules(rules: RuleSet, v: PgvValue): { readonly suffix: FieldPath; readonly message: string; readonly required?: boolean }[] {
  const out: { suffix: FieldPath; message: string; required?: boolean }[] = [];
  const kind = rules.type.case;
  const r = (rules.type.value ?? {}) as Rules;
  if (rules.message?.required === true && v.kind === 'absent') {
    out.push({ suffix: [], message: 'is required', required: true });
    return out;
  }
  if (kind === undefined) return out;
  if (kind === 'repeated') {
    const items = v.kind === 'list' ? v.items : [];
    if (v.kind !== 'list' && v.kind !== 'absent') return out;
    if (own(r, 'minItems') && items.length < Number(r.minItems)) {
      out.push({
        suffix: [],
        message: `needs at least ${r.minItems} item${Number(r.minItems) === 1 ? '' : 's'} (has ${items.length})`,
        required: items.length === 0 && v.kind === 'absent',
      });
    }
    if (own(r, 'maxItems') && items.length > Number(r.maxItems)) out.push({ suffix: [], message: `has ${items.length} items; at most ${r.maxItems} are allowed` });
    if (r.unique === true) {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        const key = item.kind === 'scalar' || item.kind === 'enum' ? String(item.value) : undefined;
        if (key === undefined) return;
        if (seen.has(key)) out.push({ suffix: [i], message: `duplicates an earlier item (${fmt(item.kind === 'scalar' ? item.value : key)}); items must be unique` });
        seen.add(key);
      });
    }
    const itemRules = r.items as RuleSet | undefined;
    if (itemRules) {
      items.forEach((item, i) => {
        for (const c of checkRules(itemRules, item)) out.push({ ...c, suffix: [i, ...c.suffix] });
      });
    }
    return out;
  }
  if (kind === 'map') {
    const entries = v.kind === 'map' ? v.entries : [];
    if (own(r, 'minPairs') && entries.length < Number(r.minPairs)) out.push({ suffix: [], message: `needs at least ${r.minPairs} entries (has ${entries.length})` });
    if (own(r, 'maxPairs') && entries.length > Number(r.maxPairs)) out.push({ suffix: [], message: `has ${entries.length} entries; at most ${r.maxPairs} are allowed` });
    const keyRules = r.keys as RuleSet | undefined;
    const valueRules = r.values as RuleSet | undefined;
    for (const [key, value] of entries) {
      if (keyRules) for (const c of checkRules(keyRules, { kind: 'scalar', value: key })) out.push({ suffix: [key], message: `key ${c.message}` });
      if (valueRules) for (const c of checkRules(valueRules, value)) out.push({ ...c, suffix: [key, ...c.suffix] });
    }
    return out;
  }
  const problem = checkSingle(kind, r, v);
  if (problem !== undefined) out.push({ suffix: [], message: problem, required: v.kind === 'absent' || (isZero(v) && problem === 'must not be empty') });
  return out;
}

function checkSingle(kind: string, r: Rules, v: PgvValue): string | undefined {
  switch (kind) {
    case 'any': {
      if (v.kind === 'absent') return r.required === true ? 'is required' : undefined;
      const url = v.kind === 'message' ? v.typeUrl ?? '' : '';
      const inList = (r.in as string[] | undefined) ?? [];
      if (inList.length > 0 && !inList.includes(url)) return `must be one of ${inList.join(', ')}`;
      if (((r.notIn as string[] | undefined) ?? []).includes(url)) return `must not be ${url}`;
      return undefined;
    }
    case 'duration': {
      if (v.kind === 'absent') return r.required === true ? 'is required' : undefined;
      if (v.kind !== 'message' || v.durationMs === undefined) return undefined;
      return checkRange(r, v.durationMs, `${v.durationMs / 1000}s`);
    }
    case 'timestamp':
      return v.kind === 'absent' && r.required === true ? 'is required' : undefined;
    case 'enum': {
      if (v.kind !== 'enum') return undefined;
      if (own(r, 'const') && v.value !== r.const) return `must be ${v.enumDesc.value[r.const as number]?.name ?? String(r.const)}`;
      if (r.definedOnly === true && v.enumDesc.value[v.value] === undefined) {
        return `${v.value} is not a value of ${v.enumDesc.typeName} (one of ${v.enumDesc.values.map((x) => x.name).join(', ')})`;
      }
      const inList = (r.in as number[] | undefined) ?? [];
      const name = (n: number): string => v.enumDesc.value[n]?.name ?? String(n);
      if (inList.length > 0 && !inList.includes(v.value)) return `must be one of ${inList.map(name).join(', ')}`;
      if (((r.notIn as number[] | undefined) ?? []).includes(v.value)) return `must not be ${name(v.value)}`;
      return undefined;
    }
    default:
      break;
  }
  // Scalars (and wrappers, whose rules apply to the wrapped value when it is set).
  const value = v.kind === 'scalar' ? v.value : v.kind === 'message' ? v.wrapped : undefined;
  if (value === undefined) return undefined;
  if (kind === 'string' && typeof value === 'string') return checkString(r, value);
  if (kind === 'bytes' && typeof value === 'string') {
    const length = Buffer.from(value, 'base64').length;
    if (own(r, 'minLen') && length < Number(r.minLen)) return Number(r.minLen) === 1 ? 'must not be empty' : `must be at least ${r.minLen} bytes long`;
    if (own(r, 'maxLen') && length > Number(r.maxLen)) return `must be at most ${r.maxLen} bytes long`;
    return undefined;
  }
  if (kind === 'bool' && typeof value === 'boolean') {
    return own(r, 'const') && value !== r.const ? `must be ${String(r.const)}` : undefined;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return checkRange(r, value, fmt(value));
  return undefined;
}
