/**
 * YAML as kubectl reads it. kubectl decodes with go-yaml v2 (YAML 1.1 rules) and converts to JSON,
 * so weft does the same with the `yaml` package in 1.1 mode, minus what go-yaml v2 never did:
 *
 * - Booleans follow YAML 1.1: unquoted `yes/no`, `on/off`, `y/n` (any case variant go-yaml knows)
 *   are booleans, so a manifest means here what it means to kubectl. A string field given `on`
 *   fails validation in both places; the diagnostic's hint says to quote it.
 * - Leading-zero octals (`0755` → 493), `0x`/`0b` integers, `1_000`, merge keys (`<<: *base`) work.
 * - No sexagesimal numbers (`12:30` stays a string) and no timestamps (`2024-01-01` stays a string):
 *   go-yaml v2 has neither when decoding into JSON-like data.
 * - `!!binary`, `!!set`, `!!omap` and `!!pairs` are not resolved (JSON has no such values); their
 *   tags are reported as unresolved.
 *
 * Field positions come from the parsed nodes' ranges (`locateInYaml`).
 */
import { isAlias, isMap, isNode, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, DocumentOptions, ParseOptions, Pair, SchemaOptions, Tags, YAMLMap } from 'yaml';

const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
  'tag:yaml.org,2002:timestamp',
]);

const DROPPED_TAG_NAMES = new Set(['binary', 'omap', 'pairs', 'set', 'timestamp', 'intTime', 'floatTime']);

function kubectlTags(tags: Tags): Tags {
  return tags.filter((t) =>
    typeof t === 'string' ? !DROPPED_TAG_NAMES.has(t) : !DROPPED_TAGS.has(t.tag) && !('format' in t && t.format === 'TIME'),
  );
}

export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  customTags: kubectlTags,
};

export type ParsedDocument = Document.Parsed;

export function parseYamlDocuments(text: string): ParsedDocument[] {
  return [...parseAllDocuments(text, YAML_OPTIONS)];
}

/** Whether a document holds nothing (only comments, or an explicit null). */
export function isEmptyDocument(doc: ParsedDocument): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null);
}

/** How `toJS` names a mapping key, so a field path segment finds its pair. */
function keyName(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  return typeof v === 'symbol' ? undefined : String(v);
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

function deref(node: unknown, doc: ParsedDocument): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function findPair(map: YAMLMap, name: string, doc: ParsedDocument, depth: number): Pair | undefined {
  for (const pair of map.items) if (keyName(pair.key) === name) return pair;
  if (depth > 16) return undefined;
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const v = deref(pair.value, doc);
    const sources = isSeq(v) ? v.items.map((i) => deref(i, doc)) : [v];
    for (const s of sources) {
      const found = isMap(s) ? findPair(s, name, doc, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function startOf(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

/** Offset of the field at `path` under `doc`'s root (a key for map entries, an item start in lists). */
export function locateInYaml(doc: ParsedDocument, path: readonly (string | number)[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = startOf(node);
  for (const seg of path) {
    if (offset === undefined) return undefined;
    node = deref(node, doc);
    if (isMap(node) && typeof seg === 'string') {
      const pair = findPair(node, seg, doc, 0);
      if (!pair) return undefined;
      offset = startOf(pair.key) ?? startOf(pair.value);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      offset = startOf(node);
    } else {
      return undefined;
    }
  }
  return offset;
}
