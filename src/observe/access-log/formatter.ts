/**
 * Compiles an access log format (Envoy's SubstitutionFormatString) once into a formatter:
 * text formats into a list of literal strings and value providers; JSON formats into a tree
 * that writes one object per line, keys sorted as Envoy writes them, values typed (a lone
 * operator gives a number, string, struct or null; an operator mixed with text gives a string).
 *
 * Unset values print `-` in text and `null` in JSON; with `omitEmptyValues` they print nothing
 * and JSON keys with no value are left out.
 */
import { hostname } from 'node:os';
import { err, ok, type Result } from '../../lib/result.ts';
import { type Clock, SYSTEM_CLOCK } from '../clock.ts';
import { buildCommand, type CompileContext, type LogValue, type ValueProvider } from './commands.ts';
import { ENVOY_DEFAULT_FORMAT } from './default-formats.ts';
import type { AccessLogEntry } from './entry.ts';
import type { FormatError } from './format-error.ts';
import { parseFormatString } from './format-parser.ts';

export type JsonFormatValue = string | number | boolean | null | readonly JsonFormatValue[] | { readonly [key: string]: JsonFormatValue };

/** Structurally the model's AccessLogFormat (`LogFormat` + `omitEmptyValues`). */
export interface AccessLogFormatSpec {
  readonly format?:
    | { readonly kind: 'textFormat'; readonly textFormat: string }
    | { readonly kind: 'jsonFormat'; readonly jsonFormat: { readonly [key: string]: JsonFormatValue } };
  readonly omitEmptyValues?: boolean;
}

export interface AccessLogFormatter {
  readonly contentType: 'text/plain' | 'application/json';
  /** One log line (the text format's own newline, if it has one; JSON adds `\n`). */
  format(entry: AccessLogEntry): string;
}

export interface CompileOptions {
  /** For `%EMIT_TIME%`. */
  readonly clock?: Clock;
  /** For `%ENVIRONMENT(X)%`, read at compile time. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** For `%HOSTNAME%`. */
  readonly hostname?: string;
}

interface Operator {
  readonly provider: ValueProvider;
  readonly maxLength: number | undefined;
}

type Part = string | Operator;

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/** JSON string literal; skips JSON.stringify for the common plain-ASCII case. */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function truncate(s: string, max: number | undefined): string {
  return max !== undefined && s.length > max ? s.slice(0, max) : s;
}

/** Text rendering of one operator value; '' stands for unset (the caller prints `-` or nothing). */
function textOf(op: Operator, e: AccessLogEntry): string {
  const v = op.provider(e);
  if (v === undefined) return '';
  if (typeof v === 'string') return truncate(v, op.maxLength);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // Structs print as JSON and are not truncated (Envoy's rule for metadata).
  return JSON.stringify(v);
}

function compileParts(text: string, ctx: CompileContext): Result<Part[], FormatError> {
  const parsed = parseFormatString(text);
  if (!parsed.ok) return parsed;
  const parts: Part[] = [];
  for (const seg of parsed.value) {
    if (seg.kind === 'literal') {
      parts.push(seg.text);
      continue;
    }
    const built = buildCommand(seg.command, seg.arg, seg.maxLength, ctx);
    if (!built.ok) return err({ message: built.error, position: seg.position });
    parts.push({ provider: built.value, maxLength: seg.maxLength });
  }
  return ok(parts);
}

function renderText(parts: readonly Part[], e: AccessLogEntry, empty: string): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'string') out += p;
    else {
      const s = textOf(p, e);
      out += s === '' ? empty : s;
    }
  }
  return out;
}

/** A compiled JSON value: writes its JSON text, or returns undefined for "no value". */
type JsonNode = (e: AccessLogEntry) => string | undefined;

function typedValue(op: Operator): JsonNode {
  return (e) => {
    const v: LogValue = op.provider(e);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return jsonString(truncate(v, op.maxLength));
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return JSON.stringify(v);
  };
}

function compileJson(
  value: JsonFormatValue,
  path: string,
  ctx: CompileContext,
  omitEmpty: boolean,
): Result<JsonNode, FormatError> {
  if (typeof value === 'string') {
    const parts = compileParts(value, ctx);
    if (!parts.ok) return err({ ...parts.error, jsonPath: path });
    const ps = parts.value;
    if (ps.length === 0) return ok(() => '""');
    if (ps.length === 1 && typeof ps[0] !== 'string') return ok(typedValue(ps[0]));
    const empty = omitEmpty ? '' : '-';
    return ok((e) => jsonString(renderText(ps, e, empty)));
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    const constant = JSON.stringify(value);
    return ok(() => constant);
  }
  if (Array.isArray(value)) {
    const items: JsonNode[] = [];
    for (let i = 0; i < value.length; i++) {
      const c = compileJson(value[i], `${path}[${i}]`, ctx, omitEmpty);
      if (!c.ok) return c;
      items.push(c.value);
    }
    return ok((e) => `[${items.map((n) => n(e) ?? 'null').join(',')}]`);
  }
  const obj = value as { readonly [key: string]: JsonFormatValue };
  const keys = Object.keys(obj).sort();
  const fields: [string, JsonNode][] = [];
  for (const k of keys) {
    const c = compileJson(obj[k], path === '' ? k : `${path}.${k}`, ctx, omitEmpty);
    if (!c.ok) return c;
    fields.push([`${JSON.stringify(k)}:`, c.value]);
  }
  return ok((e) => {
    let out = '{';
    let first = true;
    for (let i = 0; i < fields.length; i++) {
      const [key, node] = fields[i];
      let v = node(e);
      if (v === undefined) {
        if (omitEmpty) continue;
        v = 'null';
      }
      out += first ? key + v : `,${key}${v}`;
      first = false;
    }
    return `${out}}`;
  });
}

/** Compiles a format; an unknown command or bad argument is a FormatError (→ a Diagnostic). */
export function compileAccessLogFormat(
  spec: AccessLogFormatSpec = {},
  options: CompileOptions = {},
): Result<AccessLogFormatter, FormatError> {
  const ctx: CompileContext = {
    clock: options.clock ?? SYSTEM_CLOCK,
    env: options.env ?? process.env,
    hostname: options.hostname ?? hostname(),
  };
  const omitEmpty = spec.omitEmptyValues ?? false;
  const f = spec.format;
  if (f?.kind === 'jsonFormat') {
    const root = compileJson(f.jsonFormat, '', ctx, omitEmpty);
    if (!root.ok) return root;
    const node = root.value;
    return ok({ contentType: 'application/json', format: (e) => `${node(e) ?? '{}'}\n` });
  }
  const parts = compileParts(f === undefined ? ENVOY_DEFAULT_FORMAT : f.textFormat, ctx);
  if (!parts.ok) return parts;
  const ps = parts.value;
  const empty = omitEmpty ? '' : '-';
  return ok({ contentType: 'text/plain', format: (e) => renderText(ps, e, empty) });
}
