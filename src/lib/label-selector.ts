/**
 * Kubernetes label selectors, with the semantics of k8s.io/apimachinery `labels` and
 * `metav1.LabelSelectorAsSelector`:
 * - the string syntax of `?labelSelector=` and `kubectl -l`: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 *   `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma-separated (all must hold); "" selects everything;
 * - `metav1.LabelSelector` objects (`matchLabels` + `matchExpressions` with In, NotIn, Exists,
 *   DoesNotExist), where an empty object selects everything and a missing one (null) nothing;
 * - plain maps (`Service.spec.selector`), every pair must match.
 * `!=` and `notin` also match objects that lack the key, as in Kubernetes.
 */
import { assertNever } from './assert-never.ts';
import { err, ok } from './result.ts';
import type { Result } from './result.ts';

export type LabelRequirement =
  | { readonly kind: 'in'; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'notIn'; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'exists'; readonly key: string }
  | { readonly kind: 'doesNotExist'; readonly key: string }
  | { readonly kind: 'gt'; readonly key: string; readonly value: number }
  | { readonly kind: 'lt'; readonly key: string; readonly value: number };

export interface LabelSelector {
  /** All must hold. Empty (with `matchNothing` false) selects everything. */
  readonly requirements: readonly LabelRequirement[];
  /** The selector of a missing `metav1.LabelSelector`: selects no object at all. */
  readonly matchNothing: boolean;
}

/** `metav1.LabelSelector` as it appears in manifests. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] | null }[] | null;
}

export interface LabelSelectorOptions {
  /**
   * Check keys and values against Kubernetes' label syntax (default true). Cilium endpoint
   * selectors use source-prefixed keys (`k8s:io.kubernetes.pod.namespace`, `reserved:host`) that
   * are not Kubernetes label keys; their callers pass false and check the keys themselves.
   */
  readonly validate?: boolean;
}

export const EVERYTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]), matchNothing: false });
export const NOTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]), matchNothing: true });

const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_RULE = 'alphanumeric characters, "-", "_" or ".", starting and ending with an alphanumeric character';

/** Checks a label key (a qualified name: optional DNS-subdomain prefix + "/" + name). */
export function checkLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (name === '') return `invalid label key "${key}": name part must not be empty`;
  if (name.length > 63) return `invalid label key "${key}": name part must be at most 63 characters`;
  if (!NAME_RE.test(name)) return `invalid label key "${key}": name part must consist of ${NAME_RULE}`;
  if (prefix !== undefined) {
    if (prefix === '') return `invalid label key "${key}": prefix part must not be empty`;
    if (prefix.length > 253) return `invalid label key "${key}": prefix part must be at most 253 characters`;
    if (!DNS_SUBDOMAIN_RE.test(prefix)) {
      return `invalid label key "${key}": prefix part must be a lowercase DNS subdomain (e.g. example.com)`;
    }
  }
  return undefined;
}

/** Checks a label value (empty, or at most 63 characters of the name alphabet). */
export function checkLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `invalid label value "${value}": must be at most 63 characters`;
  if (!NAME_RE.test(value)) return `invalid label value "${value}": must consist of ${NAME_RULE}`;
  return undefined;
}

function checkRequirement(r: LabelRequirement): string | undefined {
  const keyProblem = checkLabelKey(r.key);
  if (keyProblem) return keyProblem;
  switch (r.kind) {
    case 'in':
    case 'notIn':
      for (const v of r.values) {
        const p = checkLabelValue(v);
        if (p) return p;
      }
      return undefined;
    case 'exists':
    case 'doesNotExist':
    case 'gt':
    case 'lt':
      return undefined;
    default:
      return assertNever(r, 'label requirement');
  }
}

// ---- string syntax -------------------------------------------------------------------------

