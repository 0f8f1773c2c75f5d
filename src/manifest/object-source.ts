/** `ObjectSource` over any parsed text that can say where a path is (YAML nodes, JSON offsets). */
import type { SourcePosition } from '../lib/diagnostic.ts';
import type { LineIndex } from './line-index.ts';
import type { ObjectSource } from './types.ts';

export type Locate = (path: readonly (string | number)[]) => number | undefined;

/**
 * `basePath` is where the object sits in its document (`[]`, or `['items', 3]` for an item of a
 * `kind: List`); `locate` answers for paths from the document's root.
 */
export function createObjectSource(
  file: string,
  lines: LineIndex,
  documentIndex: number,
  basePath: readonly (string | number)[],
  locate: Locate,
): ObjectSource {
  const at = (offset: number): SourcePosition => ({ file, ...lines.position(offset) });
  const start = at(locate(basePath) ?? 0);
  return {
    file,
    line: start.line,
    column: start.column,
    documentIndex,
    positionOf(path) {
      for (let n = path.length; n > 0; n--) {
        const offset = locate([...basePath, ...path.slice(0, n)]);
        if (offset !== undefined) return at(offset);
      }
      return { file, line: start.line, column: start.column };
    },
  };
}
