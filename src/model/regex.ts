/**
 * RE2 (Envoy's `google_re2`) for the model: compiling a pattern and parsing an RE2 rewrite string,
 * as `Result`s, so `buildSnapshot` can report a bad regex as a Diagnostic and the data plane can
 * compile the same way. re2js implements RE2's syntax and linear-time matching in pure JS.
 */
import { RE2JS } from 're2js';
import { err, ok, type Result } from '../lib/result.ts';

export type Re2 = RE2JS;

export function compileRe2(pattern: string): Result<RE2JS, string> {
  try {
    return ok(RE2JS.compile(pattern));
  } catch (e) {
    return err(`invalid RE2 regex ${JSON.stringify(pattern)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A parsed substitution: literal text, or the number of a capture group (0 = the whole match). */
export type SubstitutionPart = string | number;

/**
 * Parses an RE2 rewrite string as RE2::Rewrite reads it: `\0`–`\9` insert a capture group, `\\`
 * inserts a backslash, any other backslash is an error, and every group named must exist.
 */
export function parseRe2Substitution(substitution: string, groupCount: number): Result<readonly SubstitutionPart[], string> {
  const parts: SubstitutionPart[] = [];
  let literal = '';
  for (let i = 0; i < substitution.length; i++) {
    const c = substitution[i];
    if (c !== '\\') {
      literal += c;
      continue;
    }
    const next = substitution[i + 1];
    i++;
    if (next === '\\') {
      literal += '\\';
    } else if (next !== undefined && next >= '0' && next <= '9') {
      const group = next.charCodeAt(0) - 48;
      if (group > groupCount) {
        return err(`substitution ${JSON.stringify(substitution)} refers to group \\${group}, but the pattern has ${groupCount}`);
      }
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(group);
    } else {
      return err(`substitution ${JSON.stringify(substitution)} has a backslash not followed by a digit or a backslash`);
    }
  }
  if (literal !== '') parts.push(literal);
  return ok(parts);
}
