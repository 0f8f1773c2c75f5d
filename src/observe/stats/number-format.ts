/**
 * Number formatting the way Envoy's admin output prints doubles, so golden strings match:
 * fmt's `{}` (shortest round-trip), C's `%g` (precision 6) and `%.32g`.
 */

function expSuffix(e: number): string {
  const a = Math.abs(e);
  return `e${e < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** fmt `{}` for a double: shortest digits, fixed notation for exponents in [-4, 16). */
export function formatShortest(x: number): string {
  const nf = nonFinite(x);
  if (nf !== undefined) return nf;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expStr] = x.toExponential().split('e');
  const e = Number(expStr);
  if (e >= -4 && e < 16) {
    // String() is fixed for 1e-7 < |x| < 1e21, which covers this range.
    return String(x);
  }
  return mant + expSuffix(e);
}

/** C `%.<precision>g`: `precision` significant digits, trailing zeros removed. */
export function formatG(x: number, precision = 6): string {
  const nf = nonFinite(x);
  if (nf !== undefined) return nf;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = Math.max(1, precision);
  const [mant, expStr] = x.toExponential(p - 1).split('e');
  const e = Number(expStr);
  if (e < -4 || e >= p) {
    const m = mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant;
    return m + expSuffix(e);
  }
  const fixed = x.toFixed(Math.max(0, p - 1 - e));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** C `%.32g`, which Envoy's Prometheus output uses for bucket bounds and sums. */
export function formatG32(x: number): string {
  // toExponential/toFixed accept at most 100 digits; 32 significant digits fit.
  return formatG(x, 32);
}
