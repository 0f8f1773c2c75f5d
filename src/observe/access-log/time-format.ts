/**
 * `%START_TIME(...)%` formats: the strftime subset absl::FormatTime understands plus Envoy's own
 * `%s` (epoch seconds) and `%f` / `%1f`…`%9f` (fraction of a second), compiled once into a list
 * of parts. Without a format, Envoy prints `2016-04-15T20:17:00.310Z` (UTC, milliseconds); that
 * default is rendered from a per-second cache, so most lines only format three digits.
 */

export type TimeFormatter = (epochMs: number) => string;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Fields {
  readonly epochMs: number;
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  /** Minutes east of UTC. */
  readonly offsetMin: number;
  readonly local: boolean;
}

function fieldsOf(epochMs: number, local: boolean): Fields {
  const d = new Date(Math.floor(epochMs));
  return local
    ? {
        epochMs,
        year: d.getFullYear(),
        month: d.getMonth() + 1,
        day: d.getDate(),
        hour: d.getHours(),
        minute: d.getMinutes(),
        second: d.getSeconds(),
        weekday: d.getDay(),
        offsetMin: -d.getTimezoneOffset(),
        local,
      }
    : {
        epochMs,
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
        weekday: d.getUTCDay(),
        offsetMin: 0,
        local,
      };
}

function pad(n: number, width: number, fill = '0'): string {
  return String(n).padStart(width, fill);
}

/** Nanoseconds within the second, from a (possibly fractional) epoch ms. */
function nanosOf(epochMs: number): number {
  const ms = epochMs - Math.floor(epochMs / 1000) * 1000;
  return Math.min(999_999_999, Math.round(ms * 1e6));
}

function fraction(epochMs: number, digits: number): string {
  return pad(Math.floor(nanosOf(epochMs) / 10 ** (9 - digits)), digits);
}

function offset(f: Fields, colon: boolean): string {
  const sign = f.offsetMin < 0 ? '-' : '+';
  const a = Math.abs(f.offsetMin);
  return `${sign}${pad(Math.floor(a / 60), 2)}${colon ? ':' : ''}${pad(a % 60, 2)}`;
}

function zoneName(f: Fields): string {
  if (!f.local) return 'UTC';
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(new Date(Math.floor(f.epochMs)))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? offset(f, false);
}

