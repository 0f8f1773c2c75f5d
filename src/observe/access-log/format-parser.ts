/**
 * Splits an Envoy format string into literal text and command operators, with Envoy's grammar:
 * `%COMMAND%`, `%COMMAND(arg)%`, `%COMMAND(arg):N%` (N = truncation length), and `%%` for a
 * literal percent sign. Anything else starting with `%` is an error at its position.
 */
import { err, ok, type Result } from '../../lib/result.ts';
import type { FormatError } from './format-error.ts';

export type FormatSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | {
      readonly kind: 'command';
      readonly command: string;
      /** The text between the parentheses, or undefined when there were none. */
      readonly arg: string | undefined;
      readonly maxLength: number | undefined;
      /** Offset of the opening `%`. */
      readonly position: number;
    };

const COMMAND = /^%([A-Z0-9_]+)(?:\(([^)]*)\))?(?::([0-9]+))?%/;

export function parseFormatString(format: string): Result<FormatSegment[], FormatError> {
  const out: FormatSegment[] = [];
  let literal = '';
  for (let pos = 0; pos < format.length; ) {
    if (format[pos] !== '%') {
      literal += format[pos++];
      continue;
    }
    if (format[pos + 1] === '%') {
      literal += '%';
      pos += 2;
      continue;
    }
    const m = COMMAND.exec(format.slice(pos));
    if (m === null) {
      return err({ message: `Incorrect configuration: ${format}. Couldn't find valid command at position ${pos}`, position: pos });
    }
    if (literal !== '') out.push({ kind: 'literal', text: literal });
    literal = '';
    const maxLength = m[3] === undefined ? undefined : Number(m[3]);
    out.push({ kind: 'command', command: m[1], arg: m[2], maxLength, position: pos });
    pos += m[0].length;
  }
  if (literal !== '') out.push({ kind: 'literal', text: literal });
  return ok(out);
}
