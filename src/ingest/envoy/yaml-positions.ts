/**
 * Parses one YAML (or JSON) document and answers where each field is, as `ObjectSource.positionOf`
 * does for manifests: a mapping entry's key, a list item's start, and for a path that does not
 * exist, its nearest existing ancestor. Used for Envoy bootstrap files, which weft reads itself.
 *
 * YAML 1.1 scalars (`yes`/`on` are booleans), as Envoy's own YAML loader reads them; but no
 * timestamps, binary, sets or ordered maps: a JSON value is what Envoy converts YAML to.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Tags } from 'yaml';
import type { SourcePosition } from '../../lib/diagnostic.ts';
import type { FieldPath } from './decode-sink.ts';

export interface YamlParseResult {
  readonly value: unknown;
  readonly positionOf: (path: FieldPath) => SourcePosition;
  /** Syntax errors, each with its position. */
  readonly errors: readonly { readonly message: string; readonly position: SourcePosition }[];
}

const NON_JSON_TAGS = new Set(['binary', 'omap', 'pairs', 'set', 'timestamp']);

function jsonTags(tags: Tags): Tags {
  return tags.filter((t) => (typeof t === 'string' ? !NON_JSON_TAGS.has(t) : !NON_JSON_TAGS.has(t.tag.replace('tag:yaml.org,2002:', ''))));
}

function keyName(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

export function parseYamlWithPositions(text: string, file: string): YamlParseResult {
  const lineCounter = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, {
    version: '1.1',
    customTags: jsonTags,
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const at = (offset: number): SourcePosition => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  const errors = doc.errors.map((e) => ({ message: e.message.split('\n')[0], position: at(e.pos[0]) }));

  /** Offset of the path's field, or undefined when it does not exist. */
  const locate = (path: FieldPath): number | undefined => {
    let node: unknown = doc.contents;
    let offset = (node as Node | null)?.range?.[0] ?? 0;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => keyName(p.key) === String(seg));
        if (!pair) return undefined;
        offset = (pair.key as Node | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) return undefined;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else {
        return undefined;
      }
    }
    return offset;
  };

  return {
    value: errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 1000 }),
    positionOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const offset = locate(path.slice(0, n));
        if (offset !== undefined) return at(offset);
      }
      return at(0);
    },
    errors,
  };
}
