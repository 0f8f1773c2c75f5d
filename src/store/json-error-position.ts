/**
 * Where a JSON text first goes wrong, as a 0-based offset (with line and column for people).
 * V8's JSON.parse messages name a position only for some errors and their wording differs between
 * Node versions, so the load warnings locate the error themselves with this small scanner. It is
 * only run on text that JSON.parse already rejected.
 */
export interface JsonErrorPosition {
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

class Stop extends Error {
  constructor(readonly at: number) {
    super('json syntax');
  }
}

const LITERALS = ['true', 'false', 'null'];

class JsonScanner {
  #s: string;
  #i = 0;

  constructor(s: string) {
    this.#s = s;
  }

  /** Offset of the first error, or undefined when the text is valid JSON (or too deep to scan). */
  scan(): number | undefined {
    try {
      this.#ws();
      this.#value();
      this.#ws();
      if (this.#i < this.#s.length) throw new Stop(this.#i);
      return undefined;
    } catch (e) {
      if (e instanceof Stop) return e.at;
      if (e instanceof RangeError) return undefined; // nested too deep to scan; the caller falls back
      throw e;
    }
  }

  #ws(): void {
    while (this.#i < this.#s.length && ' \t\n\r'.includes(this.#s[this.#i])) this.#i++;
  }

  #expect(c: string): void {
    if (this.#s[this.#i] !== c) throw new Stop(this.#i);
    this.#i++;
  }

  #value(): void {
    const c = this.#s[this.#i];
    if (c === '{') return this.#container('}', true);
    if (c === '[') return this.#container(']', false);
    if (c === '"') return this.#string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.#number();
    const lit = LITERALS.find((l) => l[0] === c);
    if (lit === undefined) throw new Stop(this.#i);
    for (const ch of lit) this.#expect(ch);
  }

  #container(close: string, isObject: boolean): void {
    this.#i++;
    this.#ws();
    if (this.#s[this.#i] === close) {
      this.#i++;
      return;
    }
    for (;;) {
      this.#ws();
      if (isObject) {
        this.#string();
        this.#ws();
        this.#expect(':');
        this.#ws();
      }
      this.#value();
      this.#ws();
      if (this.#s[this.#i] === ',') {
        this.#i++;
        continue;
      }
      this.#expect(close);
      return;
    }
  }

  #string(): void {
    this.#expect('"');
    for (;;) {
      if (this.#i >= this.#s.length) throw new Stop(this.#i);
      const c = this.#s[this.#i];
      if (c === '"') {
        this.#i++;
        return;
      }
      if (c.charCodeAt(0) < 0x20) throw new Stop(this.#i);
      if (c === '\\') {
        const e = this.#s[this.#i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.#s.slice(this.#i + 2, this.#i + 6))) throw new Stop(this.#i + 2);
          this.#i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new Stop(this.#i + 1);
        this.#i += 2;
        continue;
      }
      this.#i++;
    }
  }

  #digits(): void {
    const start = this.#i;
    while (this.#s[this.#i] >= '0' && this.#s[this.#i] <= '9') this.#i++;
    if (this.#i === start) throw new Stop(this.#i);
  }

  #number(): void {
    if (this.#s[this.#i] === '-') this.#i++;
    if (this.#s[this.#i] === '0') this.#i++;
    else this.#digits();
    if (this.#s[this.#i] === '.') {
      this.#i++;
      this.#digits();
    }
    if (this.#s[this.#i] === 'e' || this.#s[this.#i] === 'E') {
      this.#i++;
      if (this.#s[this.#i] === '+' || this.#s[this.#i] === '-') this.#i++;
      this.#digits();
    }
  }
}

/** The first syntax error in `text`, or undefined if it is valid JSON or cannot be located. */
export function locateJsonError(text: string): JsonErrorPosition | undefined {
  const offset = new JsonScanner(text).scan();
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { offset, line, column: offset - before.lastIndexOf('\n') };
}
