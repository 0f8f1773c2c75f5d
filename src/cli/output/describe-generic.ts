/**
 * kubectl's generic describer (genericDescriber, printUnstructuredContent and smartLabelFor in
 * k8s.io/kubectl pkg/describe/describe.go), which it uses for every kind without a describer of
 * its own (CRDs such as CiliumEnvoyConfig): Name, Namespace, Labels, Annotations, then the rest of
 * the object with keys sorted and spelled as labels (`apiVersion` → `API Version`), maps and lists
 * indented by level. A CiliumEnvoyConfig's status conditions print as their Type, Status, Reason
 * and Message lines.
 */
import type { KubeObject } from '../../api/object.ts';
import { describeNoEvents, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './describe-writer.ts';

const SKIPPED = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

type CharClass = 'lower' | 'upper' | 'digit' | 'other';

function classOf(ch: string): CharClass {
  if (/\p{Ll}/u.test(ch)) return 'lower';
  if (/\p{Lu}/u.test(ch)) return 'upper';
  if (/\p{Nd}/u.test(ch)) return 'digit';
  return 'other';
}

/** github.com/fatih/camelcase Split: runs of one character class, `PDFLoader` → `PDF`, `Loader`. */
export function splitCamelCase(src: string): string[] {
  const runs: string[][] = [];
  let last: CharClass | undefined;
  for (const ch of src) {
    const c = classOf(ch);
    if (c === last) runs[runs.length - 1].push(ch);
    else runs.push([ch]);
    last = c;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (classOf(runs[i][0]) === 'upper' && classOf(runs[i + 1][0]) === 'lower') {
      runs[i + 1].unshift(runs[i].pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** smartLabelFor: `resourceVersion` → `Resource Version`; keys with characters other than letters and '-' stay as they are. */
export function smartLabelFor(field: string): string {
  if ([...field].some((ch) => ch !== '-' && !/\p{L}/u.test(ch))) return field;
  return splitCamelCase(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

/** Go's %v of a float64 in the forms JSON numbers take (shortest repr, exponent below 1e-4 and from 1e21). */
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    const [mant, exp] = n.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(n);
}

/** Go's %v of a decoded JSON value (nested lists print as `[a b]`, maps as `map[k:v]`). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${sortedKeys(o)
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** printUnstructuredContent: sorted keys; maps and lists of maps nest one level deeper. */
export function printUnstructuredContent(w: PrefixWriter, level: number, content: Record<string, unknown>, skipPrefix: string): void {
  for (const field of sortedKeys(content)) {
    const path = `${skipPrefix}.${field}`;
    if (SKIPPED.has(path)) continue;
    const value = content[field];
    if (isMap(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (isMap(child)) printUnstructuredContent(w, level + 1, child, path);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goValue(value)}\n`);
    }
  }
}

/** The text `kubectl describe` prints for an object of a kind without a describer of its own. */
export function describeGeneric(obj: KubeObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  w.write(0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', obj.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
  printUnstructuredContent(w, 0, obj as Record<string, unknown>, '');
  describeNoEvents(w);
  return w.render();
}
