/**
 * JSON with positions. `JSON.parse` neither keeps where values are nor reports errors the same way
 * on every Node version, so manifests in JSON go through this small recursive-descent parser: it
 * builds the same values, records the offset of every member key and array item, and stops at the
 * first syntax error with its offset. Duplicate keys are an error, as in strict decoding.
 */

export interface JsonDocument {
  readonly value: unknown;
  /** Offset of the field at `path` (its key for a member, its start for an item), or undefined. */
  locate(path: readonly (string | number)[]): number | undefined;
}

export type JsonParseResult = { readonly ok: true; readonly doc: JsonDocument } | { readonly ok: false; readonly offset: number; readonly message: string };

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

class JsonParser {
  readonly #s: string;
  #i: number;
  readonly offsets = new Map<string, number>();

  constructor(text: string) {
    this.#s = text;
    this.#i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  parse(): unknown {
    this.#ws();
    this.offsets.set('[]', this.#i);
    const v = this.#value([], 0);
    this.#ws();
    if (this.#i < this.#s.length) this.#fail('unexpected text after the JSON value');
    return v;
  }

  #fail(message: string, at = this.#i): never {
    throw new JsonSyntaxError(at, this.#i >= this.#s.length && at >= this.#s.length ? `unexpected end of input: ${message}` : message);
  }

  #ws(): void {
    while (this.#i < this.#s.length) {
      const c = this.#s.charCodeAt(this.#i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.#i++;
    }
  }

  #value(path: (string | number)[], depth: number): unknown {
    if (depth > MAX_DEPTH) this.#fail(`nested more than ${MAX_DEPTH} levels deep`);
    const c = this.#s[this.#i];
    if (c === '{') return this.#object(path, depth);
    if (c === '[') return this.#array(path, depth);
    if (c === '"') return this.#string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.#s.startsWith(word, this.#i)) {
        this.#i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.#i;
    const m = NUMBER.exec(this.#s);
    if (m && m[0] !== '-' && m[0].length > 0) {
      this.#i += m[0].length;
      return Number(m[0]);
    }
    return this.#fail(c === undefined ? 'expected a value' : `expected a value, found ${JSON.stringify(c)}`);
  }

  #string(): string {
    const start = this.#i;
    STRING_BODY.lastIndex = start + 1;
    const m = STRING_BODY.exec(this.#s);
    const end = start + 1 + (m ? m[0].length : 0);
    if (this.#s[end] !== '"') {
      if (end >= this.#s.length) this.#fail('unterminated string', start);
      this.#fail(this.#s[end] === '\\' ? 'invalid escape sequence in string' : 'control character in string', end);
    }
    this.#i = end + 1;
    return JSON.parse(this.#s.slice(start, end + 1)) as string;
  }

  #object(path: (string | number)[], depth: number): Record<string, unknown> {
    this.#i++;
    const out: Record<string, unknown> = {};
    this.#ws();
    if (this.#s[this.#i] === '}') {
      this.#i++;
      return out;
    }
    for (;;) {
      this.#ws();
      if (this.#s[this.#i] !== '"') this.#fail('expected a string key');
      const keyAt = this.#i;
      const key = this.#string();
      if (Object.hasOwn(out, key)) this.#fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      this.#ws();
      if (this.#s[this.#i] !== ':') this.#fail("expected ':' after the key");
      this.#i++;
      this.#ws();
      const childPath = [...path, key];
      this.offsets.set(JSON.stringify(childPath), keyAt);
      Object.defineProperty(out, key, { value: this.#value(childPath, depth + 1), enumerable: true, writable: true, configurable: true });
      this.#ws();
      const c = this.#s[this.#i];
      this.#i++;
      if (c === '}') return out;
      if (c !== ',') this.#fail("expected ',' or '}'", this.#i - 1);
    }
  }

  #array(path: (string | number)[], depth: number): unknown[] {
    this.#i++;
    const out: unknown[] = [];
    this.#ws();
    if (this.#s[this.#i] === ']') {
      this.#i++;
      return out;
    }
    for (;;) {
      this.#ws();
      const childPath = [...path, out.length];
      this.offsets.set(JSON.stringify(childPath), this.#i);
      out.push(this.#value(childPath, depth + 1));
      this.#ws();
      const c = this.#s[this.#i];
      this.#i++;
      if (c === ']') return out;
      if (c !== ',') this.#fail("expected ',' or ']'", this.#i - 1);
    }
  }
}

export function parseJsonDocument(text: string): JsonParseResult {
  const p = new JsonParser(text);
  try {
    const value = p.parse();
    const offsets = p.offsets;
    return { ok: true, doc: { value, locate: (path) => offsets.get(JSON.stringify(path)) } };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, offset: Math.min(e.offset, text.length), message: e.message };
    throw e;
  }
}
