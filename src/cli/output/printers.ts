/** `-o` formats of `weft get`: kubectl-like tables, json, yaml, name and jsonpath. */
import { stringify } from 'yaml';
import type { KindInfo } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/object.ts';
import { CliExit, EXIT_USAGE } from '../exit-codes.ts';
import { columnsFor } from './columns.ts';
import { compileJsonPath, JsonPathError } from './jsonpath.ts';

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; render: (data: unknown) => string };

export function parseOutputFlag(flag: string | undefined): OutputFormat {
  if (flag === undefined || flag === '') return { kind: 'table', wide: false };
  if (flag === 'wide') return { kind: 'table', wide: true };
  if (flag === 'json' || flag === 'yaml' || flag === 'name') return { kind: flag };
  const m = /^jsonpath(?:-as-json)?=(.*)$/s.exec(flag);
  if (m) {
    try {
      return { kind: 'jsonpath', render: compileJsonPath(m[1]) };
    } catch (e) {
      throw new CliExit(EXIT_USAGE, `error: error parsing jsonpath ${m[1]}: ${(e as Error).message}`);
    }
  }
  throw new CliExit(
    EXIT_USAGE,
    `error: unable to match a printer suitable for the output format "${flag}", allowed formats are: json,jsonpath,name,wide,yaml`,
  );
}

export interface KindGroup {
  readonly info: KindInfo;
  readonly items: readonly KubeObject[];
}

export interface PrintOptions {
  /** A single named object was asked for: json/yaml print the object, not a List. */
  readonly single: boolean;
  readonly allNamespaces: boolean;
  /** Several kinds were asked for: names are prefixed with the kind, as kubectl does. */
  readonly multiKind: boolean;
  readonly now: Date;
}

export function printGroups(groups: readonly KindGroup[], fmt: OutputFormat, opts: PrintOptions): string {
  const all = groups.flatMap((g) => g.items);
  switch (fmt.kind) {
    case 'json':
      return `${JSON.stringify(opts.single ? all[0] : asList(all), null, 4)}\n`;
    case 'yaml':
      return stringify(opts.single ? all[0] : asList(all), { lineWidth: 0 });
    case 'jsonpath':
      try {
        return fmt.render(opts.single ? all[0] : asList(all));
      } catch (e) {
        if (e instanceof JsonPathError) throw new CliExit(1, `error: error executing jsonpath: ${e.message}`);
        throw e;
      }
    case 'name':
      return groups
        .flatMap((g) => g.items.map((o) => `${g.info.singular}${g.info.group ? `.${g.info.group}` : ''}/${o.metadata.name}\n`))
        .join('');
    case 'table':
      return groups
        .filter((g) => g.items.length > 0)
        .map((g) => table(g, fmt.wide, opts))
        .join('\n');
  }
}

function asList(items: readonly KubeObject[]) {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

function table(g: KindGroup, wide: boolean, opts: PrintOptions): string {
  const all = columnsFor(g.info.group, g.info.kind).filter((c) => wide || !c.wide);
  const allCells = g.items.map((o) => all.map((c) => c.get(o, opts.now, wide)));
  // A sparse column (weft's own addition to kubectl's) shows only when some row fills it.
  const keep = all.map((c, i) => !c.sparse || allCells.some((row) => row[i] !== ''));
  const cols = all.filter((_, i) => keep[i]);
  const withNs = opts.allNamespaces && g.info.namespaced;
  const header = [...(withNs ? ['NAMESPACE'] : []), 'NAME', ...cols.map((c) => c.header)];
  const prefix = opts.multiKind ? `${g.info.singular}${g.info.group ? `.${g.info.group}` : ''}/` : '';
  const rows = g.items.map((o, r) => [
    ...(withNs ? [o.metadata.namespace ?? ''] : []),
    prefix + o.metadata.name,
    ...allCells[r].filter((_, i) => keep[i]).map((cell, i) => (cell === '' && cols[i].sparse ? '<none>' : cell)),
  ]);
  return formatTable([header, ...rows]);
}

/** kubectl's tabwriter settings (k8s.io/cli-runtime printers): minimum cell width and padding. */
const MIN_WIDTH = 6;
const PADDING = 3;

/** Left-aligned columns as kubectl's tabwriter prints them (padding 3, cells at least 6 wide). */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? MIN_WIDTH, cell.length + PADDING)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('')).join('\n') + '\n';
}