function dayOfYear(f: Fields): number {
  return Math.floor((Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1;
}

type Part = string | ((f: Fields) => string);

/** One conversion after `%` at `i` (pointing past the `%`); returns the part and the next index. */
function conversion(spec: string, i: number): [Part, number, boolean] {
  const c = spec[i];
  const h12 = (f: Fields): number => (f.hour % 12 === 0 ? 12 : f.hour % 12);
  const simple: Record<string, (f: Fields) => string> = {
    Y: (f) => String(f.year),
    C: (f) => pad(Math.floor(f.year / 100), 2),
    y: (f) => pad(f.year % 100, 2),
    m: (f) => pad(f.month, 2),
    d: (f) => pad(f.day, 2),
    e: (f) => pad(f.day, 2, ' '),
    H: (f) => pad(f.hour, 2),
    I: (f) => pad(h12(f), 2),
    M: (f) => pad(f.minute, 2),
    S: (f) => pad(f.second, 2),
    p: (f) => (f.hour < 12 ? 'AM' : 'PM'),
    j: (f) => pad(dayOfYear(f), 3),
    a: (f) => DAYS[f.weekday].slice(0, 3),
    A: (f) => DAYS[f.weekday],
    b: (f) => MONTHS[f.month - 1].slice(0, 3),
    h: (f) => MONTHS[f.month - 1].slice(0, 3),
    B: (f) => MONTHS[f.month - 1],
    u: (f) => String(f.weekday === 0 ? 7 : f.weekday),
    w: (f) => String(f.weekday),
    z: (f) => offset(f, false),
    Z: (f) => zoneName(f),
    s: (f) => String(Math.floor(f.epochMs / 1000)),
    T: (f) => `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`,
    X: (f) => `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`,
    R: (f) => `${pad(f.hour, 2)}:${pad(f.minute, 2)}`,
    r: (f) => `${pad(h12(f), 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)} ${f.hour < 12 ? 'AM' : 'PM'}`,
    D: (f) => `${pad(f.month, 2)}/${pad(f.day, 2)}/${pad(f.year % 100, 2)}`,
    x: (f) => `${pad(f.month, 2)}/${pad(f.day, 2)}/${pad(f.year % 100, 2)}`,
    F: (f) => `${f.year}-${pad(f.month, 2)}-${pad(f.day, 2)}`,
    c: (f) => `${DAYS[f.weekday].slice(0, 3)} ${MONTHS[f.month - 1].slice(0, 3)} ${pad(f.day, 2, ' ')} ${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)} ${f.year}`,
  };
  if (c === undefined) return ['%', i, false];
  if (c === '%') return ['%', i + 1, false];
  if (c === 'n') return ['\n', i + 1, false];
  if (c === 't') return ['\t', i + 1, false];
  if (c === 'f') return [(f) => fraction(f.epochMs, 9), i + 1, true];
  if (/[1-9]/.test(c) && spec[i + 1] === 'f') {
    const n = Number(c);
    return [(f) => fraction(f.epochMs, n), i + 2, true];
  }
  if (c === 'E') {
    const rest = spec.slice(i + 1);
    const sub = /^([0-9]|\*)S/.exec(rest);
    if (sub) {
      const digits = sub[1] === '*' ? -1 : Number(sub[1]);
      return [
        (f) => {
          const sec = pad(f.second, 2);
          if (digits === 0) return sec;
          if (digits > 0) return `${sec}.${fraction(f.epochMs, digits)}`;
          const frac = fraction(f.epochMs, 9).replace(/0+$/, '');
          return frac === '' ? sec : `${sec}.${frac}`;
        },
        i + 1 + sub[0].length,
        digits !== 0,
      ];
    }
    if (rest.startsWith('z')) return [(f) => offset(f, true), i + 2, false];
    if (rest.startsWith('4Y')) return [(f) => pad(f.year, 4), i + 3, false];
    return ['%E', i + 1, false];
  }
  const fn = simple[c];
  if (fn !== undefined) return [fn, i + 1, false];
  // absl::FormatTime leaves unknown conversions as they are.
  return [`%${c}`, i + 1, false];
}

function compileParts(spec: string): { parts: Part[]; subSecond: boolean } {
  const parts: Part[] = [];
  let lit = '';
  let subSecond = false;
  for (let i = 0; i < spec.length; ) {
    if (spec[i] !== '%') {
      lit += spec[i++];
      continue;
    }
    const [part, next, frac] = conversion(spec, i + 1);
    subSecond ||= frac;
    if (typeof part === 'string') lit += part;
    else {
      if (lit !== '') parts.push(lit);
      lit = '';
      parts.push(part);
    }
    i = next;
  }
  if (lit !== '') parts.push(lit);
  return { parts, subSecond };
}

/** Envoy's default START_TIME rendering, `YYYY-MM-DDTHH:MM:SS.mmmZ`, cached per second. */
function defaultFormatter(): TimeFormatter {
  let cachedSecond = Number.NaN;
  let cachedPrefix = '';
  return (epochMs) => {
    const whole = Math.floor(epochMs);
    const second = Math.floor(whole / 1000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    }
    const ms = whole - second * 1000;
    return `${cachedPrefix}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  };
}

/**
 * Compiles a START_TIME format. `undefined` or '' gives Envoy's default (UTC, milliseconds).
 * `local` renders in the process time zone (START_TIME_LOCAL).
 */
export function compileTimeFormat(spec: string | undefined, local = false): TimeFormatter {
  if (spec === undefined || spec === '') {
    if (!local) return defaultFormatter();
    spec = '%Y-%m-%dT%H:%M:%E3S%z';
  }
  const { parts, subSecond } = compileParts(spec);
  const render = (epochMs: number): string => {
    const f = fieldsOf(epochMs, local);
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(f);
    return out;
  };
  if (subSecond) return render;
  // Whole-second formats change once a second: cache the last rendering.
  let cachedSecond = Number.NaN;
  let cached = '';
  return (epochMs) => {
    const second = Math.floor(epochMs / 1000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      cached = render(epochMs);
    }
    return cached;
  };
}