type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly pos: number }
  | { readonly kind: 'op'; readonly text: '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<'; readonly pos: number }
  | { readonly kind: 'end'; readonly pos: number };

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (WHITESPACE.has(c)) {
      i++;
    } else if (SPECIAL.has(c)) {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        out.push({ kind: 'op', text: two, pos: i });
        i += 2;
      } else {
        out.push({ kind: 'op', text: c as '=' | '!' | '(' | ')' | ',' | '>' | '<', pos: i });
        i++;
      }
    } else {
      const start = i;
      while (i < text.length && !WHITESPACE.has(text[i]) && !SPECIAL.has(text[i])) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), pos: start });
    }
  }
  out.push({ kind: 'end', pos: text.length });
  return out;
}

class SelectorSyntaxError extends Error {}

function describe(t: Token): string {
  return t.kind === 'end' ? 'end of input' : `"${t.text}"`;
}

/** Recursive-descent parser over the token list (grammar of apimachinery's labels.Parse). */
class SelectorParser {
  #tokens: Token[];
  #i = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    if (this.#peek().kind === 'end') return reqs;
    for (;;) {
      reqs.push(this.#requirement());
      const t = this.#next();
      if (t.kind === 'end') return reqs;
      if (!(t.kind === 'op' && t.text === ',')) this.#fail(t, 'expected "," or end of input');
    }
  }

  #peek(): Token {
    return this.#tokens[this.#i];
  }

  #next(): Token {
    const t = this.#tokens[this.#i];
    if (t.kind !== 'end') this.#i++;
    return t;
  }

  #fail(t: Token, expected: string): never {
    throw new SelectorSyntaxError(`found ${describe(t)} at position ${t.pos}, ${expected}`);
  }

  #key(): string {
    const t = this.#next();
    if (t.kind !== 'ident' || t.text === 'in' || t.text === 'notin') this.#fail(t, 'expected a label key');
    return t.text;
  }

  #requirement(): LabelRequirement {
    const first = this.#peek();
    if (first.kind === 'op' && first.text === '!') {
      this.#next();
      const key = this.#key();
      this.#expectEndOfRequirement();
      return { kind: 'doesNotExist', key };
    }
    const key = this.#key();
    const ahead = this.#peek();
    if (ahead.kind === 'end' || (ahead.kind === 'op' && ahead.text === ',')) return { kind: 'exists', key };
    const op = this.#next();
    if (op.kind === 'ident' && (op.text === 'in' || op.text === 'notin')) {
      const values = this.#valueList();
      return op.text === 'in' ? { kind: 'in', key, values } : { kind: 'notIn', key, values };
    }
    if (op.kind === 'op') {
      switch (op.text) {
        case '=':
        case '==':
          return { kind: 'in', key, values: [this.#exactValue()] };
        case '!=':
          return { kind: 'notIn', key, values: [this.#exactValue()] };
        case '>':
        case '<':
          return { kind: op.text === '>' ? 'gt' : 'lt', key, value: this.#integer() };
        default:
          break;
      }
    }
    return this.#fail(op, 'expected one of "=", "==", "!=", "in", "notin", ">", "<"');
  }

  #expectEndOfRequirement(): void {
    const t = this.#peek();
    if (!(t.kind === 'end' || (t.kind === 'op' && t.text === ','))) this.#fail(t, 'expected "," or end of input');
  }

  #exactValue(): string {
    const t = this.#peek();
    if (t.kind === 'end' || (t.kind === 'op' && t.text === ',')) return '';
    this.#next();
    if (t.kind !== 'ident') this.#fail(t, 'expected a label value');
    return t.text;
  }

  #integer(): number {
    const t = this.#next();
    if (t.kind !== 'ident' || !/^-?\d+$/.test(t.text) || !Number.isSafeInteger(Number(t.text))) {
      this.#fail(t, 'expected an integer');
    }
    return Number(t.text);
  }

  /** `( v1, v2 )`; an empty slot is the empty value, as in Kubernetes (`a in ()` means `a=""`). */
  #valueList(): string[] {
    const open = this.#next();
    if (!(open.kind === 'op' && open.text === '(')) this.#fail(open, 'expected "("');
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const t = this.#next();
      if (t.kind === 'ident') {
        if (!expectValue) this.#fail(t, 'expected "," or ")"');
        values.push(t.text);
        expectValue = false;
      } else if (t.kind === 'op' && t.text === ',') {
        if (expectValue) values.push('');
        expectValue = true;
      } else if (t.kind === 'op' && t.text === ')') {
        if (expectValue) values.push('');
        return values;
      } else {
        this.#fail(t, 'expected a label value, "," or ")"');
      }
    }
  }
}

