/**
 * kubectl's JSONPath templates (`-o jsonpath=...`): `{.items[0].metadata.name}`, `{.items[*].spec.x}`
 * (results joined by spaces), `{range .items[*]}{.metadata.name}{"\n"}{end}`, filters
 * `[?(@.type=="Ready")]`, slices, `..name` recursive descent, quoted literals. A template without
 * braces is wrapped in one, as kubectl's relaxed parsing does.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'recursive'; name: string | undefined }
  | { kind: 'filter'; left: Path; op?: string; right?: Path | string | number | boolean };

interface Path {
  /** `$...` starts at the document root; everything else at the current item (the root outside a range). */
  readonly fromRoot: boolean;
  readonly steps: readonly Step[];
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; path: Path }
  | { kind: 'range'; path: Path; body: Node[] };

export class JsonPathError extends Error {}

export function compileJsonPath(template: string): (data: unknown) => string {
  const tpl = template.includes('{') ? template : `{${template}}`;
  const nodes = parseTemplate(tpl);
  return (data) => render(nodes, data, data);
}

function parseTemplate(tpl: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1].push({ kind: 'text', text: tpl.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1].push({ kind: 'text', text: tpl.slice(i, open) });
    const close = findClose(tpl, open);
    const inner = tpl.slice(open + 1, close).trim();
    i = close + 1;
    if (inner.startsWith('range ')) {
      const node: Node = { kind: 'range', path: parsePath(inner.slice(6).trim()), body: [] };
      stack[stack.length - 1].push(node);
      stack.push(node.body);
    } else if (inner === 'end') {
      if (stack.length === 1) throw new JsonPathError('unexpected {end}');
      stack.pop();
    } else if (inner.startsWith('"') || inner.startsWith("'")) {
      stack[stack.length - 1].push({ kind: 'text', text: unquote(inner) });
    } else {
      stack[stack.length - 1].push({ kind: 'expr', path: parsePath(inner) });
    }
  }
  if (stack.length !== 1) throw new JsonPathError('{range} without {end}');
  return root;
}

