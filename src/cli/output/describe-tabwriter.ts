/**
 * Go's text/tabwriter as kubectl's describers configure it (`tabwriter.Init(buf, 0, 8, 2, ' ', 0)`):
 * tab-terminated cells, the text after a line's last tab is not part of any column, and a column
 * is as wide as its widest cell plus two spaces over each run of consecutive lines that have a
 * cell in it. A line with fewer cells ends the run, so alignment restarts after it, which is why
 * kubectl's `IPs:` block and the rows under `Conditions:` align on their own.
 */

const PADDING = 2;

/** Width of a cell in runes (Go counts UTF-8 runes, not bytes or UTF-16 units). */
function runeWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

class TabFormatter {
  readonly #lines: readonly (readonly string[])[];
  readonly #widths: number[] = [];
  readonly #out: string[] = [];

  constructor(lines: readonly (readonly string[])[]) {
    this.#lines = lines;
  }

  render(): string {
    this.#format(0, this.#lines.length);
    return this.#out.join('\n');
  }

  /** Go's `Writer.format`: finds each run of lines with a cell in the next column, recursively. */
  #format(line0: number, line1: number): void {
    const column = this.#widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= this.#lines[i].length - 1) continue;
      this.#writeLines(start, i);
      start = i;
      let width = 0;
      for (; i < line1; i++) {
        const line = this.#lines[i];
        if (column >= line.length - 1) break;
        width = Math.max(width, runeWidth(line[column]) + PADDING);
      }
      this.#widths.push(width);
      this.#format(start, i);
      this.#widths.pop();
      start = i;
    }
    this.#writeLines(start, line1);
  }

  #writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      let s = '';
      const line = this.#lines[i];
      for (let j = 0; j < line.length; j++) {
        s += line[j];
        if (j < this.#widths.length) s += ' '.repeat(this.#widths[j] - runeWidth(line[j]));
      }
      this.#out.push(s);
    }
  }
}

/** Aligns tab-separated text the way kubectl's `tabbedString` does. */
export function tabwrite(text: string): string {
  return new TabFormatter(text.split('\n').map((l) => l.split('\t'))).render();
}