function finish(reqs: LabelRequirement[], opts: LabelSelectorOptions): Result<LabelSelector, string> {
  for (const r of opts.validate === false ? [] : reqs) {
    const problem = checkRequirement(r);
    if (problem) return err(problem);
  }
  const sorted = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return ok({ requirements: sorted, matchNothing: false });
}

/** Parses the string syntax. The error names the selector and where it went wrong. */
export function parseLabelSelector(text: string, opts: LabelSelectorOptions = {}): Result<LabelSelector, string> {
  let reqs: LabelRequirement[];
  try {
    reqs = new SelectorParser(tokenize(text)).parse();
  } catch (e) {
    if (e instanceof SelectorSyntaxError) return err(`invalid label selector "${text}": ${e.message}`);
    throw e;
  }
  const r = finish(reqs, opts);
  return r.ok ? r : err(`invalid label selector "${text}": ${r.error}`);
}

/** Every pair must match (`Service.spec.selector`). An empty map selects everything. */
export function labelSelectorFromMap(
  labels: Readonly<Record<string, string>>,
  opts: LabelSelectorOptions = {},
): Result<LabelSelector, string> {
  return finish(
    Object.entries(labels).map(([key, value]) => ({ kind: 'in', key, values: [value] })),
    opts,
  );
}

/** `metav1.LabelSelector`: null/undefined selects nothing, `{}` everything. */
export function labelSelectorFromObject(
  sel: LabelSelectorObject | null | undefined,
  opts: LabelSelectorOptions = {},
): Result<LabelSelector, string> {
  if (sel === null || sel === undefined) return ok(NOTHING);
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, value]) => ({
    kind: 'in',
    key,
    values: [value],
  }));
  const exprs = sel.matchExpressions ?? [];
  for (let i = 0; i < exprs.length; i++) {
    const { key, operator } = exprs[i];
    const values = exprs[i].values ?? [];
    const where = `matchExpressions[${i}]`;
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return err(`${where}.values: must be non-empty when operator is ${operator}`);
        reqs.push({ kind: operator === 'In' ? 'in' : 'notIn', key, values: [...values] });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) return err(`${where}.values: must be empty when operator is ${operator}`);
        reqs.push({ kind: operator === 'Exists' ? 'exists' : 'doesNotExist', key });
        break;
      default:
        return err(`${where}.operator: "${operator}" is not a valid operator (In, NotIn, Exists, DoesNotExist)`);
    }
  }
  return finish(reqs, opts);
}

function matchesRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.kind) {
    case 'in':
      return has && r.values.includes(labels[r.key]);
    case 'notIn':
      return !has || !r.values.includes(labels[r.key]);
    case 'exists':
      return has;
    case 'doesNotExist':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(labels[r.key])) return false;
      const v = Number(labels[r.key]);
      return r.kind === 'gt' ? v > r.value : v < r.value;
    }
    default:
      return assertNever(r, 'label requirement');
  }
}

export function matchesLabels(sel: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (sel.matchNothing) return false;
  const ls = labels ?? {};
  return sel.requirements.every((r) => matchesRequirement(r, ls));
}

function formatRequirement(r: LabelRequirement): string {
  switch (r.kind) {
    case 'in':
      return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${[...r.values].sort().join(',')})`;
    case 'notIn':
      return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${[...r.values].sort().join(',')})`;
    case 'exists':
      return r.key;
    case 'doesNotExist':
      return `!${r.key}`;
    case 'gt':
      return `${r.key}>${r.value}`;
    case 'lt':
      return `${r.key}<${r.value}`;
    default:
      return assertNever(r, 'label requirement');
  }
}

/** The canonical string form (requirements sorted by key), which `parseLabelSelector` reads back. */
export function formatLabelSelector(sel: LabelSelector): string {
  return sel.requirements.map(formatRequirement).join(',');
}