function findClose(s: string, open: number): number {
  let quote: string | undefined;
  for (let j = open + 1; j < s.length; j++) {
    const c = s[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return j;
  }
  throw new JsonPathError(`unclosed { in template at ${open}`);
}

function unquote(s: string): string {
  const q = s[0];
  const body = s.slice(1, s.lastIndexOf(q));
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

function parsePath(src: string): Path {
  let s = src.trim();
  let fromRoot = false;
  if (s.startsWith('$')) {
    fromRoot = true;
    s = s.slice(1);
  } else if (s.startsWith('@')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  const ident = () => {
    const m = /^[^.[\]\s()=!<>]+/.exec(s.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      i += 2;
      const name = s[i] === '*' ? (i++, undefined) : ident();
      steps.push({ kind: 'recursive', name });
    } else if (s[i] === '.') {
      i++;
      if (s[i] === '*') {
        i++;
        steps.push({ kind: 'wildcard' });
      } else {
        const name = ident();
        if (name !== undefined) steps.push({ kind: 'field', name });
      }
    } else if (s[i] === '[') {
      const close = matchBracket(s, i);
      steps.push(parseBracket(s.slice(i + 1, close).trim()));
      i = close + 1;
    } else {
      const name = ident();
      if (name === undefined) throw new JsonPathError(`unexpected "${s.slice(i)}" in ${src}`);
      steps.push({ kind: 'field', name });
    }
  }
  return { fromRoot, steps };
}

function matchBracket(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j;
  }
  throw new JsonPathError(`unclosed [ in ${s}`);
}

function parseBracket(inner: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  if (inner.startsWith('?(') && inner.endsWith(')')) {
    const expr = inner.slice(2, -1).trim();
    const m = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/.exec(expr);
    if (!m) return { kind: 'filter', left: parsePath(expr) };
    return { kind: 'filter', left: parsePath(m[1]), op: m[2], right: parseOperand(m[3].trim()) };
  }
  if (inner.startsWith("'") || inner.startsWith('"')) return { kind: 'field', name: unquote(inner) };
  if (inner.includes(':')) {
    const [a, b, c] = inner.split(':').map((x) => (x.trim() === '' ? undefined : Number(x)));
    return { kind: 'slice', start: a, end: b, step: c };
  }
  const n = Number(inner);
  if (!Number.isInteger(n)) throw new JsonPathError(`bad index [${inner}]`);
  return { kind: 'index', index: n };
}

function parseOperand(s: string): Path | string | number | boolean {
  if (s.startsWith('"') || s.startsWith("'")) return unquote(s);
  if (s === 'true' || s === 'false') return s === 'true';
  if (s !== '' && !Number.isNaN(Number(s))) return Number(s);
  return parsePath(s);
}

function evaluate(path: Path, root: unknown, current: unknown): unknown[] {
  let values: unknown[] = [path.fromRoot ? root : current];
  for (const step of path.steps) {
    const next: unknown[] = [];
    for (const v of values) applyStep(step, v, root, next);
    values = next;
  }
  return values;
}

function applyStep(step: Step, v: unknown, root: unknown, out: unknown[]): void {
  switch (step.kind) {
    case 'field':
      if (v && typeof v === 'object' && !Array.isArray(v) && step.name in v) out.push((v as Record<string, unknown>)[step.name]);
      return;
    case 'wildcard':
      if (Array.isArray(v)) out.push(...v);
      else if (v && typeof v === 'object') out.push(...Object.values(v));
      return;
    case 'index':
      if (Array.isArray(v)) {
        const i = step.index < 0 ? v.length + step.index : step.index;
        if (i >= 0 && i < v.length) out.push(v[i]);
        else throw new JsonPathError(`array index out of bounds: index ${step.index}, length ${v.length}`);
      }
      return;
    case 'slice':
      if (Array.isArray(v)) {
        const len = v.length;
        const norm = (x: number | undefined, d: number) => (x === undefined ? d : x < 0 ? Math.max(0, len + x) : Math.min(x, len));
        const by = step.step ?? 1;
        for (let i = norm(step.start, 0); i < norm(step.end, len); i += by) out.push(v[i]);
      }
      return;
    case 'recursive': {
      const visit = (x: unknown) => {
        if (!x || typeof x !== 'object') return;
        if (step.name === undefined) out.push(...(Array.isArray(x) ? x : Object.values(x)));
        else if (!Array.isArray(x) && step.name in x) out.push((x as Record<string, unknown>)[step.name]);
        for (const c of Array.isArray(x) ? x : Object.values(x)) visit(c);
      };
      visit(v);
      return;
    }
    case 'filter': {
      const items = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [];
      for (const item of items) if (filterMatches(step, item, root)) out.push(item);
      return;
    }
  }
}

function filterMatches(step: Extract<Step, { kind: 'filter' }>, item: unknown, root: unknown): boolean {
  const left = evaluate(step.left, root, item);
  if (step.op === undefined) return left.length > 0 && left[0] !== undefined && left[0] !== null && left[0] !== false;
  const right = typeof step.right === 'object' ? evaluate(step.right, root, item)[0] : step.right;
  const l = left[0];
  switch (step.op) {
    case '==':
      return String(l) === String(right);
    case '!=':
      return String(l) !== String(right);
    case '<':
      return Number(l) < Number(right);
    case '>':
      return Number(l) > Number(right);
    case '<=':
      return Number(l) <= Number(right);
    case '>=':
      return Number(l) >= Number(right);
    default:
      return false;
  }
}

function format(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function render(nodes: readonly Node[], root: unknown, current: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'expr') out += evaluate(n.path, root, current).map(format).join(' ');
    else for (const item of evaluate(n.path, root, current)) out += render(n.body, root, item);
  }
  return out;
}
