/**
 * Go's `fmt` verbs for floats (`%g`, `%.8g`, `%.2f`, `%.1f`), digit for digit, so the load report
 * reads exactly like fortio's. Go rounds the exact binary value half-to-even; JavaScript's
 * `toFixed`/`toPrecision` round ties up and switch to exponent form at other thresholds, hence
 * this small reimplementation of strconv's `%e`/`%f`/`%g` on an exact decimal expansion.
 */

/** value = 0.digits × 10^dp; `digits` has no leading or trailing zeros ('' for zero). */
interface Decimal {
  readonly digits: string;
  readonly dp: number;
}

function trimZeros(digits: string, dp: number): Decimal {
  const lead = digits.length - digits.replace(/^0+/, '').length;
  const d = digits.slice(lead).replace(/0+$/, '');
  return d === '' ? { digits: '', dp: 0 } : { digits: d, dp: dp - lead };
}

/** The exact decimal value of a finite, non-negative double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biasedExp = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biasedExp === 0 ? fraction : fraction | (1n << 52n);
  const exp = (biasedExp === 0 ? 1 : biasedExp) - 1075;
  if (exp >= 0) {
    const s = (mantissa << BigInt(exp)).toString();
    return trimZeros(s, s.length);
  }
  // m × 2^-k = m × 5^k / 10^k
  const s = (mantissa * 5n ** BigInt(-exp)).toString();
  return trimZeros(s, s.length + exp);
}

/** The shortest decimal that reads back as x (what Go's `%g` without precision prints). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const [mant, e] = x.toExponential().split('e');
  return trimZeros(mant.replace('.', ''), Number(e) + 1);
}

/** Keeps `nd` significant digits, rounding half to even on the exact value. */
function roundTo(d: Decimal, nd: number): Decimal {
  if (nd < 0) return { digits: '', dp: 0 };
  if (d.digits.length <= nd) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  const rest = d.digits.slice(nd + 1);
  const tie = next === 5 && rest === '';
  const prevOdd = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && !tie) || (tie && prevOdd);
  if (!up) return trimZeros(d.digits.slice(0, nd), d.dp);
  if (nd === 0) return { digits: '1', dp: d.dp + 1 };
  const bumped = (BigInt(d.digits.slice(0, nd)) + 1n).toString();
  return bumped.length > nd ? trimZeros(bumped, d.dp + 1) : trimZeros(bumped, d.dp);
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? d.digits[i] : '0';
}

function fmtF(d: Decimal, prec: number): string {
  let out = '';
  if (d.dp > 0) for (let i = 0; i < d.dp; i++) out += digitAt(d, i);
  else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) out += digitAt(d, d.dp + i);
  }
  return out;
}

function fmtE(d: Decimal, prec: number): string {
  let out = digitAt(d, 0);
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(d, i);
  }
  const exp = d.digits === '' ? 0 : d.dp - 1;
  const abs = Math.abs(exp);
  return `${out}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return undefined;
}

/** Go's `%g` (prec < 0) or `%.<prec>g`. */
export function formatG(x: number, prec = -1): string {
  const s = special(x);
  if (s !== undefined) return s;
  const neg = x < 0 || Object.is(x, -0);
  const shortest = prec < 0;
  let p = prec === 0 ? 1 : prec;
  const d = shortest ? shortestDecimal(Math.abs(x)) : roundTo(exactDecimal(Math.abs(x)), p);
  if (shortest) p = d.digits.length;
  let eprec = p;
  if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  let body: string;
  if (exp < -4 || exp >= eprec) body = fmtE(d, Math.min(p, d.digits.length) - 1 < 0 ? 0 : Math.min(p, d.digits.length) - 1);
  else body = fmtF(d, Math.max((p > d.dp ? d.digits.length : p) - d.dp, 0));
  return (neg ? '-' : '') + body;
}

/** Go's `%.<prec>f`. */
export function formatF(x: number, prec: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const neg = x < 0 || Object.is(x, -0);
  const exact = exactDecimal(Math.abs(x));
  const d = roundTo(exact, exact.dp + prec);
  return (neg ? '-' : '') + fmtF(d, prec);
}

/** Milliseconds as seconds at nanosecond precision, as Go's `Duration.Seconds()` gives them (no float noise in `%g`). */
export function secondsOf(ms: number): number {
  return Math.round(ms * 1e6) / 1e9;
}
