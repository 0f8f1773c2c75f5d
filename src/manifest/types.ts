/** The shapes the manifest loader hands to the rest of weft (the folder's public surface). */
import type { KubeObject } from '../api/object.ts';
import type { Diagnostic, SourcePosition } from '../lib/diagnostic.ts';

/** One input text: a file, stdin, or a document sent to the API. */
export interface ManifestFile {
  /** Name as the user gave it (relative paths stay relative), or `<stdin>`. */
  name: string;
  content: string;
}

/** Where an object came from, and where each of its fields is. */
export interface ObjectSource {
  /** Where the object (its document, or its item in a list) starts; 1-based. */
  file: string;
  line: number;
  column: number;
  /** 0-based index of the YAML document in the file (items of one `kind: List` share it). */
  documentIndex: number;
  /**
   * Position of the field at `path` inside the object (`['spec', 'ports', 0, 'port']`): where its
   * key is written for a mapping entry, where the item starts for a list item. A path that does not
   * exist gets the position of its nearest existing ancestor.
   */
  positionOf(path: readonly (string | number)[]): SourcePosition;
}

export interface SourcedObject {
  object: KubeObject;
  source?: ObjectSource;
}

export interface LoadResult {
  objects: SourcedObject[];
  diagnostics: Diagnostic[];
}
