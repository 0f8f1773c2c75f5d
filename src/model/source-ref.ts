import type { SourcePosition } from '../lib/diagnostic.ts';

/**
 * Provenance (STYLE.md §5): the manifest object a model resource came from. Every top-level
 * resource carries `sources`, so diagnostics, config dumps and status can name the user's object.
 * A resource merged from several objects lists each of them.
 */
export interface SourceRef {
  /** Manifest kind, e.g. `CiliumEnvoyConfig`, `HTTPRoute`, or `Bootstrap` for a `--bootstrap` file. */
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Where inside that object the resource was written, e.g. `spec.resources[2]`. */
  readonly field?: string;
  /** Where in a file the object (or `field`) starts, when it came from a file. */
  readonly position?: SourcePosition;
}
