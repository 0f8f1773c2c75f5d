/**
 * The building blocks of kubectl's describers (k8s.io/kubectl pkg/describe/describe.go): a
 * PrefixWriter that indents by two spaces per level, the multi-line label, annotation and
 * toleration printers, `<none>` for empty values, RFC 1123 times, and the final tab alignment.
 */
import { humanDuration } from './human-duration.ts';
import { tabwrite } from './describe-tabwriter.ts';

/** What a describer needs besides the objects: the clock and the time zone times are shown in. */
export interface DescribeContext {
  readonly now: Date;
  /** Minutes east of UTC at that instant (kubectl prints times in the local zone). */
  readonly utcOffsetMinutes: (at: Date) => number;
}

export function localDescribeContext(now: Date = new Date()): DescribeContext {
  return { now, utcOffsetMinutes: (at) => -at.getTimezoneOffset() };
}

/** kubectl's terminal escaping (cli-runtime printers.WriteEscaped). */
function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

export class PrefixWriter {
  #buf = '';

  /** Writes `text` after two spaces per level (only before the text, not after its newlines). */
  write(level: number, text: string): void {
    this.#buf += escapeTerminal('  '.repeat(level) + text);
  }

  /** Writes `text` and a newline, with no indentation. */
  writeLine(text: string): void {
    this.#buf += escapeTerminal(`${text}\n`);
  }

  /** The aligned output (kubectl's `tabbedString`). */
  render(): string {
    return tabwrite(this.#buf);
  }
}

export function stringOrNone(s: string | undefined | null): string {
  return s === undefined || s === null || s === '' ? '<none>' : s;
}

/** printLabelsMultiline: one `k=v` per line, sorted, aligned under the first (a template's title carries its indent). */
export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Readonly<Record<string, string>> | undefined | null): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${key}=${labels![key]}\n`);
  });
}

const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** printAnnotationsMultiline: long or multi-line values go on their own indented lines. */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Readonly<Record<string, string>> | undefined | null): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIPPED_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, indent);
    const raw = String(annotations![key]);
    const value = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/** printTolerationsMultilineWithIndent: `key=value:Effect op=Exists for Ns`, sorted by key. */
export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: readonly Toleration[] | undefined): void {
  w.write(0, `${title}:\t`);
  const list = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (list.length === 0) {
    w.writeLine('<none>');
    return;
  }
  list.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (typeof t.tolerationSeconds === 'number') s += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${s}\n`);
  });
}

/** weft keeps no Events: every describer ends as kubectl's does for an object without any. */
export function describeNoEvents(w: PrefixWriter): void {
  w.write(0, 'Events:\t<none>\n');
}

/** The `Kind/name` of an object's controller owner reference, or ''. */
export function controllerOf(owners: readonly { kind?: string; name?: string; controller?: boolean }[] | undefined): string {
  const ref = (owners ?? []).find((o) => o.controller === true);
  return ref ? `${ref.kind ?? ''}/${ref.name ?? ''}` : '';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Go's time.RFC1123Z (`Mon, 02 Jan 2006 15:04:05 -0700`) in the context's zone; '' for no time. */
export function formatRfc1123z(iso: string | undefined | null, ctx: DescribeContext): string {
  const at = iso ? new Date(iso) : undefined;
  // A zero metav1.Time prints as Go's zero time; weft never stores one, so print nothing instead.
  if (at === undefined || Number.isNaN(at.getTime())) return '';
  const offset = ctx.utcOffsetMinutes(at);
  const t = new Date(at.getTime() + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${DAYS[t.getUTCDay()]}, ${pad2(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ` +
    `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())} ${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
  );
}

/** translateTimestampSince: the age of a timestamp, `<unknown>` without one. */
export function timestampSince(iso: string | undefined | null, ctx: DescribeContext): string {
  const at = iso ? new Date(iso) : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) return '<unknown>';
  return humanDuration(ctx.now.getTime() - at.getTime());
}
