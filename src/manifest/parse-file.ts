/**
 * One manifest file → its objects, each with an `ObjectSource`, plus syntax diagnostics.
 * Multi-document YAML; JSON (a file named `.json`, or any text that starts with `{` or `[` and
 * parses as JSON); a JSON array, a `kind: List` (or any `…List` with `items`, as kubectl flattens
 * them) become their items. Empty documents are skipped; a document with a syntax error is dropped
 * and reported, and the other documents of the file still load.
 */
import type { KubeObject } from '../api/object.ts';
import { DIAGNOSTIC_CODES } from '../lib/diagnostic.ts';
import type { Diagnostic, Severity } from '../lib/diagnostic.ts';
import { parseJsonDocument } from './json-document.ts';
import { LineIndex } from './line-index.ts';
import { createObjectSource } from './object-source.ts';
import type { Locate } from './object-source.ts';
import type { LoadResult, ManifestFile, ObjectSource } from './types.ts';
import { isEmptyDocument, locateInYaml, parseYamlDocuments } from './yaml-documents.ts';

type Path = (string | number)[];

interface Collector {
  readonly file: string;
  readonly lines: LineIndex;
  readonly documentIndex: number;
  readonly locate: Locate;
  readonly out: LoadResult;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isListObject(v: Record<string, unknown>): boolean {
  return v.kind === 'List' || (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items));
}

/** First value JSON cannot carry (`.inf`, `.nan`), as a path. */
function nonJsonValue(v: unknown, path: Path): Path | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : path;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = nonJsonValue(v[i], [...path, i]);
      if (p) return p;
    }
  } else if (isRecord(v)) {
    for (const [k, x] of Object.entries(v)) {
      const p = nonJsonValue(x, [...path, k]);
      if (p) return p;
    }
  }
  return undefined;
}

function diagnosticAt(source: ObjectSource, path: Path, code: string, message: string): Diagnostic {
  return { code, severity: 'error', message, position: source.positionOf(path) };
}

/** Adds the object(s) at `path` of the current document. */
function collect(c: Collector, value: unknown, path: Path): void {
  const source = createObjectSource(c.file, c.lines, c.documentIndex, path, c.locate);
  if (!isRecord(value)) {
    const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
    c.out.diagnostics.push(diagnosticAt(source, [], DIAGNOSTIC_CODES.NOT_AN_OBJECT, `a manifest must be an object (a YAML mapping), got ${got}`));
    return;
  }
  if (isListObject(value)) {
    const items = Array.isArray(value.items) ? value.items : [];
    items.forEach((item, i) => collect(c, item, [...path, 'items', i]));
    return;
  }
  const bad = nonJsonValue(value, []);
  if (bad) {
    c.out.diagnostics.push(diagnosticAt(source, bad, DIAGNOSTIC_CODES.INVALID_VALUE, 'value cannot be represented in JSON (infinite or NaN)'));
    return;
  }
  c.out.objects.push({ object: value as KubeObject, source });
}

/** What to do about the YAML parser's commonest complaints, by its error code. */
const YAML_HINTS: Readonly<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: 'a value that contains ": " must be quoted; otherwise check the indentation',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check the indentation and quote values that contain ": "',
  TAB_AS_INDENT: 'indent with spaces: YAML does not allow tabs for indentation',
  DUPLICATE_KEY: 'each key may appear only once in a mapping',
  BAD_INDENT: 'check the indentation of this line against the lines above',
  MISSING_CHAR: 'a quote or bracket is not closed',
};

function syntaxDiagnostic(file: string, lines: LineIndex, code: string, severity: Severity, offset: number, message: string, hint?: string): Diagnostic {
  const d: Diagnostic = { code, severity, message, position: { file, ...lines.position(offset) } };
  return hint === undefined ? d : { ...d, hint };
}

function parseYaml(file: ManifestFile, lines: LineIndex, out: LoadResult): void {
  const docs = parseYamlDocuments(file.content);
  docs.forEach((doc, documentIndex) => {
    for (const w of doc.warnings) out.diagnostics.push(syntaxDiagnostic(file.name, lines, DIAGNOSTIC_CODES.YAML_SYNTAX, 'warning', w.pos[0], w.message));
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        out.diagnostics.push(syntaxDiagnostic(file.name, lines, DIAGNOSTIC_CODES.YAML_SYNTAX, 'error', e.pos[0], e.message, YAML_HINTS[e.code]));
      }
      return;
    }
    if (isEmptyDocument(doc)) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      const at = doc.contents?.range?.[0] ?? 0;
      out.diagnostics.push(syntaxDiagnostic(file.name, lines, DIAGNOSTIC_CODES.YAML_SYNTAX, 'error', at, (e as Error).message));
      return;
    }
    collect({ file: file.name, lines, documentIndex, locate: (p) => locateInYaml(doc, p), out }, value, []);
  });
}

function looksLikeJson(content: string): boolean {
  const m = /^\uFEFF?\s*([[{])/.exec(content);
  return m !== null;
}

function collectJson(file: ManifestFile, lines: LineIndex, value: unknown, locate: Locate, out: LoadResult): void {
  const c: Collector = { file: file.name, lines, documentIndex: 0, locate, out };
  if (Array.isArray(value)) value.forEach((item, i) => collect(c, item, [i]));
  else collect(c, value, []);
}

export function parseManifestFile(file: ManifestFile): LoadResult {
  const out: LoadResult = { objects: [], diagnostics: [] };
  const lines = new LineIndex(file.content);
  const named = file.name.toLowerCase().endsWith('.json');
  if (named || looksLikeJson(file.content)) {
    const r = parseJsonDocument(file.content);
    if (r.ok) {
      collectJson(file, lines, r.doc.value, r.doc.locate, out);
      return out;
    }
    if (named) {
      out.diagnostics.push(syntaxDiagnostic(file.name, lines, DIAGNOSTIC_CODES.JSON_SYNTAX, 'error', r.offset, r.message));
      return out;
    }
    // Starts like JSON but is not: YAML flow style (`{a: 1}`) is YAML's to judge.
  }
  parseYaml(file, lines, out);
  return out;
}
